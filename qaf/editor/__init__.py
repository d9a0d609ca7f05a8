"""The form editor: QA administrators change a form or audit template in a draft, check it,
preview it and publish it as a new numbered version (qaf.forms_registry answers it from then on)."""

from flask import Blueprint

bp = Blueprint("editor", __name__, url_prefix="/admin/forms")

from qaf.editor import alert_views, question_views, section_views, views  # noqa: E402,F401  (views register on bp)
