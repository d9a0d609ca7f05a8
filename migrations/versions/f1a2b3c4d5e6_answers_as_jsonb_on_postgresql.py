"""Answers as JSONB on PostgreSQL (SQLite keeps JSON text)

Revision ID: f1a2b3c4d5e6
Revises: d9c43626851e
Create Date: 2026-11-23 17:20:00.000000

"""
from alembic import op
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'd9c43626851e'
branch_labels = None
depends_on = None

TABLES = ('response', 'audit')


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.alter_column(table, 'answers', type_=postgresql.JSONB(), postgresql_using='answers::jsonb')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in TABLES:
        op.alter_column(table, 'answers', type_=postgresql.JSON(), postgresql_using='answers::json')
