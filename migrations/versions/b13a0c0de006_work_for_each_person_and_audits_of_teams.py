"""Due work for each person, the audits started for due work

Revision ID: b13a0c0de006
Revises: b13a0c0de004
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de006'
down_revision = 'b13a0c0de004'
branch_labels = None
depends_on = None

# The first migration left qa_work's unique constraint unnamed: on SQLite the batch copy names it by
# this convention so it can be dropped; PostgreSQL gave it its default name.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
OLD_UNIQUE = {"sqlite": "uq_qa_work_activity_id", "postgresql": "qa_work_activity_id_period_start_team_id_key"}


def upgrade():
    with op.batch_alter_table('qa_activity') as batch_op:
        batch_op.add_column(sa.Column('each_person', sa.Boolean(), nullable=False, server_default=sa.false()))
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('qa_work', naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_qa_work_person_id_user_account', 'user_account', ['person_id'], ['id'])
        batch_op.create_index('ix_qa_work_person_id', ['person_id'], unique=False)
        batch_op.drop_constraint(OLD_UNIQUE.get(dialect, OLD_UNIQUE['postgresql']), type_='unique')
        batch_op.create_unique_constraint(
            'uq_qa_work_period', ['activity_id', 'period_start', 'team_id', 'person_id']
        )
    op.create_table(
        'qa_work_audit',
        sa.Column('audit_id', sa.Integer(), nullable=False),
        sa.Column('work_id', sa.Integer(), nullable=False),
        sa.Column('inside_line', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['audit_id'], ['audit.id']),
        sa.ForeignKeyConstraint(['work_id'], ['qa_work.id']),
        sa.PrimaryKeyConstraint('audit_id'),
    )
    with op.batch_alter_table('qa_work_audit') as batch_op:
        batch_op.create_index('ix_qa_work_audit_work_id', ['work_id'], unique=False)


def downgrade():
    with op.batch_alter_table('qa_work_audit') as batch_op:
        batch_op.drop_index('ix_qa_work_audit_work_id')
    op.drop_table('qa_work_audit')
    op.execute("DELETE FROM qa_work_assignee WHERE work_id IN (SELECT id FROM qa_work WHERE person_id IS NOT NULL)")
    op.execute("DELETE FROM qa_work WHERE person_id IS NOT NULL")
    with op.batch_alter_table('qa_work') as batch_op:
        batch_op.drop_constraint('uq_qa_work_period', type_='unique')
        batch_op.create_unique_constraint(
            'qa_work_activity_id_period_start_team_id_key', ['activity_id', 'period_start', 'team_id']
        )
        batch_op.drop_index('ix_qa_work_person_id')
        batch_op.drop_constraint('fk_qa_work_person_id_user_account', type_='foreignkey')
        batch_op.drop_column('person_id')
    with op.batch_alter_table('qa_activity') as batch_op:
        batch_op.drop_column('each_person')
