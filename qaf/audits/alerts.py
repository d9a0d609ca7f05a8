"""Alerts: an Inadequate grade or an unresolved safeguarding issue is told, in writing, to the
practitioner's line manager, the team manager and the service manager (Cumbria, seed 003).
The message names the audit by number and team, and the kind of concern; never the case or a child.
Each person told marks it as seen on the audit's page; qaf.audits.alert_escalation chases one nobody has.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.formspec.conditions import hidden_questions
from qaf.formspec.spec import AlertRule
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import Alert, AlertRecipient, Audit, User, utc_now
from qaf.organisation import works_in_service
from qaf.policy import Role


@dataclass(frozen=True)
class Recipient:
    email: str
    why: str
    user: User | None = None


def service_managers(service_id: int | None) -> list[User]:
    """The service's active service managers, by name."""
    query = select(User).where(works_in_service(service_id), User.role == Role.SERVICE_MANAGER, User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.name)))


def alert_recipients(audit: Audit, also_tell: set[str]) -> list[Recipient]:
    """Who hears about the audit, and why: each person once, in the order they are responsible.

    The auditor is never on the list: they raised the concern.
    """
    found: dict[str, Recipient] = {}

    def add(person: User | None, why: str) -> None:
        if person is not None and person.active and person.id != audit.auditor_id:
            found.setdefault(person.email, Recipient(person.email, why, person))

    practitioner = audit.practitioner
    add(practitioner.line_manager if practitioner is not None else None, "line manager")
    team_managers = db.session.scalars(
        select(User).where(User.team_id == audit.team_id, User.role == Role.AUDITOR, User.active.is_(True))
    )
    for person in team_managers:
        add(person, "team manager")
    for person in service_managers(audit.team.service_id):
        add(person, "service manager")
    if "practitioner" in also_tell:
        add(practitioner, "practitioner")
    if "director" in also_tell:
        # With no DIRECTOR_EMAIL the Director is listed with no address: the page says they were not told.
        director = current_app.config["DIRECTOR_EMAIL"]
        found.setdefault(director, Recipient(director, "director"))
    return list(found.values())


def unreachable_recipients(specs: Iterable[FormSpec], config: Mapping[str, Any]) -> list[str]:
    """A warning for each template whose alerts name someone QAF has no address for."""
    if config.get("DIRECTOR_EMAIL"):
        return []
    return [
        f"{spec.path or spec.key}: its alerts tell the Director, but DIRECTOR_EMAIL is not set, "
        "so the Director will not be told. Set DIRECTOR_EMAIL to their address."
        for spec in specs
        if any("director" in rule.also_tell for rule in spec.alerts)
    ]


def rules_met(spec: FormSpec, answers: Mapping[str, Any]) -> list[AlertRule]:
    """The alert rules the answers meet. A question the answers did not show (in a section the auditor
    marked not applicable, or on an unmet condition) raises no alert, whatever answer was sent for it."""
    hidden = hidden_questions(spec, answers, None)
    return [rule for rule in spec.alerts if rule.question not in hidden and answers.get(rule.question) in rule.answers]


def concern_kind(spec: FormSpec, rule: AlertRule) -> str:
    """What kind of concern the rule raises, as messages name it: "Inadequate practice" for a grade,
    "Safeguarding concern" for a question about safeguarding, "Immediate concern about practice" for
    immediate areas for concern (seed 004), else "Concern about practice"."""
    if rule.question == spec.grade_question and spec.grade is not None:
        labels = [option.label for option in spec.grade.options if option.value in rule.answers]
        return f"{' or '.join(labels) or 'Inadequate'} practice"
    if "safeguarding" in rule.question:
        return "Safeguarding concern"
    if "immediate" in rule.question:
        return "Immediate concern about practice"
    return "Concern about practice"


def concern_kinds(spec: FormSpec, rules: list[AlertRule]) -> list[str]:
    return list(dict.fromkeys(concern_kind(spec, rule) for rule in rules))


def alert_subject(alert: Alert, what: str = "needs your attention") -> str:
    kinds = alert.concerns.replace("\n", ", ") or "Concern"
    return f"QAF alert: {kinds}, audit {alert.audit_id} in {alert.audit.team.name} {what}"


def alert_link(alert: Alert) -> str:
    return public_url("audits.view_audit", audit_id=alert.audit_id, _anchor=f"alert-{alert.id}")


def send_alerts(audit: Audit, spec: FormSpec, rules: list[AlertRule], *, after_moderation: bool = False) -> Alert:
    reasons = [rule.reason + (" (after moderation)" if after_moderation else "") for rule in rules]
    kinds = concern_kinds(spec, rules)
    alert = Alert(audit_id=audit.id, audit=audit, reasons="\n".join(reasons), concerns="\n".join(kinds))
    db.session.add(alert)
    db.session.flush()
    body = (
        f"{', '.join(kinds)}: audit {audit.id} ({spec.title}) in {audit.team.name} needs your attention.\n\n"
        + "\n".join(f"- {reason}" for reason in reasons)
        + f"\n\nThe auditor was {audit.auditor.name}. Read the audit, mark the alert as seen and agree the next "
        f"steps:\n{alert_link(alert)}\n\nIf nobody marks it as seen within 2 working days, the service manager is "
        "told, and 2 working days later the Director.\n"
    )
    subject = alert_subject(alert)
    also_tell = {who for rule in rules for who in rule.also_tell}
    for recipient in alert_recipients(audit, also_tell):
        message = send_email(recipient.email, subject, body) if recipient.email else None
        db.session.add(
            AlertRecipient(
                alert_id=alert.id,
                user_id=recipient.user.id if recipient.user else None,
                email=recipient.email,
                why=recipient.why,
                outbox_message_id=message.id if message else None,
            )
        )
    return alert


def acknowledge_alert(alert: Alert, person: User) -> None:
    """Record that ``person``, someone it was sent to, has seen the alert."""
    for recipient in alert.recipients:
        if recipient.user_id == person.id and recipient.acknowledged_at is None:
            recipient.acknowledged_at = utc_now()
