"""The people named to undertake a thematic evaluation, who are given its cases

Revision ID: b13a0c0de071
Revises: b13a0c0de007
Create Date: 2026-12-14 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b13a0c0de071"
down_revision = "b13a0c0de007"
branch_labels = None
depends_on = None


def upgrade():
    # Existing evaluations keep their "who" text; nobody is named on them until the QA team names them.
    op.create_table(
        "qa_thematic_person",
        sa.Column("thematic_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["thematic_id"], ["qa_thematic.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("thematic_id", "user_id"),
    )


def downgrade():
    op.drop_table("qa_thematic_person")
