"""Partner contacts, who was emailed each round's link, and round messages in the outbox

Revision ID: p4rtner00001
Revises: p0stc1ose001
Create Date: 2026-12-15 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'p4rtner00001'
down_revision = 'p0stc1ose001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partner_contact',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation', sa.String(length=120), nullable=False),
        sa.Column('agency_type', sa.String(length=40), nullable=False),
        sa.Column('district', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_contact')),
        sa.UniqueConstraint('email', name=op.f('uq_partner_contact_email')),
    )
    with op.batch_alter_table('partner_contact') as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_contact_agency_type'), ['agency_type'], unique=False)
    op.create_table(
        'round_email',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=True),
        sa.Column('agency_type', sa.String(length=40), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['feedback_round.id'], name=op.f('fk_round_email_round_id_feedback_round')),
        sa.ForeignKeyConstraint(
            ['contact_id'], ['partner_contact.id'], name=op.f('fk_round_email_contact_id_partner_contact')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_email')),
        sa.UniqueConstraint('round_id', 'contact_id', name=op.f('uq_round_email_round_id_contact_id')),
    )
    with op.batch_alter_table('round_email') as batch_op:
        batch_op.create_index(batch_op.f('ix_round_email_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_email_contact_id'), ['contact_id'], unique=False)
    with op.batch_alter_table('feedback_round') as batch_op:
        batch_op.add_column(sa.Column('staff_emailed', sa.Integer(), nullable=False, server_default='0'))
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('round_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('forget_recipient', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_outbox_message_round_id'), ['round_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_outbox_message_round_id_feedback_round', 'feedback_round', ['round_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_constraint('fk_outbox_message_round_id_feedback_round', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_round_id'))
        batch_op.drop_column('forget_recipient')
        batch_op.drop_column('round_id')
    with op.batch_alter_table('feedback_round') as batch_op:
        batch_op.drop_column('staff_emailed')
    op.drop_table('round_email')
    op.drop_table('partner_contact')
