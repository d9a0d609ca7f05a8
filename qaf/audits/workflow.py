"""The audit workflow: start, save a draft, submit, moderate; actions raised and followed.

Each function works inside the caller's write transaction and records what it did.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from qaf.audits.alerts import rules_met, send_alerts
from qaf.audits.practitioner_messages import tell_practitioner
from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.models import ActionChange, Audit, AuditAction, AuditComment, User, utc_now
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
    tell_practitioner(audit, "started")
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
    tell_practitioner(audit, "submitted")
    rules = rules_met(spec, answers)
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


def add_comment(audit: Audit, author: User, text: str) -> AuditComment:
    """Keep a comment with the audit: who wrote it and when are shown with it."""
    comment = AuditComment(audit_id=audit.id, author_id=author.id, text=text)
    db.session.add(comment)
    return comment


@dataclass(frozen=True)
class ActionPlan:
    """What an action plan entry holds when it is raised (Camden 4.4)."""

    target: str
    action: str
    owner_id: int
    worker_ids: list[int]
    due_date: date


def raise_action(
    plan: ActionPlan, *, by: User, audit: Audit | None = None, thematic_id: int | None = None
) -> AuditAction:
    """Raise an action from an audit or a thematic evaluation, and tell its owner and workers in writing."""
    action = AuditAction(
        audit_id=audit.id if audit else None,
        thematic_id=thematic_id,
        target=plan.target,
        action=plan.action,
        owner_id=plan.owner_id,
        due_date=plan.due_date,
        created_by_id=by.id,
    )
    if plan.worker_ids:
        action.workers = list(db.session.scalars(select(User).where(User.id.in_(plan.worker_ids))))
    db.session.add(action)
    db.session.flush()
    db.session.add(ActionChange(action_id=action.id, by_id=by.id, status="open", note="Action raised"))
    # Imported here: the programme's package loads its views, which load this module.
    from qaf.programme.reminders import tell_about_new_action

    tell_about_new_action(action)
    return action


def update_action(action: AuditAction, *, status: str, note: str, outcome: str, by: User) -> None:
    """Record progress; closing an action records its outcome."""
    action.status = status
    if status == "done":
        action.outcome = outcome
        action.completed_at = utc_now()
    else:
        action.completed_at = None
    db.session.add(ActionChange(action_id=action.id, by_id=by.id, status=status, note=note or outcome))


def people_in_team(team_id: int) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.team_id == team_id, User.active.is_(True)).order_by(User.name))
    )
