"""SQLAlchemy table models of the compiled, read-only content database.

Core `Table`s rather than ORM classes: the app only reads rows, and not importing
`sqlalchemy.orm` keeps about 0.1 s off every start. The FTS5 index is not a table model: it is
created as DDL after the tables (see `FTS_DDL`). Bump `SCHEMA_VERSION` whenever these tables change,
so an old compiled DB is rebuilt, not misread.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, Text

from carmm_desktop.content.fts import (  # noqa: F401 - re-exported for the compiler
    FTS_COLUMNS,
    FTS_DDL,
    FTS_VOCAB_DDL,
    FTS_WEIGHTS,
    NAME_FTS_COLUMNS,
    NAME_FTS_DDL,
    NAME_VOCAB_DDL,
    PREFIX_DDL,
    SCHEMA_VERSION,
)

CONTENT_METADATA = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    }
)

META = Table(
    "meta",
    CONTENT_METADATA,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

ENTRY = Table(
    "entry",
    CONTENT_METADATA,
    Column("id", String, primary_key=True),
    Column("kind", String, nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("status", String, nullable=False),
    Column("last_reviewed", String, nullable=False),
    Column("body", Text, nullable=False),
    # The Markdown parts rendered (and sanitised) at build time: showing an entry needs no Markdown.
    Column("summary_html", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("source_path", String, nullable=False),
    # Search's second stage compares the query with these word sets (see search._rescored): the
    # folded words and squashed compounds of the title, id and aliases, and the keywords' other
    # words, space-separated. Tokenising 120 candidates' names live was ~4 ms of a first search.
    Column("name_words", Text, nullable=False),
    Column("keyword_words", Text, nullable=False),
)

ALIAS = Table(
    "alias",
    CONTENT_METADATA,
    Column("entry_id", ForeignKey("entry.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("alias", Text, nullable=False),
)

# Every name an entry answers to (id, title, aliases), keyed for exact-match lookups.
NAME = Table(
    "name",
    CONTENT_METADATA,
    Column("match_key", String, primary_key=True),
    Column("entry_id", ForeignKey("entry.id"), nullable=False, index=True),
)

TAG = Table(
    "tag",
    CONTENT_METADATA,
    Column("entry_id", ForeignKey("entry.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("tag", String, nullable=False, index=True),
)

ATTRIBUTE = Table(
    "attribute",
    CONTENT_METADATA,
    Column("entry_id", ForeignKey("entry.id"), primary_key=True),
    Column("name", String, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("value", Text, nullable=False),
    Column("value_html", Text, nullable=False),
)

RELATION = Table(
    "relation",
    CONTENT_METADATA,
    Column("source_id", ForeignKey("entry.id"), primary_key=True),
    Column("type", String, primary_key=True),
    Column("target_id", ForeignKey("entry.id"), primary_key=True),
    Column("position", Integer, nullable=False),
)
Index("ix_relation_target", RELATION.c.target_id)

REFERENCE = Table(
    "reference",
    CONTENT_METADATA,
    Column("entry_id", ForeignKey("entry.id"), primary_key=True),
    Column("key", String, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("citation", Text, nullable=False),
    Column("pmid", String, nullable=False, default=""),
    Column("doi", String, nullable=False, default=""),
    Column("nct", String, nullable=False, default=""),
    Column("url", String, nullable=False, default=""),
)

GLOSSARY = Table(
    "glossary",
    CONTENT_METADATA,
    Column("match_key", String, primary_key=True),  # the abbreviation reduced by text.key()
    Column("abbreviation", String, nullable=False),
    Column("expansion", Text, nullable=False),
    Column("entry_id", ForeignKey("entry.id"), nullable=True),
)
