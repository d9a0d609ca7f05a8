"""QA programme: schedule, due work, cases, samples, allocations, quotas, peer reviews, thematic evaluations, reminders

Revision ID: d9c43626851e
Revises: 6a666094f504
Create Date: 2026-11-23 15:20:10.146050

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd9c43626851e'
down_revision = '6a666094f504'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('qa_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('frequency', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('each_team', sa.Boolean(), nullable=False),
    sa.Column('who_role', sa.String(length=30), nullable=True),
    sa.Column('form_key', sa.String(length=60), nullable=True),
    sa.Column('sample_rule', sa.String(length=30), nullable=True),
    sa.Column('sample_parameters', sa.JSON(), nullable=False),
    sa.Column('allocation_line', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('qa_activity_person',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['qa_activity.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('activity_id', 'user_id')
    )
    op.create_table('qa_auditor_quota',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('per_month', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('qa_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('worker_email', sa.String(length=254), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_email', sa.String(length=254), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=True),
    sa.Column('last_reviewed_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('step_up', sa.Boolean(), nullable=False),
    sa.Column('step_down', sa.Boolean(), nullable=False),
    sa.Column('returning_family', sa.Boolean(), nullable=False),
    sa.Column('agency_type', sa.String(length=120), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.ForeignKeyConstraint(['worker_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('qa_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_case_team_id'), ['team_id'], unique=False)

    op.create_table('qa_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_message.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subject', 'subject_id', 'kind', 'user_id')
    )
    op.create_table('qa_thematic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('who', sa.Text(), nullable=False),
    sa.Column('how', sa.Text(), nullable=False),
    sa.Column('timescale', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('form_key', sa.String(length=60), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('recommendations', sa.Text(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('qa_work',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('reviewed_on', sa.Date(), nullable=True),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['qa_activity.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('activity_id', 'period_start', 'team_id')
    )
    with op.batch_alter_table('qa_work', schema=None) as batch_op:
        batch_op.create_index('ix_qa_work_activity_due', ['activity_id', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_work_due_date'), ['due_date'], unique=False)

    op.create_table('qa_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('work_id', sa.Integer(), nullable=True),
    sa.Column('thematic_id', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=30), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('form_key', sa.String(length=60), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('excluded', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['qa_activity.id'], ),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['thematic_id'], ['qa_thematic.id'], ),
    sa.ForeignKeyConstraint(['work_id'], ['qa_work.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('qa_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_sample_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_sample_thematic_id'), ['thematic_id'], unique=False)

    op.create_table('qa_work_assignee',
    sa.Column('work_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['work_id'], ['qa_work.id'], ),
    sa.PrimaryKeyConstraint('work_id', 'user_id')
    )
    with op.batch_alter_table('qa_work_assignee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_work_assignee_user_id'), ['user_id'], unique=False)

    op.create_table('qa_sample_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['qa_case.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['qa_sample.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sample_id', 'case_id')
    )
    with op.batch_alter_table('qa_sample_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_sample_case_case_id'), ['case_id'], unique=False)

    op.create_table('qa_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sample_case_id', sa.Integer(), nullable=True),
    sa.Column('case_reference', sa.String(length=40), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('practitioner_id', sa.Integer(), nullable=True),
    sa.Column('auditor_id', sa.Integer(), nullable=False),
    sa.Column('form_key', sa.String(length=60), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audit_id'], ['audit.id'], ),
    sa.ForeignKeyConstraint(['auditor_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['practitioner_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['sample_case_id'], ['qa_sample_case.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('audit_id')
    )
    with op.batch_alter_table('qa_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_qa_allocation_auditor_id'), ['auditor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_allocation_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_qa_allocation_sample_case_id'), ['sample_case_id'], unique=False)

    op.create_table('qa_peer_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_audit_id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('share', sa.Integer(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_grade', sa.String(length=40), nullable=True),
    sa.Column('settled_comment', sa.Text(), nullable=False),
    sa.Column('settled_by_id', sa.Integer(), nullable=True),
    sa.Column('settled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['allocation_id'], ['qa_allocation.id'], ),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['first_audit_id'], ['audit.id'], ),
    sa.ForeignKeyConstraint(['settled_by_id'], ['user_account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('allocation_id'),
    sa.UniqueConstraint('first_audit_id')
    )


def downgrade():
    op.drop_table('qa_peer_review')
    with op.batch_alter_table('qa_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_allocation_sample_case_id'))
        batch_op.drop_index(batch_op.f('ix_qa_allocation_due_date'))
        batch_op.drop_index(batch_op.f('ix_qa_allocation_auditor_id'))

    op.drop_table('qa_allocation')
    with op.batch_alter_table('qa_sample_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_sample_case_case_id'))

    op.drop_table('qa_sample_case')
    with op.batch_alter_table('qa_work_assignee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_work_assignee_user_id'))

    op.drop_table('qa_work_assignee')
    with op.batch_alter_table('qa_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_sample_thematic_id'))
        batch_op.drop_index(batch_op.f('ix_qa_sample_activity_id'))

    op.drop_table('qa_sample')
    with op.batch_alter_table('qa_work', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_work_due_date'))
        batch_op.drop_index('ix_qa_work_activity_due')

    op.drop_table('qa_work')
    op.drop_table('qa_thematic')
    op.drop_table('qa_reminder')
    with op.batch_alter_table('qa_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_qa_case_team_id'))

    op.drop_table('qa_case')
    op.drop_table('qa_auditor_quota')
    op.drop_table('qa_activity_person')
    op.drop_table('qa_activity')
