"""Cases a later import leaves out: the last import that listed each case, the closure for being left out,
and the teams each import's file covered

Revision ID: b13a0c0de007
Revises: b13a0c0de006
Create Date: 2026-12-12 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a0c0de007'
down_revision = 'b13a0c0de006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('qa_case') as batch_op:
        batch_op.add_column(sa.Column('last_import_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_import_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_qa_case_last_import_id', ['last_import_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_qa_case_last_import_id_qa_case_import', 'qa_case_import', ['last_import_id'], ['id']
        )
        batch_op.create_foreign_key(
            'fk_qa_case_closed_by_import_id_qa_case_import', 'qa_case_import', ['closed_by_import_id'], ['id']
        )
    with op.batch_alter_table('qa_case_import') as batch_op:
        batch_op.add_column(sa.Column('team_ids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    with op.batch_alter_table('qa_case_import') as batch_op:
        batch_op.alter_column('team_ids', server_default=None)


def downgrade():
    with op.batch_alter_table('qa_case_import') as batch_op:
        batch_op.drop_column('team_ids')
    with op.batch_alter_table('qa_case') as batch_op:
        batch_op.drop_constraint('fk_qa_case_closed_by_import_id_qa_case_import', type_='foreignkey')
        batch_op.drop_constraint('fk_qa_case_last_import_id_qa_case_import', type_='foreignkey')
        batch_op.drop_index('ix_qa_case_last_import_id')
        batch_op.drop_column('closed_by_import_id')
        batch_op.drop_column('last_import_id')
