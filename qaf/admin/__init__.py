"""The QA team's pages: people, services and teams, the audit log and the outbox."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from qaf.admin import audit_log, organisation, people, voids  # noqa: E402,F401  (views register themselves on bp)
