"""Complaints and compliments logged as feedback

One row a complaint or compliment received about a team: the date, its kind, theme and (for a
complaint) outcome, and what was learnt. No one is named.

Revision ID: b17a0c0de003
Revises: b13a0c0de002
Create Date: 2026-12-04 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17a0c0de003'
down_revision = 'b13a0c0de002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'complaint_or_compliment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('theme', sa.String(length=30), nullable=False),
        sa.Column('outcome', sa.String(length=30), nullable=True),
        sa.Column('learning', sa.Text(), nullable=False),
        sa.Column('logged_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name='fk_complaint_or_compliment_team_id_team'),
        sa.ForeignKeyConstraint(
            ['logged_by_id'], ['user_account.id'], name='fk_complaint_or_compliment_logged_by_id_user_account'
        ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('complaint_or_compliment', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_complaint_or_compliment_received_on'), ['received_on'], unique=False
        )
        batch_op.create_index(batch_op.f('ix_complaint_or_compliment_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('complaint_or_compliment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_or_compliment_team_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_or_compliment_received_on'))
    op.drop_table('complaint_or_compliment')
