"""Post-closure feedback: the QA team's setting, the newly closed cases due a link, and each import's draw

Revision ID: p0stc1ose001
Revises: n0t1fy000001
Create Date: 2026-12-15 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'p0stc1ose001'
down_revision = 'n0t1fy000001'
branch_labels = None
depends_on = None

COUNTS = ('post_closure_found', 'post_closure_chosen', 'post_closure_sent')


def upgrade():
    op.create_table(
        'post_closure_setting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('percent', sa.Integer(), nullable=False),
        sa.Column('form_key', sa.String(length=60), nullable=False),
        sa.Column('within_days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'post_closure_due',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_import_id', sa.Integer(), nullable=True),
        sa.Column('case_reference', sa.String(length=40), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=False),
        sa.Column('form_key', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_import_id'], ['qa_case_import.id']),
        sa.ForeignKeyConstraint(['team_id'], ['team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('post_closure_due') as batch_op:
        batch_op.create_index('ix_post_closure_due_case_import_id', ['case_import_id'], unique=False)
        batch_op.create_index('ix_post_closure_due_team_id', ['team_id'], unique=False)
    with op.batch_alter_table('qa_case_import') as batch_op:
        batch_op.add_column(sa.Column('post_closure_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('post_closure_seed', sa.Integer(), nullable=True))
        for name in COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('qa_case_import') as batch_op:
        for name in COUNTS:
            batch_op.alter_column(name, server_default=None)


def downgrade():
    with op.batch_alter_table('qa_case_import') as batch_op:
        for name in (*COUNTS, 'post_closure_seed', 'post_closure_percent'):
            batch_op.drop_column(name)
    with op.batch_alter_table('post_closure_due') as batch_op:
        batch_op.drop_index('ix_post_closure_due_team_id')
        batch_op.drop_index('ix_post_closure_due_case_import_id')
    op.drop_table('post_closure_due')
    op.drop_table('post_closure_setting')
