"""SQLAlchemy models of the compiled, read-only content database.

The FTS5 index is not an ORM table: it is created as DDL after the tables (see `FTS_DDL`).
Bump `SCHEMA_VERSION` whenever these tables change, so an old compiled DB is rebuilt, not misread.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = "1"

# Column order matters: bm25() weights and snippet() column numbers follow it.
FTS_COLUMNS = ("title", "aliases", "keywords", "attributes", "summary", "body")
FTS_WEIGHTS = (10.0, 8.0, 6.0, 3.0, 2.0, 1.0)
FTS_DDL = (
    "CREATE VIRTUAL TABLE entry_fts USING fts5("
    "entry_id UNINDEXED, " + ", ".join(FTS_COLUMNS) + ", "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
FTS_VOCAB_DDL = "CREATE VIRTUAL TABLE entry_fts_vocab USING fts5vocab(entry_fts, 'row')"


class ContentBase(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "pk": "pk_%(table_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )


class MetaRow(ContentBase):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EntryRow(ContentBase):
    __tablename__ = "entry"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String)
    last_reviewed: Mapped[str] = mapped_column(String)
    body: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(String)


class AliasRow(ContentBase):
    __tablename__ = "alias"
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    alias: Mapped[str] = mapped_column(Text)


class NameRow(ContentBase):
    """Every name an entry answers to (id, title, aliases), keyed for exact-match lookups."""

    __tablename__ = "name"
    match_key: Mapped[str] = mapped_column(String, primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), index=True)


class TagRow(ContentBase):
    __tablename__ = "tag"
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tag: Mapped[str] = mapped_column(String, index=True)


class AttributeRow(ContentBase):
    __tablename__ = "attribute"
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(Text)


class RelationRow(ContentBase):
    __tablename__ = "relation"
    source_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    type: Mapped[str] = mapped_column(String, primary_key=True)
    target_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


Index("ix_relation_target", RelationRow.target_id)


class ReferenceRow(ContentBase):
    __tablename__ = "reference"
    entry_id: Mapped[str] = mapped_column(ForeignKey("entry.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    citation: Mapped[str] = mapped_column(Text)
    pmid: Mapped[str] = mapped_column(String, default="")
    doi: Mapped[str] = mapped_column(String, default="")
    nct: Mapped[str] = mapped_column(String, default="")
    url: Mapped[str] = mapped_column(String, default="")
