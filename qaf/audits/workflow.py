"""The audit workflow: start, save a draft, submit, moderate; actions raised and followed.

Each function works inside the caller's write transaction and records what it did.
"""

from datetime import date
from typing import Any

from sqlalchemy import select

from qaf.audits.alerts import send_alerts
from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.models import ActionChange, Audit, AuditAction, User, utc_now
from qaf.reports.periods import uk_date
from qaf.responses import ensure_form_version


def complete_work_of(audit: Audit, on: date) -> None:
    # An audit started for a person's due work completes it (qaf.programme.targets); imported late
    # because the programme's views import this module.
    from qaf.programme.targets import complete_work_of as complete

    complete(audit, on)


def start_audit(
    spec: FormSpec, *, case_reference: str, team_id: int, practitioner_id: int | None, auditor: User
) -> Audit:
    audit = Audit(
        form_key=spec.key,
        form_version_id=ensure_form_version(spec),
        case_reference=case_reference,
        team_id=team_id,
        practitioner_id=practitioner_id,
        auditor_id=auditor.id,
        answers={},
    )
    db.session.add(audit)
    db.session.flush()
    return audit


def save_draft(audit: Audit, answers: dict[str, Any]) -> None:
    assert audit.is_draft
    audit.answers = answers
    audit.updated_at = utc_now()


def submit_audit(audit: Audit, spec: FormSpec, answers: dict[str, Any]) -> list[str]:
    """Fix the answers, grade and scaling; send any alerts the answers call for. Returns the alert reasons."""
    assert audit.is_draft
    audit.answers = answers
    audit.status = "submitted"
    audit.submitted_at = audit.updated_at = utc_now()
    audit.grade = answers.get(spec.grade_question) if spec.grade_question else None
    audit.scaling = answers.get(spec.scaling_question) if spec.scaling_question else None
    complete_work_of(audit, uk_date(audit.submitted_at))
    rules = [rule for rule in spec.alerts if answers.get(rule.question) in rule.answers]
    if rules:
        send_alerts(audit, spec, rules)
    return [rule.reason for rule in rules]


def moderate_audit(audit: Audit, spec: FormSpec, moderator: User, *, grade: str | None, comment: str) -> None:
    """Agree the grade (``grade`` None) or record a moderated one; a moderated Inadequate alerts too."""
    assert not audit.is_draft
    audit.moderator_id = moderator.id
    audit.moderated_at = utc_now()
    audit.moderation_comment = comment
    audit.moderated_grade = grade if grade and grade != audit.grade else None
    if audit.moderated_grade and spec.grade_question:
        rules = [
            rule
            for rule in spec.alerts
            if rule.question == spec.grade_question and audit.moderated_grade in rule.answers
        ]
        if rules:
            send_alerts(audit, spec, rules, after_moderation=True)


def raise_action(audit: Audit, *, description: str, owner_id: int, due_date: date, by: User) -> AuditAction:
    action = AuditAction(
        audit_id=audit.id, description=description, owner_id=owner_id, due_date=due_date, created_by_id=by.id
    )
    db.session.add(action)
    db.session.flush()
    db.session.add(ActionChange(action_id=action.id, by_id=by.id, status="open", note="Action raised"))
    return action


def update_action(action: AuditAction, *, status: str, note: str, by: User) -> None:
    action.status = status
    if status == "done":
        action.completion_note = note
        action.completed_at = utc_now()
    else:
        action.completed_at = None
    db.session.add(ActionChange(action_id=action.id, by_id=by.id, status=status, note=note))


def people_in_team(team_id: int) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.team_id == team_id, User.active.is_(True)).order_by(User.name))
    )
