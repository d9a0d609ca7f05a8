"""Loading audits and actions for a view: 404 if missing, 403 if the policy says no."""

from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec
from qaf.models import Audit, AuditAction
from qaf.objects import get_or_404
from qaf.policy import Action


def audit_for(action: Action, audit_id: int) -> Audit:
    return get_or_404(Audit, audit_id, action)


def action_for(action: Action, action_id: int) -> AuditAction:
    return get_or_404(AuditAction, action_id, action)


def audit_templates() -> dict[str, FormSpec]:
    return {key: spec for key, spec in all_forms().items() if spec.audience == "auditor"}
