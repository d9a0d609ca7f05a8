"""Reminders: before work is due and when it becomes overdue, each written once, however often the command runs."""

from datetime import date, timedelta

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Activity, ActivityWork, Allocation, OutboxMessage, ReminderSent, Team, User
from qaf.programme.reminders import send_reminders

TODAY = date(2026, 11, 23)


def setup_work(app, staff) -> dict[str, int]:
    with app.app_context():
        auditor = db.session.get(User, staff["auditor"]["id"])
        practitioner = db.session.get(User, staff["practitioner"]["id"])
        ashford = db.session.scalar(select(Team).where(Team.slug == "ashford-ehu"))
        activity = Activity(name="Unit meeting peer audit", frequency="monthly", starts_on=date(2027, 6, 1))
        db.session.add(activity)
        db.session.flush()

        def work(due: date, completed: date | None = None, people=(auditor,)) -> ActivityWork:
            item = ActivityWork(
                activity_id=activity.id,
                period_start=due - timedelta(days=27),
                period_end=due,
                due_date=due,
                team_id=ashford.id,
                completed_on=completed,
                assignees=list(people),
            )
            db.session.add(item)
            return item

        soon = work(TODAY + timedelta(days=3), people=(auditor, practitioner))
        overdue = work(TODAY - timedelta(days=1))
        work(TODAY + timedelta(days=2), completed=TODAY)  # done: no reminder
        work(TODAY + timedelta(days=20))  # not yet
        work(TODAY - timedelta(days=60))  # overdue before reminders began: on the schedule page only
        allocation = Allocation(
            case_reference="EH-77",
            team_id=ashford.id,
            auditor_id=auditor.id,
            form_key="sample-audit",
            due_date=TODAY + timedelta(days=7),
        )
        db.session.add(allocation)
        db.session.commit()
        return {"soon": soon.id, "overdue": overdue.id, "allocation": allocation.id}


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(messages)


def test_each_assignee_gets_one_email_listing_what_is_due_soon_and_overdue(app, staff):
    ids = setup_work(app, staff)
    with app.app_context():
        summary = send_reminders(TODAY)
    assert summary.endswith("4 reminder(s) sent to 2 person(s)")
    messages = {message.recipient: message for message in outbox(app)}
    assert set(messages) == {"auditor@example.gov.uk", "worker@example.gov.uk"}
    auditor = messages["auditor@example.gov.uk"]
    assert auditor.subject == "QAF: quality assurance work overdue"
    assert "Overdue:\n- Unit meeting peer audit (Ashford Early Help Unit), due 22 November 2026:" in auditor.body
    assert f"/programme/work/{ids['overdue']}" in auditor.body
    assert "Due in the next 7 days:" in auditor.body
    assert "Audit of case EH-77, due 30 November 2026" in auditor.body
    assert "due 21 January 2027" not in auditor.body
    worker = messages["worker@example.gov.uk"]
    assert worker.subject == "QAF: quality assurance work due soon"
    assert "Overdue" not in worker.body


def test_running_again_sends_nothing_twice_until_work_becomes_overdue(app, staff):
    ids = setup_work(app, staff)
    with app.app_context():
        send_reminders(TODAY)
        assert send_reminders(TODAY).endswith("0 reminder(s) sent to 0 person(s)")
        assert send_reminders(TODAY + timedelta(days=1)).endswith("0 reminder(s) sent to 0 person(s)")
        # The work due in three days is overdue on the fourth: one more reminder to each assignee.
        later = send_reminders(TODAY + timedelta(days=4)).splitlines()
        assert later[0].endswith("2 reminder(s) sent to 2 person(s)")
        # The work overdue since yesterday is five days overdue: Alex has no line manager to escalate it to.
        assert later[1:] == [
            "Not escalated, as no line manager is recorded: Alex Auditor (Unit meeting peer audit (Ashford Early "
            "Help Unit), due 22 November 2026)"
        ]
        kinds = set(db.session.execute(select(ReminderSent.subject_id, ReminderSent.kind, ReminderSent.user_id)).all())
        assert (ids["soon"], "overdue", staff["practitioner"]["id"]) in kinds
    assert len(outbox(app)) == 4


def test_people_who_have_been_deactivated_are_not_reminded(app, staff):
    setup_work(app, staff)
    with app.app_context():
        practitioner = db.session.get(User, staff["practitioner"]["id"])
        practitioner.active = False
        db.session.commit()
        summary = send_reminders(TODAY)
    assert summary.endswith("3 reminder(s) sent to 1 person(s)")


def test_the_command_can_run_daily_from_cron(app, staff):
    setup_work(app, staff)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["qaf", "send-reminders"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["qaf", "send-reminders"])
    assert second.exit_code == 0, second.output
    assert "0 reminder(s) sent to 0 person(s)" in second.output


def raise_actions(app, staff) -> dict[str, int]:
    """Actions from a thematic evaluation: one due in 3 days (with a worker), one overdue, one done, one later."""
    from qaf.audits.workflow import ActionPlan, raise_action
    from qaf.models import AuditAction, ThematicEvaluation

    with app.app_context():
        thematic = ThematicEvaluation(
            title="Voice of the child",
            why="w",
            scope="s",
            who="w",
            how="h",
            timescale="t",
            due_on=TODAY,
            form_key="sample-audit",
        )
        db.session.add(thematic)
        db.session.flush()
        admin = db.session.get(User, staff["qa_admin"]["id"])

        def action(due: date, workers=()) -> AuditAction:
            plan = ActionPlan("Target", "Action", staff["auditor"]["id"], list(workers), due)
            return raise_action(plan, by=admin, thematic_id=thematic.id)

        soon = action(TODAY + timedelta(days=3), workers=[staff["practitioner"]["id"]])
        overdue = action(TODAY - timedelta(days=2))
        done = action(TODAY - timedelta(days=1))
        done.status = "done"
        action(TODAY + timedelta(days=20))
        db.session.commit()
        return {"soon": soon.id, "overdue": overdue.id}


def test_actions_are_written_about_when_raised_then_before_they_are_due_and_when_overdue_once(app, staff):
    ids = raise_actions(app, staff)
    raised = outbox(app)
    # Raised: each of the four to the owner, and the first to its worker too.
    assert [message.subject for message in raised] == ["QAF: a new action for you"] * 5
    with app.app_context():
        summary = send_reminders(TODAY)
        assert send_reminders(TODAY).endswith("0 reminder(s) sent to 0 person(s)")
    assert summary.endswith("3 reminder(s) sent to 2 person(s)")
    messages = {message.recipient: message for message in outbox(app)[len(raised) :]}
    owner = messages["auditor@example.gov.uk"]
    assert owner.subject == "QAF: quality assurance work overdue"
    source = "raised from the thematic evaluation ‘Voice of the child’"
    assert f"Overdue:\n- Action {ids['overdue']}, {source}" in owner.body
    assert f"/actions/{ids['overdue']}" in owner.body
    assert f"Due in the next 7 days:\n- Action {ids['soon']}," in owner.body
    assert "Your actions are listed at http://" in owner.body
    worker = messages["worker@example.gov.uk"]
    assert f"Action {ids['soon']}, {source} (you are one of the workers involved)" in worker.body
    with app.app_context():
        # The action due in three days is overdue on the fourth: its owner and worker are told once more.
        assert send_reminders(TODAY + timedelta(days=4)).endswith("2 reminder(s) sent to 2 person(s)")
        assert send_reminders(TODAY + timedelta(days=4)).endswith("0 reminder(s) sent to 0 person(s)")


def test_how_long_before_an_action_is_due_its_reminder_is_written_is_a_setting(app, staff):
    raise_actions(app, staff)
    app.config["REMINDER_DAYS_BEFORE"] = 2
    with app.app_context():
        # Only the overdue action: the one due in three days is not due soon yet.
        assert send_reminders(TODAY).endswith("1 reminder(s) sent to 1 person(s)")
        assert send_reminders(TODAY + timedelta(days=1)).endswith("2 reminder(s) sent to 2 person(s)")
    assert "Due in the next 2 days:" in outbox(app)[-1].body
