"""Actions are action plan entries (target, action, timescale, workers involved, outcome), followed to
completion with every change kept."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import ActionChange, AuditAction, OutboxMessage, Team, User
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.conftest import PASSWORD, ClientRequest, error_summary

TOMORROW = date.today() + timedelta(days=1)


def due(day: date) -> dict[str, str]:
    return {"due_date-day": str(day.day), "due_date-month": str(day.month), "due_date-year": str(day.year)}


def plan(staff, **changes: object) -> dict[str, object]:
    return (
        {
            "target": "The chronology shows every event in the last year",
            "action": "Update the chronology",
            "owner": str(staff["practitioner"]["id"]),
        }
        | due(TOMORROW)
        | changes
    )


@pytest.fixture
def dover_worker(app) -> dict[str, object]:
    """A practitioner in another team of the same service, who could not otherwise touch the action."""
    from qaf.auth.passwords import hash_password

    with app.app_context():
        dover = db.session.scalar(select(Team).where(Team.slug == "dover-ehu"))
        person = User(
            email="dover@example.gov.uk",
            name="Dana Dover",
            role="practitioner",
            team=dover,
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(person)
        db.session.commit()
        return {"id": person.id, "email": person.email}


@pytest.fixture
def audit_id(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    found = start(auditor, staff)
    auditor.post(f"/audits/{found}/edit", COMPLETE | {"intent": "submit"})
    return found


@pytest.fixture
def action_id(app, staff, audit_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    auditor.post(f"/audits/{audit_id}/actions/new", plan(staff))
    with app.app_context():
        return db.session.scalar(select(AuditAction.id))


def test_an_action_is_raised_with_a_target_an_action_a_timescale_and_workers(app, staff, audit_id, dover_worker):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    form = auditor.get(f"/audits/{audit_id}/actions/new")
    offered = {box["value"] for box in form.select("input[name=workers]")}
    assert str(dover_worker["id"]) in offered
    assert str(staff["other_auditor"]["id"]) not in offered  # another service's staff
    auditor.post(
        f"/audits/{audit_id}/actions/new",
        plan(staff, workers=[str(dover_worker["id"]), str(staff["practitioner"]["id"])]),
        _expected_redirect=f"/audits/{audit_id}",
    )
    with app.app_context():
        action = db.session.scalars(select(AuditAction)).one()
        assert (action.target, action.action, action.due_date, action.audit_id, action.thematic_id) == (
            "The chronology shows every event in the last year",
            "Update the chronology",
            TOMORROW,
            audit_id,
            None,
        )
        # The owner ticked as a worker too is named once, as the owner.
        assert [person.name for person in action.involves] == ["Priya Worker", "Dana Dover"]
        action_id = action.id
    page = auditor.get(f"/actions/{action_id}")
    text = " ".join(page.get_text().split())
    assert "Target The chronology shows every event in the last year" in text
    assert "Workers involved Dana Dover" in text


def test_each_part_of_the_plan_is_asked_for(app, staff, audit_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = auditor.post(f"/audits/{audit_id}/actions/new", {}, _expected_status=200)
    assert error_summary(page) == [
        ("Enter the target", "#target"),
        ("Enter the action", "#action"),
        ("Select who owns the action", "#owner"),
        ("Enter the due date", "#due_date-day"),
    ]
    with app.app_context():
        assert db.session.scalar(select(AuditAction.id)) is None


def test_the_owner_sees_the_action_and_closes_it_with_its_outcome(app, staff, action_id):
    owner = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    page = owner.get("/actions")
    assert "Update the chronology" in page.get_text()
    owner.post(f"/actions/{action_id}", {"status": "in_progress", "note": "Started"})
    page = owner.post(f"/actions/{action_id}", {"status": "done", "note": "All done"}, _expected_status=200)
    assert error_summary(page) == [("Enter the outcome to mark the action done", "#outcome")]
    with app.app_context():
        assert db.session.get(AuditAction, action_id).status == "in_progress"
    owner.post(f"/actions/{action_id}", {"status": "done", "outcome": "Chronology complete to May"})
    with app.app_context():
        action = db.session.get(AuditAction, action_id)
        assert (action.status, action.outcome) == ("done", "Chronology complete to May")
        history = [(change.status, change.note) for change in db.session.scalars(select(ActionChange))]
    assert history == [
        ("open", "Action raised"),
        ("in_progress", "Started"),
        ("done", "Chronology complete to May"),
    ]
    page = owner.get(f"/actions/{action_id}")
    assert "Outcome Chronology complete to May" in " ".join(page.get_text().split())


def test_the_workers_involved_see_the_action_and_may_update_it(app, staff, audit_id, dover_worker):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    auditor.post(f"/audits/{audit_id}/actions/new", plan(staff, workers=[str(dover_worker["id"])]))
    with app.app_context():
        action_id = db.session.scalar(select(AuditAction.id))
    worker = ClientRequest(app.test_client()).login(dover_worker["email"])
    assert "Update the chronology" in worker.get("/actions").get_text()
    worker.post(f"/actions/{action_id}", {"status": "in_progress", "note": "Met the family"})
    with app.app_context():
        assert db.session.get(AuditAction, action_id).status == "in_progress"
    # Without being named, a practitioner of another team may not.
    auditor.post(f"/audits/{audit_id}/actions/new", plan(staff))
    with app.app_context():
        other_id = db.session.scalar(select(AuditAction.id).where(AuditAction.id != action_id))
    worker.get(f"/actions/{other_id}", _expected_status=403)


def test_the_owner_and_workers_are_told_in_writing_when_it_is_raised(app, staff, audit_id, dover_worker):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    auditor.post(f"/audits/{audit_id}/actions/new", plan(staff, workers=[str(dover_worker["id"])]))
    with app.app_context():
        action_id = db.session.scalar(select(AuditAction.id))
        messages = {message.recipient: message for message in db.session.scalars(select(OutboxMessage))}
    assert set(messages) == {"worker@example.gov.uk", "dover@example.gov.uk"}
    owner, worker = messages["worker@example.gov.uk"], messages["dover@example.gov.uk"]
    assert owner.subject == "QAF: a new action for you"
    assert f"Action {action_id}, raised from an audit in Ashford Early Help Unit (you own it)" in owner.body
    assert "(you are one of the workers involved)" in worker.body
    assert f"/actions/{action_id}" in owner.body
    # Named by number and place, not by the case or its free text.
    assert "chronology" not in owner.body.lower()


def test_overdue_actions_stand_out(app, staff, action_id):
    with app.app_context():
        db.session.execute(update(AuditAction).values(due_date=date.today() - timedelta(days=3)))
        db.session.commit()
    owner = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    assert "Overdue" in owner.get("/actions").get_text()
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    rows = admin.get("/actions/tracker?overdue=yes").select("tbody tr")
    assert len(rows) == 1


def test_the_tracker_shows_the_plan_and_filters_by_team_owner_status_and_source(app, staff, action_id):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    rows = admin.get("/actions/tracker").select("tbody tr")
    assert len(rows) == 1
    cells = [cell.get_text(" ", strip=True) for cell in rows[0].select("td")]
    assert cells[:4] == [
        "Update the chronology",
        "The chronology shows every event in the last year",
        "Audit of case EH-1001 (Ashford Early Help Unit)",
        "Priya Worker",
    ]
    assert len(admin.get(f"/actions/tracker?owner={staff['practitioner']['id']}").select("tbody tr")) == 1
    assert len(admin.get("/actions/tracker?source=audit").select("tbody tr")) == 1
    assert admin.get("/actions/tracker?source=thematic").select("tbody tr") == []
    assert admin.get("/actions/tracker?status=done").select("tbody tr") == []
    assert admin.get("/actions/tracker?team=3").select("tbody tr") == []
    assert admin.get("/actions/tracker?overdue=yes").select("tbody tr") == []


def test_an_action_due_in_the_past_cannot_be_raised(app, staff, audit_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = auditor.post(
        f"/audits/{audit_id}/actions/new", plan(staff) | due(date.today() - timedelta(days=1)), _expected_status=200
    )
    assert error_summary(page) == [("The due date must be today or in the future", "#due_date-day")]


@pytest.mark.parametrize(("who", "status"), [("other_auditor", 403), ("service_manager", 200), ("qa_admin", 200)])
def test_who_else_may_update_an_action(app, staff, action_id, who, status):
    client = ClientRequest(app.test_client()).login(staff[who]["email"])
    client.get(f"/actions/{action_id}", _expected_status=status)


def test_only_the_qa_team_sees_the_tracker(app, staff):
    ClientRequest(app.test_client()).login(staff["auditor"]["email"]).get("/actions/tracker", _expected_status=403)


def test_the_action_page_links_to_its_audit_rather_than_showing_markup(app, staff, action_id):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = auditor.get(f"/actions/{action_id}")
    link = page.find("a", string=lambda text: text and text.startswith("Audit "))
    assert link is not None
    assert link["href"].startswith("/audits/")
    assert "<a" not in page.get_text()


def test_the_workbooks_actions_sheet_shows_the_plan_from_audits_and_thematic_evaluations(app, staff, action_id):
    from qaf.audits.workflow import ActionPlan, raise_action
    from qaf.models import ThematicEvaluation
    from tests.reports.conftest import IN_Q3, table_rows, workbook_for

    with app.app_context():
        terms = {"why": "w", "scope": "s", "who": "w", "how": "h", "timescale": "t", "form_key": "sample-audit"}
        thematic = ThematicEvaluation(title="Voice of the child", due_on=TOMORROW, **terms)
        db.session.add(thematic)
        db.session.flush()
        admin = db.session.get(User, staff["qa_admin"]["id"])
        workers = [staff["auditor"]["id"], staff["service_manager"]["id"]]
        plan_entry = ActionPlan("Every team trained", "Train every team", staff["qa_admin"]["id"], workers, TOMORROW)
        raise_action(plan_entry, by=admin, thematic_id=thematic.id)
        db.session.execute(update(AuditAction).values(created_at=IN_Q3, due_date=date(2026, 12, 1)))
        db.session.execute(update(AuditAction).where(AuditAction.id == action_id).values(outcome="Done by May"))
        db.session.commit()
    rows = sorted(table_rows(workbook_for(app)["Actions"]), key=lambda row: row["Action ID"])
    picked = [
        {name: row[name] for name in ("Target", "Action", "Thematic evaluation", "Team", "Workers involved", "Outcome")}
        for row in rows
    ]
    assert picked == [
        {
            "Target": "The chronology shows every event in the last year",
            "Action": "Update the chronology",
            "Thematic evaluation": "",
            "Team": "Ashford Early Help Unit",
            "Workers involved": "",
            "Outcome": "Done by May",
        },
        {
            "Target": "Every team trained",
            "Action": "Train every team",
            "Thematic evaluation": "Voice of the child",
            "Team": "",
            "Workers involved": "Alex Auditor, Sam Manager",
            "Outcome": "",
        },
    ]
