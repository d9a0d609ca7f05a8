"""Starting an audit from a piece of due work (``/audits/new?work=<id>``): nobody audits their own case or their
own practice, the page offers only the teams the work may be done in and says so, and it asks what the work's
audit needs (a case reference for a case, none for a team or a person)."""

import pytest
import yaml
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import ActivityWork, Audit, Team
from tests.audits.conftest import PROJECT_FORMS
from tests.conftest import ClientRequest, error_summary
from tests.programme.conftest import add_cases, signed_in
from tests.programme.test_schedule import activity_form
from tests.programme.test_targets import EVALUATION, add_dover_manager, add_person, own_work


def team_ids(app) -> dict[str, int]:
    with app.app_context():
        return {team.slug: team.id for team in db.session.scalars(select(Team))}


def audits_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Audit))


def offered(page, name: str) -> list[str]:
    return [option.get_text().strip() for option in page.select(f"#{name} option") if option.get("value")]


def inset(page) -> str:
    return " ".join(page.select_one(".govuk-inset-text").get_text().split())


def label(page, name: str) -> str:
    return " ".join(page.select_one(f"label[for={name}]").get_text().split())


def start(auditor: ClientRequest, work_id: int, status: int = 302, **answers: str):
    form = {"template": "sample-audit", "case_reference": "", "team": "", "practitioner": ""} | answers
    return auditor.post(f"/audits/new?work={work_id}", form, _expected_status=status)


def test_nobody_starts_an_audit_for_their_own_work_on_a_case_they_work_on(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION))
    work = own_work(app, "auditor@example.gov.uk")[0]
    teams = team_ids(app)
    # Alex works on one Dover case by account, and is the worker the case list names on another.
    add_cases(
        app,
        {"reference": "DO-1", "team": "dover-ehu", "worker_id": staff["auditor"]["id"]},
        {"reference": "DO-2", "team": "dover-ehu", "worker_email": "auditor@example.gov.uk"},
        {"reference": "DO-3", "team": "dover-ehu"},
    )
    alex = signed_in(app, staff, "auditor")
    for reference in ("DO-1", "do-2"):
        page = start(alex, work.id, 200, case_reference=reference, team=str(teams["dover-ehu"]))
        assert error_summary(page) == [("You work on this case. Choose a case you do not work on.", "#case_reference")]
    assert audits_stored(app) == 0
    start(alex, work.id, case_reference="DO-3", team=str(teams["dover-ehu"]))
    assert audits_stored(app) == 1


def test_the_practitioner_is_the_cases_worker_unless_another_is_named_and_never_the_auditor(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION))
    work = own_work(app, "auditor@example.gov.uk")[0]
    ashford = str(team_ids(app)["ashford-ehu"])
    add_cases(app, {"reference": "AS-1", "team": "ashford-ehu", "worker_id": staff["practitioner"]["id"]})
    alex = signed_in(app, staff, "auditor")
    page = alex.get(f"/audits/new?work={work.id}")
    # Alex is not offered as the practitioner, and naming him by hand is refused.
    assert not [person for person in offered(page, "practitioner") if "Alex Auditor" in person]
    page = start(alex, work.id, 200, case_reference="AS-1", team=ashford, practitioner=str(staff["auditor"]["id"]))
    assert error_summary(page) == [("Select the practitioner from the list", "#practitioner")]
    assert audits_stored(app) == 0
    # Left empty, the practitioner is the case's worker; another in the team may be named (the case changed hands).
    start(alex, work.id, case_reference="AS-1", team=ashford)
    start(alex, work.id, case_reference="AS-1", team=ashford, practitioner=str(staff["service_manager"]["id"]))
    with app.app_context():
        practitioners = db.session.scalars(select(Audit.practitioner_id).order_by(Audit.id)).all()
    assert practitioners == [staff["practitioner"]["id"], staff["service_manager"]["id"]]


def test_nobody_names_themselves_as_the_practitioner_without_work_either(app, staff):
    alex = signed_in(app, staff, "auditor")
    page = alex.post(
        "/audits/new",
        {
            "template": "sample-audit",
            "case_reference": "AS-9",
            "team": "1",
            "practitioner": str(staff["auditor"]["id"]),
        },
        _expected_status=200,
    )
    assert error_summary(page) == [("Select the practitioner from the list", "#practitioner")]
    assert audits_stored(app) == 0


def test_a_teams_work_offers_only_that_team_and_says_so(app, staff, admin):
    add_dover_manager(app)
    add_person(app, "dev@example.gov.uk", "Dev Dover", "dover-ehu")
    admin.post("/programme/activities/new", activity_form(allocation_line="outside_line"))
    with app.app_context():
        work = db.session.scalars(
            select(ActivityWork).join(Team, ActivityWork.team_id == Team.id).where(Team.slug == "ashford-ehu")
        ).first()
        assert work is not None
        work_id, taker = work.id, work.assignees[0].email
    page = ClientRequest(app.test_client()).login(taker).get(f"/audits/new?work={work_id}")
    # Not their own Dover, nor anywhere else: the work is Ashford's unit meeting.
    assert offered(page, "team") == ["Ashford Early Help Unit (Early Help Units)"]
    assert [radio["value"] for radio in page.select("input[name=template]")] == ["unit-meeting-peer-audit"]
    text = inset(page)
    assert "in Ashford Early Help Unit, the team this work is for, with no case reference" in text
    assert "inside or outside" not in text
    assert page.select_one("#case_reference") is None


def test_a_persons_work_outside_their_line_offers_and_says_only_teams_outside_it(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION | {"allocation_line": "outside_line"}))
    work = own_work(app, "auditor@example.gov.uk")[0]
    page = signed_in(app, staff, "auditor").get(f"/audits/new?work={work.id}")
    assert offered(page, "team") == ["Dover Early Help Unit (Early Help Units)", "Thanet Youth Hub (Youth Hubs)"]
    assert "You audit a case in a team it is for outside your own line: not a case you work on." in inset(page)


def test_a_case_reference_is_asked_for_as_required_when_the_works_audit_needs_one(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION | {"form_key": "practice-evaluation"}))
    work = own_work(app, "auditor@example.gov.uk")[0]
    alex = signed_in(app, staff, "auditor")
    assert label(alex.get(f"/audits/new?work={work.id}"), "case_reference") == "Case reference"
    page = start(alex, work.id, 200, template="practice-evaluation", team=str(team_ids(app)["ashford-ehu"]))
    assert error_summary(page) == [("Enter the case reference", "#case_reference")]
    assert label(page, "case_reference") == "Case reference"


def shipped_audit_templates() -> list[tuple[str, str]]:
    found = []
    for path in sorted((PROJECT_FORMS / "audits").glob("*.yaml")):
        definition = yaml.safe_load(path.read_text())
        if definition.get("audience") == "auditor":
            found.append((definition["key"], definition.get("subject", "case")))
    return found


@pytest.mark.parametrize(("template", "subject"), shipped_audit_templates())
def test_every_audit_asks_for_a_case_reference_exactly_when_it_needs_one(app, staff, template, subject):
    alex = signed_in(app, staff, "auditor")
    page = alex.get(f"/audits/new?template={template}")
    answers = {"template": template, "team": "1", "practitioner": ""}
    if subject == "case":
        assert label(page, "case_reference") == "Case reference"
        page = alex.post("/audits/new", answers | {"case_reference": ""}, _expected_status=200)
        assert error_summary(page) == [("Enter the case reference", "#case_reference")]
        assert label(page, "case_reference") == "Case reference"
        alex.post("/audits/new", answers | {"case_reference": "EH-1"})
    else:
        assert page.select_one("#case_reference") is None
        needed = "Practitioner" if subject == "person" else "Practitioner (optional)"
        assert label(page, "practitioner") == needed
        if subject == "person":
            answers["practitioner"] = str(staff["practitioner"]["id"])
        alex.post("/audits/new", answers)
    assert audits_stored(app) == 1
