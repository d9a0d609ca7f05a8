"""Loading audits and actions for a view: 404 if missing, 403 if the policy says no."""

import re

from flask import abort
from sqlalchemy import select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec
from qaf.models import Audit, AuditAction, Service, Team, User
from qaf.policy import Action, allowed_or_403

CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{0,39}")


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


def team_choices() -> list[tuple[str, str]]:
    teams = db.session.scalars(select(Team).join(Service).order_by(Service.name, Team.name))
    return [(str(team.id), f"{team.name} ({team.service.name})") for team in teams]


def staff_choices() -> list[tuple[str, str]]:
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [(str(person.id), f"{person.name} ({person.team.name if person.team else 'no team'})") for person in people]
