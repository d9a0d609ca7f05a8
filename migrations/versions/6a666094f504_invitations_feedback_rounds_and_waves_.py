"""invitations, feedback rounds and waves; alerts to addresses

Revision ID: 6a666094f504
Revises: 78c6f8c822d7
Create Date: 2026-11-23 14:42:27.665392

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a666094f504'
down_revision = '78c6f8c822d7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feedback_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_round_form_key'), ['form_key'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('form_key', sa.String(length=60), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('case_reference', sa.String(length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_created_by_id'), ['created_by_id'], unique=False)

    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('case_reference', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_response_round_id'), ['round_id'], unique=False)
        batch_op.create_unique_constraint('uq_response_invitation_id', ['invitation_id'])
        batch_op.create_foreign_key('fk_response_invitation_id_invitation', 'invitation', ['invitation_id'], ['id'])
        batch_op.create_foreign_key('fk_response_round_id_feedback_round', 'feedback_round', ['round_id'], ['id'])



def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint('fk_response_round_id_feedback_round', type_='foreignkey')
        batch_op.drop_constraint('fk_response_invitation_id_invitation', type_='foreignkey')
        batch_op.drop_constraint('uq_response_invitation_id', type_='unique')
        batch_op.drop_index(batch_op.f('ix_response_round_id'))
        batch_op.drop_column('case_reference')
        batch_op.drop_column('round_id')
        batch_op.drop_column('invitation_id')

    with op.batch_alter_table('alert_recipient', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('email')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_created_by_id'))

    op.drop_table('invitation')
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_round_form_key'))

    op.drop_table('feedback_round')
