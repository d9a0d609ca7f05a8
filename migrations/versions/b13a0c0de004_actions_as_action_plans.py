"""Actions as action plans

An action holds a target (the outcome sought), the action (what will be done; the old
description), a due date, the workers involved and, once closed, its outcome (the old completion
note). It is raised from an audit or from a thematic evaluation, never both.

Revision ID: b13a0c0de004
Revises: b13a0c0de003
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de004'
down_revision = 'b13a0c0de003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_action', schema=None) as batch_op:
        batch_op.alter_column('description', new_column_name='action', existing_type=sa.Text(), existing_nullable=False)
        batch_op.alter_column(
            'completion_note', new_column_name='outcome', existing_type=sa.Text(), existing_nullable=False
        )
        batch_op.alter_column('audit_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('target', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('thematic_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_action_thematic_id'), ['thematic_id'], unique=False)
        batch_op.create_foreign_key('fk_audit_action_thematic_id', 'qa_thematic', ['thematic_id'], ['id'])
        batch_op.create_check_constraint('ck_audit_action_one_source', '(audit_id IS NULL) <> (thematic_id IS NULL)')
    op.create_table(
        'audit_action_worker',
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['audit_action.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('action_id', 'user_id'),
    )
    with op.batch_alter_table('audit_action_worker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_action_worker_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_action_worker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_action_worker_user_id'))
    op.drop_table('audit_action_worker')
    # Actions raised from thematic evaluations have no audit: they cannot be kept.
    op.execute("DELETE FROM action_change WHERE action_id IN (SELECT id FROM audit_action WHERE audit_id IS NULL)")
    op.execute("DELETE FROM audit_action WHERE audit_id IS NULL")
    with op.batch_alter_table('audit_action', schema=None) as batch_op:
        batch_op.drop_constraint('ck_audit_action_one_source', type_='check')
        batch_op.drop_constraint('fk_audit_action_thematic_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_action_thematic_id'))
        batch_op.drop_column('thematic_id')
        batch_op.drop_column('target')
        batch_op.alter_column('audit_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('outcome', new_column_name='completion_note', existing_type=sa.Text(), existing_nullable=False)
        batch_op.alter_column('action', new_column_name='description', existing_type=sa.Text(), existing_nullable=False)
