"""Version 2: full-text search over notes, saved comparisons, history ordered by time.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from carmm_desktop.content.text import spell_greek as searchable_text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_comparisons",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("entry_ids", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("name", name="uq_saved_comparisons_name"),
    )
    op.create_index("ix_history_visited_at", "history", ["visited_at"])
    # A plain FTS5 table (rowid = note id) kept in step by the store in the same transaction as
    # each save; it holds the searchable form of the body (Greek letters spelled out).
    op.execute("CREATE VIRTUAL TABLE notes_fts USING fts5(body, tokenize='unicode61 remove_diacritics 2')")
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, body FROM notes")).all()
    for note_id, body in rows:
        bind.execute(
            sa.text("INSERT INTO notes_fts(rowid, body) VALUES (:id, :body)"),
            {"id": note_id, "body": searchable_text(body)},
        )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS notes_fts")
    op.drop_index("ix_history_visited_at", "history")
    op.drop_table("saved_comparisons")
