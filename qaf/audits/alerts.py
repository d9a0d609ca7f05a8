"""Alerts: an Inadequate grade or an unresolved safeguarding issue is told, in writing, to the
practitioner's line manager, the team manager and the service manager (Cumbria, seed 003).
The message names the audit, never a child.
"""

from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import Alert, AlertRecipient, Audit, Team, User
from qaf.policy import Role


def alert_recipients(audit: Audit) -> list[tuple[User, str]]:
    """Who hears about the audit, and why: each person once, in the order they are responsible.

    The auditor is never on the list: they raised the concern.
    """
    found: dict[int, tuple[User, str]] = {}
    practitioner = audit.practitioner
    manager = practitioner.line_manager if practitioner is not None else None
    if manager is not None and manager.active and manager.id != audit.auditor_id:
        found[manager.id] = (manager, "line manager")
    team_managers = db.session.scalars(
        select(User).where(User.team_id == audit.team_id, User.role == Role.AUDITOR, User.active.is_(True))
    )
    service_managers = db.session.scalars(
        select(User)
        .join(Team, User.team_id == Team.id)
        .where(Team.service_id == audit.team.service_id, User.role == Role.SERVICE_MANAGER, User.active.is_(True))
    )
    for people, why in ((team_managers, "team manager"), (service_managers, "service manager")):
        for person in people:
            if person.id != audit.auditor_id:
                found.setdefault(person.id, (person, why))
    return list(found.values())


def send_alerts(audit: Audit, spec: FormSpec, reasons: list[str]) -> Alert:
    alert = Alert(audit_id=audit.id, reasons="\n".join(reasons))
    db.session.add(alert)
    db.session.flush()
    link = public_url("audits.view_audit", audit_id=audit.id)
    body = (
        f"Audit {audit.id} ({spec.title}) of case {audit.case_reference} in {audit.team.name} "
        f"needs your attention:\n\n"
        + "\n".join(f"- {reason}" for reason in reasons)
        + f"\n\nThe auditor was {audit.auditor.name}. Read the audit and agree the next steps:\n{link}\n"
    )
    for person, why in alert_recipients(audit):
        message = send_email(person.email, f"QAF alert: audit {audit.id} needs your attention", body)
        db.session.flush()
        db.session.add(AlertRecipient(alert_id=alert.id, user_id=person.id, why=why, outbox_message_id=message.id))
    return alert
