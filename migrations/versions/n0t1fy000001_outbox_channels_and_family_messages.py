"""The outbox carries text messages and messages to families: channel, reminder day, claim time, Notify's id and status

Revision ID: n0t1fy000001
Revises: ed1t0r000001
Create Date: 2026-12-14 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'n0t1fy000001'
down_revision = 'ed1t0r000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='email'))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('send_after', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('notify_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('delivery', sa.String(length=30), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_outbox_message_send_after'), ['send_after'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_outbox_message_invitation_id_invitation', 'invitation', ['invitation_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_constraint('fk_outbox_message_invitation_id_invitation', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_invitation_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_send_after'))
        for column in ('delivery', 'notify_id', 'link', 'invitation_id', 'send_after', 'claimed_at', 'channel'):
            batch_op.drop_column(column)
