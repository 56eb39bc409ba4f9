"""Version 3: spaced-repetition study state and review history.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "study_cards",
        sa.Column("card_id", sa.String, primary_key=True),  # stable id from content/study.py
        sa.Column("state", sa.Text, nullable=False),  # the scheduler's card state, JSON
        sa.Column("due", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_study_cards_due", "study_cards", ["due"])
    op.create_table(
        "study_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("card_id", sa.String, nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),  # 1 again, 2 hard, 3 good, 4 easy
        sa.Column("reviewed_at", sa.String, nullable=False),
    )
    op.create_index("ix_study_reviews_card_id", "study_reviews", ["card_id"])
    op.create_index("ix_study_reviews_reviewed_at", "study_reviews", ["reviewed_at"])


def downgrade() -> None:
    op.drop_table("study_reviews")
    op.drop_table("study_cards")
