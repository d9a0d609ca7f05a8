"""Forms changed in the browser: form_publication (numbered, immutable versions) and form_draft

Revision ID: ed1t0r000001
Revises: b13a0c0de009
Create Date: 2026-12-14 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ed1t0r000001'
down_revision = 'b13a0c0de009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_publication',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_key', sa.String(length=60), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('definition', sa.JSON(), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['published_by_id'], ['user_account.id'], name='fk_form_publication_published_by_id_user_account'
        ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('form_key', 'number', name='uq_form_publication_form_key_number'),
    )
    with op.batch_alter_table('form_publication', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_publication_form_key'), ['form_key'], unique=False)
    op.create_table(
        'form_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_key', sa.String(length=60), nullable=False),
        sa.Column('definition', sa.JSON(), nullable=False),
        sa.Column('based_on_publication_id', sa.Integer(), nullable=True),
        sa.Column('based_on_digest', sa.String(length=64), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['based_on_publication_id'],
            ['form_publication.id'],
            name='fk_form_draft_based_on_publication_id_form_publication',
        ),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name='fk_form_draft_updated_by_id_user_account'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('form_key', name='uq_form_draft_form_key'),
    )


def downgrade():
    op.drop_table('form_draft')
    with op.batch_alter_table('form_publication', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_publication_form_key'))
    op.drop_table('form_publication')
