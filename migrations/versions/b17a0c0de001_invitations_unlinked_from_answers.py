"""Invitations unlinked from their answers; cancelled invitations

A response no longer points at the invitation it came through, and an invitation records only
that it was answered, not when. Invitations to a form that does not keep the case reference lose
their case reference and worker once answered; existing ones are cleared here. Invitations can
be cancelled.

Revision ID: b17a0c0de001
Revises: b17a0c0de002
Create Date: 2026-12-04 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17a0c0de001'
down_revision = 'b17a0c0de002'
branch_labels = None
depends_on = None

invitation = sa.table(
    'invitation',
    sa.column('id', sa.Integer()),
    sa.column('case_reference', sa.String(40)),
    sa.column('created_by_id', sa.Integer()),
    sa.column('used_at', sa.DateTime()),
    sa.column('answered', sa.Boolean()),
)
response = sa.table(
    'response',
    sa.column('invitation_id', sa.Integer()),
    sa.column('case_reference', sa.String(40)),
)


def upgrade():
    # Plain ALTER TABLE ADD COLUMN (no rebuild on SQLite while responses still point at invitations).
    op.add_column('invitation', sa.Column('answered', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('invitation', sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    op.execute(invitation.update().where(invitation.c.used_at.is_not(None)).values(answered=sa.true()))

    # An answer that kept the case reference came through a form that keeps it (the closure form);
    # every other answered invitation forgets its case and its worker. Found before the link goes.
    kept = sa.exists().where(response.c.invitation_id == invitation.c.id, response.c.case_reference.is_not(None))
    forget = list(op.get_bind().scalars(sa.select(invitation.c.id).where(invitation.c.answered == sa.true(), ~kept)))

    # The response's link goes first: on SQLite the invitation table is then rebuilt with nothing pointing at it.
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint('fk_response_invitation_id_invitation', type_='foreignkey')
        batch_op.drop_constraint('uq_response_invitation_id', type_='unique')
        batch_op.drop_column('invitation_id')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('case_reference', existing_type=sa.String(length=40), nullable=True)
        batch_op.alter_column('created_by_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('answered', existing_type=sa.Boolean(), server_default=None)
        batch_op.drop_column('used_at')
    for start in range(0, len(forget), 500):
        chosen = forget[start : start + 500]
        op.execute(invitation.update().where(invitation.c.id.in_(chosen)).values(case_reference=None, created_by_id=None))


def downgrade():
    # The links and times dropped on the way up are gone for good: answered invitations come back
    # answered "now", linked to no response.
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_response_invitation_id', ['invitation_id'])
        batch_op.create_foreign_key('fk_response_invitation_id_invitation', 'invitation', ['invitation_id'], ['id'])

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('used_at', sa.DateTime(), nullable=True))
    op.execute(invitation.update().where(invitation.c.answered == sa.true()).values(used_at=sa.func.now()))
    op.execute(invitation.update().where(invitation.c.case_reference.is_(None)).values(case_reference=''))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('answered')
        batch_op.alter_column('case_reference', existing_type=sa.String(length=40), nullable=False)
