"""Overdue audits and due work are escalated to the assignee's line manager once they are
ESCALATE_AFTER_DAYS (5) overdue, once, in the morning reminder run; never naming a child."""

from datetime import date, timedelta

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Activity, ActivityWork, Allocation, OutboxMessage, Team, User
from qaf.programme.reminders import send_reminders

DUE = date(2026, 11, 16)


def setup_overdue(app, staff) -> None:
    """Priya's unit meeting peer audit (her line manager is Alex) and Alex's audit of EH-77 (he has none),
    both due on 16 November."""
    with app.app_context():
        ashford = db.session.scalar(select(Team).where(Team.slug == "ashford-ehu"))
        activity = Activity(name="Unit meeting peer audit", frequency="monthly", starts_on=date(2027, 6, 1))
        db.session.add(activity)
        db.session.flush()
        db.session.add(
            ActivityWork(
                activity_id=activity.id,
                period_start=DUE - timedelta(days=27),
                period_end=DUE,
                due_date=DUE,
                team_id=ashford.id,
                assignees=[db.session.get(User, staff["practitioner"]["id"])],
            )
        )
        db.session.add(
            Allocation(
                case_reference="EH-77",
                team_id=ashford.id,
                auditor_id=staff["auditor"]["id"],
                form_key="sample-audit",
                due_date=DUE,
            )
        )
        db.session.commit()


def escalations(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.body.contains("for people you line manage"))
            .order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def run(app, day: date) -> str:
    with app.app_context():
        return send_reminders(day)


def test_work_five_days_overdue_is_escalated_to_the_line_manager_once(app, staff):
    setup_overdue(app, staff)
    run(app, DUE + timedelta(days=4))
    assert escalations(app) == [], "not before five days overdue"

    said = run(app, DUE + timedelta(days=5))
    [message] = escalations(app)
    assert message.recipient == "auditor@example.gov.uk"
    # Alex was reminded of his own overdue audit of EH-77 yesterday: today's message is the escalation alone.
    assert message.subject == "QAF: overdue work of someone you line manage"
    assert (
        "Overdue by 5 days or more, for people you line manage:\n"
        "- Priya Worker: Unit meeting peer audit (Ashford Early Help Unit), due 16 November 2026"
    ) in message.body
    # Alex has no line manager: his overdue audit goes nowhere, and the run says so.
    assert said.splitlines()[1:] == [
        "Not escalated, as no line manager is recorded: Alex Auditor (Audit of case EH-77, due 16 November 2026)"
    ]

    run(app, DUE + timedelta(days=6))
    run(app, DUE + timedelta(days=12))
    assert len(escalations(app)) == 1, "once"


def test_an_overdue_audit_is_escalated_to_the_auditors_line_manager(app, staff):
    setup_overdue(app, staff)
    with app.app_context():
        db.session.get(User, staff["auditor"]["id"]).line_manager_id = staff["service_manager"]["id"]
        db.session.commit()
    said = run(app, DUE + timedelta(days=5))
    assert "Not escalated" not in said
    by_recipient = {message.recipient: message for message in escalations(app)}
    sam = by_recipient["sm@example.gov.uk"]
    assert sam.subject == "QAF: overdue work of someone you line manage"
    assert sam.body.startswith("Dear Sam Manager,\n\nQuality assurance work of someone you line manage is overdue.")
    assert "- Alex Auditor: Audit of case EH-77, due 16 November 2026" in sam.body
    assert "Priya" not in sam.body


def test_done_work_and_a_cancelled_audit_are_not_escalated(app, staff):
    setup_overdue(app, staff)
    with app.app_context():
        db.session.get(User, staff["auditor"]["id"]).line_manager_id = staff["service_manager"]["id"]
        for work in db.session.scalars(select(ActivityWork)):
            work.completed_on = DUE + timedelta(days=1)
        for allocation in db.session.scalars(select(Allocation)):
            allocation.cancelled_at = allocation.created_at
        db.session.commit()
    said = run(app, DUE + timedelta(days=5))
    assert escalations(app) == []
    assert "Not escalated" not in said


def test_the_number_of_days_is_set_by_escalate_after_days(app, staff):
    setup_overdue(app, staff)
    app.config["ESCALATE_AFTER_DAYS"] = 10
    run(app, DUE + timedelta(days=9))
    assert escalations(app) == []
    run(app, DUE + timedelta(days=10))
    [message] = escalations(app)
    assert "Overdue by 10 days or more" in message.body
