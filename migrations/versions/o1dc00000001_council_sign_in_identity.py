"""Staff accounts remember who they are at the council's identity provider: its issuer and their subject

Revision ID: o1dc00000001
Revises: w0rkfl0w0001
Create Date: 2026-12-15 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'o1dc00000001'
down_revision = 'w0rkfl0w0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_user_account_oidc_identity', ['oidc_issuer', 'oidc_subject'])


def downgrade():
    with op.batch_alter_table('user_account') as batch_op:
        batch_op.drop_constraint('uq_user_account_oidc_identity', type_='unique')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('oidc_issuer')
