"""Case list headings mapped by the QA team, and the columns an import ignored

The heading a council's case system gives each column of the case list (EHM's "Case ID" for
reference), saved once and used by every import; and, on each import, the file's headings that
were read past.

Revision ID: b13a0c0de001
Revises: b17a0c0de001
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de001'
down_revision = 'b17a0c0de001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'qa_case_heading',
        sa.Column('column', sa.String(length=40), nullable=False),
        sa.Column('heading', sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint('column'),
    )
    with op.batch_alter_table('qa_case_import') as batch:
        batch.add_column(sa.Column('ignored_columns', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table('qa_case_import') as batch:
        batch.alter_column('ignored_columns', server_default=None)


def downgrade():
    with op.batch_alter_table('qa_case_import') as batch:
        batch.drop_column('ignored_columns')
    op.drop_table('qa_case_heading')
