"""Loading audits and actions for a view: 404 if missing, 403 if the policy says no."""

from flask import abort

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec
from qaf.models import Audit, AuditAction
from qaf.policy import Action, allowed_or_403


def audit_for(action: Action, audit_id: int) -> Audit:
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    return allowed_or_403(action, audit)  # type: ignore[no-any-return]


def action_for(action: Action, action_id: int) -> AuditAction:
    found = db.session.get(AuditAction, action_id)
    if found is None:
        abort(404)
    return allowed_or_403(action, found)  # type: ignore[no-any-return]


def audit_templates() -> dict[str, FormSpec]:
    return {key: spec for key, spec in all_forms().items() if spec.audience == "auditor"}
