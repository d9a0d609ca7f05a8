"""Staff count of a wave

A staff survey wave records how many staff were asked to answer, so its responses can be
read against it as a response rate.

Revision ID: b17a0c0de002
Revises: b17a0c0de003
Create Date: 2026-12-03 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17a0c0de002'
down_revision = 'b17a0c0de003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_count', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.drop_column('staff_count')
