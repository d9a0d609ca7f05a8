"""The auditor's workspace: audits, moderation and the actions audits raise."""

from flask import Blueprint

bp = Blueprint("audits", __name__)

from qaf.audits import actions as actions  # noqa: E402  (the views register themselves on bp)
from qaf.audits import comment_views as comment_views  # noqa: E402
from qaf.audits import views as views  # noqa: E402
