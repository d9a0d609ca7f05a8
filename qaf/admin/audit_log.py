"""The audit log and the outbox, for QA administrators."""

from datetime import date, datetime, time, timedelta

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from qaf.admin import bp
from qaf.audit_log import EVENTS
from qaf.extensions import db
from qaf.jobs import enqueue
from qaf.mail import LINK_MARK, delivery_state
from qaf.models import AuditEvent, OutboxMessage
from qaf.policy import Action, requires
from qaf.query_args import text_arg

PAGE_SIZE = 200


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@bp.get("/audit-log")
@requires(Action.VIEW_AUDIT_LOG)
def audit_log() -> str:
    event = text_arg("event", 60)
    who = text_arg("who", 254).lower()
    since, until = _day(text_arg("from", 10)), _day(text_arg("to", 10))
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE)
    if event in EVENTS:
        query = query.where(AuditEvent.event == event)
    if who:
        query = query.where(AuditEvent.actor_email.contains(who, autoescape=True))
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
    return render_template(
        "admin/audit-log.html",
        events=db.session.scalars(query).all(),
        event_names=EVENTS,
        filters={
            "event": event,
            "who": who,
            "from": since.isoformat() if since else "",
            "to": until.isoformat() if until else "",
        },
        page_size=PAGE_SIZE,
    )


@bp.get("/outbox")
@requires(Action.VIEW_OUTBOX)
def outbox() -> str:
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)).all()
    return render_template(
        "admin/outbox.html",
        messages=[(message, delivery_state(message)) for message in messages],
        link_mark=LINK_MARK,
    )


@bp.post("/outbox/deliveries")
@requires(Action.VIEW_OUTBOX)
def read_deliveries():  # type: ignore[no-untyped-def]
    enqueue("read_deliveries")
    flash("QAF is asking GOV.UK Notify what became of the messages it sent this week: reload this page in a minute.")
    return redirect(url_for("admin.outbox"))
