"""Submission ids and voided responses

A response keeps the id its page was rendered with (unique: a resend is stored once), and
the QA team can void a burst of fake responses: a void records who, when and why, and the
responses point at it while it stands. Nothing is deleted.

Revision ID: b12a0c0de001
Revises: a7b8c9d0e1f2
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12a0c0de001'
down_revision = 'a7b8c9d0e1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'response_void',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('voided_at', sa.DateTime(), nullable=False),
        sa.Column('voided_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.Column('undone_at', sa.DateTime(), nullable=True),
        sa.Column('undone_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['voided_by_id'], ['user_account.id'], name='fk_response_void_voided_by_id_user_account'),
        sa.ForeignKeyConstraint(['undone_by_id'], ['user_account.id'], name='fk_response_void_undone_by_id_user_account'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('void_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_response_submission_id', ['submission_id'])
        batch_op.create_index('ix_response_void_id', ['void_id'], unique=False)
        batch_op.create_foreign_key('fk_response_void_id_response_void', 'response_void', ['void_id'], ['id'])


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint('fk_response_void_id_response_void', type_='foreignkey')
        batch_op.drop_index('ix_response_void_id')
        batch_op.drop_constraint('uq_response_submission_id', type_='unique')
        batch_op.drop_column('void_id')
        batch_op.drop_column('submission_id')
    op.drop_table('response_void')
