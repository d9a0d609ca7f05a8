"""Open links for families, children and young people, partners and staff: no account needed."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from qaf.public import views  # noqa: E402,F401  (the views register themselves on bp)
