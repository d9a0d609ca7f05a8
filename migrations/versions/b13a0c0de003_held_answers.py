"""Answers held when a staff session ends, for the same person to sign in again

Revision ID: b13a0c0de003
Revises: b13a0c0de001
Create Date: 2026-12-03 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "b13a0c0de003"
down_revision = 'b13a0c0de001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "held_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("fields", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name="fk_held_answers_user_id_user_account", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("held_answers") as batch_op:
        batch_op.create_index(batch_op.f("ix_held_answers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_held_answers_user_id"), ["user_id"], unique=False)


def downgrade():
    op.drop_table("held_answers")
