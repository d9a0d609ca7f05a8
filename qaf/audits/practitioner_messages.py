"""The practitioner whose work is audited is told, in writing, when the audit starts and when it is
submitted, once each, so that they can add their side to it (seed 004, 4.1: a collaborative
practice evaluation is completed alongside the practitioner; 4.8: they are told the outcome).

A message names the audit by its number, template and team, and links to it; never the case or a
child. It is recorded beside the reminders (``ReminderSent``), so it is never written twice.
"""

from sqlalchemy import select

from qaf.extensions import db
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import Audit, ReminderSent

SUBJECTS = {
    "started": "QAF: an audit of your work has started",
    "submitted": "QAF: an audit of your work has been submitted",
}


def _body(audit: Audit, kind: str) -> str:
    assert audit.practitioner is not None
    what = f"Audit {audit.id} ({audit.form_version.title}) in {audit.team.name}"
    if kind == "started":
        news = f"{audit.auditor.name} has started {what}, about your work."
        next_step = "You can add your comments on the practice and the case to the audit while it is in progress:"
        link = public_url("audits.comments", audit_id=audit.id)
    else:
        news = f"{audit.auditor.name} has submitted {what}, about your work."
        next_step = "Read it, and add your comments until it is moderated:"
        link = public_url("audits.view_audit", audit_id=audit.id)
    return f"Dear {audit.practitioner.name},\n\n{news}\n\n{next_step}\n{link}\n"


def tell_practitioner(audit: Audit, kind: str) -> None:
    """Write to the audit's practitioner that it has ``kind`` ("started" or "submitted"), once.

    Nobody is told of an audit with no practitioner, or of their own; works in the caller's transaction.
    """
    person = audit.practitioner
    if person is None or not person.active or person.id == audit.auditor_id:
        return
    already = db.session.scalar(
        select(ReminderSent.id).where(
            ReminderSent.subject == "audit",
            ReminderSent.subject_id == audit.id,
            ReminderSent.kind == kind,
            ReminderSent.user_id == person.id,
        )
    )
    if already is not None:
        return
    message = send_email(person.email, SUBJECTS[kind], _body(audit, kind))
    db.session.add(
        ReminderSent(subject="audit", subject_id=audit.id, kind=kind, user_id=person.id, outbox_message_id=message.id)
    )
