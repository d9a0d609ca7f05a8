"""Headline questions in stored form versions

Until definitions could say which question feeds a headline measure (``headline:``), the
reports found them by id: ``help_helped`` on family and child forms, ``overall_satisfaction``
on partner forms. Versions stored before then are marked the same way here, so their
responses still count. Only this reporting mark is added; the wording people answered is
untouched.

Revision ID: a7b8c9d0e1f2
Revises: f1a2b3c4d5e6
Create Date: 2026-11-23 17:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7b8c9d0e1f2'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

BY_ID = {
    'help_helped': ('families_helped', ('family', 'child')),
    'overall_satisfaction': ('partner_satisfaction', ('partner',)),
}
form_version = sa.table('form_version', sa.column('id', sa.Integer), sa.column('spec', sa.JSON))


def _marked(spec, mark):
    """The snapshot with the headline questions marked (``mark``) or unmarked; None if unchanged."""
    changed = False
    for section in spec.get('sections', []):
        for question in section.get('questions', []):
            measure, audiences = BY_ID.get(question.get('id'), (None, ()))
            if measure is None or spec.get('audience') not in audiences or not question.get('positive'):
                continue
            if mark and not question.get('headline'):
                question['headline'] = measure
                changed = True
            elif not mark and question.get('headline') == measure:
                del question['headline']
                changed = True
    return spec if changed else None


def _mark_all(mark):
    connection = op.get_bind()
    for version_id, spec in connection.execute(sa.select(form_version.c.id, form_version.c.spec)).all():
        if isinstance(spec, dict) and (updated := _marked(spec, mark)) is not None:
            connection.execute(form_version.update().where(form_version.c.id == version_id).values(spec=updated))


def upgrade():
    _mark_all(True)


def downgrade():
    _mark_all(False)
