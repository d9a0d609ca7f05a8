"""Staff sign-in, sign-out and passwords. Families and partners never sign in."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from qaf.auth import council_views, views  # noqa: E402,F401  (the views register themselves on bp)
