"""Group moderation: each service's monthly evaluation, moderated together by its service managers

Revision ID: b13a0c0de008
Revises: b13a0c0de071
Create Date: 2026-12-03 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de008'
down_revision = 'b13a0c0de071'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'qa_group_moderation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('form_key', sa.String(length=60), nullable=False),
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('drawn_from', sa.Date(), nullable=False),
        sa.Column('seed', sa.Integer(), nullable=False),
        sa.Column('candidates', sa.Integer(), nullable=False),
        sa.Column('chosen_by_id', sa.Integer(), nullable=True),
        sa.Column('chosen_at', sa.DateTime(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['audit_id'], ['audit.id']),
        sa.ForeignKeyConstraint(['chosen_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['service_id'], ['service.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('audit_id'),
        sa.UniqueConstraint('service_id', 'month', name='uq_qa_group_moderation_month'),
    )
    op.create_table(
        'qa_group_moderation_member',
        sa.Column('group_moderation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['group_moderation_id'], ['qa_group_moderation.id']),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('group_moderation_id', 'user_id'),
    )
    with op.batch_alter_table('qa_group_moderation_member') as batch_op:
        batch_op.create_index('ix_qa_group_moderation_member_user_id', ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('qa_group_moderation_member') as batch_op:
        batch_op.drop_index('ix_qa_group_moderation_member_user_id')
    op.drop_table('qa_group_moderation_member')
    op.drop_table('qa_group_moderation')
