"""An activity's scope can be several services: qa_activity.service_id becomes qa_activity_service

Revision ID: b13a0c0de009
Revises: b13a0c0de008
Create Date: 2026-12-12 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de009'
down_revision = 'b13a0c0de008'
branch_labels = None
depends_on = None

# The first migration left qa_activity's foreign key to service unnamed: on SQLite the batch copy names
# it by this convention so it can be dropped; PostgreSQL gave it its default name.
SQLITE_NAMES = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
OLD_FOREIGN_KEY = {"sqlite": "fk_qa_activity_service_id_service", "postgresql": "qa_activity_service_id_fkey"}


def upgrade():
    op.create_table(
        'qa_activity_service',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['qa_activity.id']),
        sa.ForeignKeyConstraint(['service_id'], ['service.id']),
        sa.PrimaryKeyConstraint('activity_id', 'service_id'),
    )
    op.execute(
        "INSERT INTO qa_activity_service (activity_id, service_id)"
        " SELECT id, service_id FROM qa_activity WHERE service_id IS NOT NULL"
    )
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('qa_activity', naming_convention=SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint(OLD_FOREIGN_KEY.get(dialect, OLD_FOREIGN_KEY['postgresql']), type_='foreignkey')
        batch_op.drop_column('service_id')


def downgrade():
    # An activity across several services keeps the first of them (by id).
    with op.batch_alter_table('qa_activity') as batch_op:
        batch_op.add_column(sa.Column('service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_qa_activity_service_id_service', 'service', ['service_id'], ['id'])
    op.execute(
        "UPDATE qa_activity SET service_id = (SELECT min(service_id) FROM qa_activity_service"
        " WHERE qa_activity_service.activity_id = qa_activity.id)"
    )
    op.drop_table('qa_activity_service')
