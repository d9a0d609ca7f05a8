"""An alert nobody marks as seen is chased: after 2 working days its audit's service managers are
told, and 2 working days after that the Director (DIRECTOR_EMAIL), once each (seed 004, 3.6: immediate
concerns are shared with the service manager and the Director).

Working days skip weekends and England's bank holidays (qaf.working_days): an alert sent on a
Friday has Monday and Tuesday as its 2 working days, and is chased on Wednesday morning. The worker's
scheduler runs this each morning; ``flask --app app qaf escalate-alerts`` does the same from cron.
"""

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.audits.alerts import alert_link, alert_subject, service_managers
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.mail import send_email
from qaf.models import Alert, utc_now
from qaf.reports.periods import uk_date
from qaf.working_days import working_days_after

WORKING_DAYS_TO_SERVICE_MANAGER = 2
WORKING_DAYS_TO_DIRECTOR = 4
# Alerts older than this when escalation starts (a new deployment) are not chased: the audit page shows them.
ESCALATION_WINDOW_DAYS = 28


def _due(alert: Alert, working_days: int, today: date) -> bool:
    """Whether ``working_days`` whole working days have passed since the alert was sent."""
    return today > working_days_after(uk_date(alert.created_at), working_days)


def _body(alert: Alert, who: str, days: int) -> str:
    audit = alert.audit
    told = ", ".join(f"{recipient.name} ({recipient.why})" for recipient in alert.recipients if recipient.was_told)
    return (
        f"Dear {who},\n\n"
        f"{alert.concerns.replace(chr(10), ', ') or 'Concern'}: alert {alert.id} about audit {audit.id} "
        f"({audit.form_version.title}) in {audit.team.name} has not been marked as seen by anyone it was sent "
        f"to in {days} working days.\n\n"
        f"It was sent on {uk_date(alert.created_at):%-d %B %Y} to: {told or 'nobody'}.\n\n"
        f"Read the audit and make sure the concern is acted on:\n{alert_link(alert)}\n"
    )


def _to_service_managers(alert: Alert) -> str | None:
    """Tell the service managers; a line for the run's output when there are none to tell."""
    managers = service_managers(alert.audit.team.service_id)
    if not managers:
        return f"alert {alert.id}: no service manager recorded for {alert.audit.team.name}'s service"
    subject = alert_subject(alert, "has not been marked as seen")
    for person in managers:
        send_email(person.email, subject, _body(alert, person.name, WORKING_DAYS_TO_SERVICE_MANAGER))
    alert.escalated_to_service_at = utc_now()
    return None


def _to_director(alert: Alert) -> str | None:
    director = current_app.config["DIRECTOR_EMAIL"]
    if not director:
        return f"alert {alert.id}: DIRECTOR_EMAIL is not set, so the Director was not told"
    subject = alert_subject(alert, "has not been marked as seen")
    send_email(director, subject, _body(alert, "Director", WORKING_DAYS_TO_DIRECTOR))
    alert.escalated_to_director_at = utc_now()
    return None


def escalate_alerts(today: date) -> str:
    """Chase each recent alert nobody has marked as seen; returns what was done, for the run's output."""

    def work() -> str:
        since = datetime.combine(today - timedelta(days=ESCALATION_WINDOW_DAYS), time())
        query = (
            select(Alert)
            .where(Alert.escalated_to_director_at.is_(None), Alert.created_at >= since)
            .options(selectinload(Alert.recipients))
            .order_by(Alert.id)
        )
        to_service = to_director = 0
        problems: list[str] = []
        for alert in db.session.scalars(query):
            if alert.seen_by:
                continue
            if alert.escalated_to_service_at is None and _due(alert, WORKING_DAYS_TO_SERVICE_MANAGER, today):
                problem = _to_service_managers(alert)
                to_service += problem is None
                problems += [problem] if problem else []
            if _due(alert, WORKING_DAYS_TO_DIRECTOR, today):
                problem = _to_director(alert)
                to_director += problem is None
                problems += [problem] if problem else []
        summary = f"{to_service} alert(s) sent on to service managers; {to_director} alert(s) sent on to the Director"
        return "\n".join([summary, *(f"Not sent on: {problem}" for problem in problems)])

    return run_write_transaction(work)
