"""Version 1 of the user DB: notes with tags, bookmarks, history.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("entry_id", sa.String, nullable=True),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("uid", name="uq_notes_uid"),
    )
    op.create_index("ix_notes_entry_id", "notes", ["entry_id"])
    op.create_table(
        "note_tags",
        sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String, primary_key=True),
    )
    op.create_table(
        "bookmarks",
        sa.Column("entry_id", sa.String, primary_key=True),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.String, nullable=False),
        sa.Column("visited_at", sa.String, nullable=False),
    )
    op.create_index("ix_history_entry_id", "history", ["entry_id"])


def downgrade() -> None:
    for table in ("history", "bookmarks", "note_tags", "notes"):
        op.drop_table(table)
