"""A service manager may belong to a service without a team

Revision ID: b13a0c0de002
Revises: b12a0c0de002
Create Date: 2026-12-03 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de002'
down_revision = 'b12a0c0de002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.add_column(sa.Column('home_service_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_user_account_home_service_id_service', 'service', ['home_service_id'], ['id'])


def downgrade():
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.drop_constraint('fk_user_account_home_service_id_service', type_='foreignkey')
        batch_op.drop_column('home_service_id')
