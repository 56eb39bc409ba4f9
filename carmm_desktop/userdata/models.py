"""SQLAlchemy table models of the user DB at the head migration.

The schema is created and changed only by the Alembic scripts in `migrations/`; these tables are
how the code reads and writes it (Core tables: no `sqlalchemy.orm` import on start-up). The notes
FTS5 index is DDL in migration 0002, kept in step by the store.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

USER_METADATA = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

NOTES = Table(
    "notes",
    USER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("uid", String(32), nullable=False, unique=True),  # stable across export/import
    Column("entry_id", String, nullable=True, index=True),
    Column("body", Text, nullable=False, server_default=""),
    Column("created_at", String, nullable=False),  # ISO 8601, UTC
    Column("updated_at", String, nullable=False),
)

NOTE_TAGS = Table(
    "note_tags",
    USER_METADATA,
    Column("note_id", ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String, primary_key=True),
)

BOOKMARKS = Table(
    "bookmarks",
    USER_METADATA,
    Column("entry_id", String, primary_key=True),
    Column("created_at", String, nullable=False),
)

HISTORY = Table(
    "history",
    USER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("entry_id", String, nullable=False, index=True),
    Column("visited_at", String, nullable=False, index=True),
)

SAVED_COMPARISONS = Table(
    "saved_comparisons",
    USER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String, nullable=False),
    Column("entry_ids", Text, nullable=False),  # JSON list, in column order
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
    UniqueConstraint("name"),
)

STUDY_CARDS = Table(
    "study_cards",
    USER_METADATA,
    Column("card_id", String, primary_key=True),
    Column("state", Text, nullable=False),
    Column("due", String, nullable=False, index=True),
    Column("updated_at", String, nullable=False),
)

STUDY_REVIEWS = Table(
    "study_reviews",
    USER_METADATA,
    Column("id", Integer, primary_key=True),
    Column("card_id", String, nullable=False, index=True),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", String, nullable=False, index=True),
)
