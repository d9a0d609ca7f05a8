"""Practitioners' comments on audits; alerts marked as seen, their kinds of concern, and their escalation

Revision ID: w0rkfl0w0001
Revises: p4rtner00001
Create Date: 2026-12-04 19:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'w0rkfl0w0001'
down_revision = 'p4rtner00001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'audit_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], name='fk_audit_comment_audit_id_audit'),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name='fk_audit_comment_author_id_user_account'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('audit_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_comment_audit_id'), ['audit_id'], unique=False)
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('concerns', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('escalated_to_service_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('escalated_to_director_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_at')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        for column in ('escalated_to_director_at', 'escalated_to_service_at', 'concerns'):
            batch_op.drop_column(column)
    with op.batch_alter_table('audit_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_comment_audit_id'))
    op.drop_table('audit_comment')
