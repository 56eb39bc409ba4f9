"""SQLAlchemy models of the user DB at the head migration.

The schema is created and changed only by the Alembic scripts in `migrations/`; these models are
how the code reads and writes it. The notes FTS5 index and its triggers are DDL in migration 0002.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UserBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Note(UserBase):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True)  # stable across export/import
    entry_id: Mapped[str | None] = mapped_column(String, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String)  # ISO 8601, UTC
    updated_at: Mapped[str] = mapped_column(String)
    tags: Mapped[list[NoteTag]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteTag.tag", lazy="selectin"
    )


class NoteTag(UserBase):
    __tablename__ = "note_tags"
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String, primary_key=True)
    note: Mapped[Note] = relationship(back_populates="tags")


class Bookmark(UserBase):
    __tablename__ = "bookmarks"
    entry_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[str] = mapped_column(String)


class HistoryItem(UserBase):
    __tablename__ = "history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String, index=True)
    visited_at: Mapped[str] = mapped_column(String, index=True)


class SavedComparison(UserBase):
    __tablename__ = "saved_comparisons"
    __table_args__ = (UniqueConstraint("name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    entry_ids: Mapped[str] = mapped_column(Text)  # JSON list, in column order
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)
