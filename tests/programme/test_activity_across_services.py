"""Kent's yearly safeguarding audit of each children's centre and youth hub: one activity across two services."""

from datetime import date

import pytest
from sqlalchemy import select

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import Allocation, Sample, SampleCase, Service, Team, User
from qaf.programme.periods import month_start
from tests.conftest import PASSWORD, error_summary
from tests.programme.conftest import add_cases
from tests.programme.test_allocation import draw
from tests.programme.test_schedule import TODAY, activity_form, work_rows

EARLY_HELP, YOUTH_HUBS, CHILDRENS_CENTRES = "1", "2", "3"


@pytest.fixture
def centres(app, staff) -> None:
    """A third service, Children's Centres, with one centre and its auditor."""
    with app.app_context():
        service = Service(slug="childrens-centres", name="Children's Centres")
        centre = Team(slug="ashford-cc", name="Ashford Children's Centre", district="Ashford", service=service)
        person = User(email="cc@example.gov.uk", name="Cara Centre", role="auditor", team=centre)
        person.password_hash = hash_password(PASSWORD)
        db.session.add_all([service, centre, person])
        db.session.commit()
        assert str(service.id) == CHILDRENS_CENTRES


def safeguarding_audit(**changes) -> dict:
    audit = {
        "name": "Safeguarding audit of each centre",
        "frequency": "yearly",
        "services": [CHILDRENS_CENTRES, YOUTH_HUBS],
        "each_team": "yes",
        "who_role": "auditor",
        "form_key": "safeguarding-checklist",
    }
    return activity_form(**audit | changes)


def teams_with_work_from(app, activity_id: int, day: date) -> dict[str, list[str]]:
    return {
        row.team.slug: [person.email for person in row.assignees]
        for row in work_rows(app, activity_id)
        if row.period_start >= day
    }


def test_an_activity_across_two_services_makes_work_for_each_of_their_teams_and_no_other(app, staff, admin, centres):
    admin.post("/programme/activities/new", safeguarding_audit(), _expected_redirect="/programme/activities/1")
    assert teams_with_work_from(app, 1, date.min) == {
        "ashford-cc": ["cc@example.gov.uk"],
        "thanet-youth": ["other@example.gov.uk"],
    }
    page = admin.get("/programme/activities/1")
    assert "Children's Centres and Youth Hubs" in page.get_text()
    schedule = " ".join(admin.get("/programme").get_text().split())
    assert "Safeguarding audit of each centre Yearly, each team Children's Centres and Youth Hubs" in schedule
    form = admin.get("/programme/activities/1/edit")
    assert {box["value"] for box in form.select("input[name=services][checked]")} == {YOUTH_HUBS, CHILDRENS_CENTRES}


def test_editing_an_activitys_services_changes_its_future_work(app, staff, admin, centres):
    admin.post("/programme/activities/new", safeguarding_audit(frequency="monthly"))
    admin.post(
        "/programme/activities/1/edit",
        safeguarding_audit(frequency="monthly", services=[EARLY_HELP, CHILDRENS_CENTRES]),
        _expected_redirect="/programme/activities/1",
    )
    assert set(teams_with_work_from(app, 1, month_start(TODAY))) == {"ashford-cc", "ashford-ehu", "dover-ehu"}
    assert "Children's Centres and Early Help Units" in admin.get("/programme/activities/1").get_text()


def test_ticking_no_service_makes_an_activity_for_the_whole_council(app, staff, admin, centres):
    admin.post("/programme/activities/new", safeguarding_audit(services=None))
    assert set(teams_with_work_from(app, 1, date.min)) == {"ashford-cc", "ashford-ehu", "dover-ehu", "thanet-youth"}
    assert "Every service" in admin.get("/programme/activities/1").get_text()


def test_the_team_must_be_in_one_of_the_ticked_services(app, staff, admin, centres):
    with app.app_context():
        teams = {team.slug: str(team.id) for team in db.session.scalars(select(Team))}
    page = admin.post("/programme/activities/new", safeguarding_audit(team=teams["ashford-ehu"]), _expected_status=200)
    assert error_summary(page) == [
        ("Select a team in one of the services you ticked, or leave the team empty", "#team")
    ]
    admin.post(
        "/programme/activities/new",
        safeguarding_audit(team=teams["thanet-youth"]),
        _expected_redirect="/programme/activities/1",
    )
    assert set(teams_with_work_from(app, 1, date.min)) == {"thanet-youth"}


def test_an_activity_across_two_services_samples_and_allocates_only_within_them(app, staff, admin, centres):
    add_cases(
        app,
        {"worker_email": "worker@example.gov.uk", "worker_id": staff["practitioner"]["id"]},
        {"team": "dover-ehu"},
        {"team": "thanet-youth", "worker_email": "other@example.gov.uk"},
        {"team": "ashford-cc"},
    )
    admin.post(
        "/programme/activities/new",
        safeguarding_audit(
            each_team="no", form_key="sample-audit", sample_rule="percentage_active", percent="100", months="6"
        ),
        _expected_redirect="/programme/activities/1",
    )
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    with app.app_context():
        picked = db.session.scalars(select(SampleCase).where(SampleCase.sample_id == sample_id))
        assert {item.case.reference for item in picked} == {"EH-0003", "EH-0004"}
        assert db.session.get(Sample, sample_id).candidates == 2, "the Early Help Units' cases are not in scope"
        given = {row.case_reference: row.auditor.email for row in db.session.scalars(select(Allocation))}
    # Olu works the hub's case himself, so Cara has it; nobody from the Early Help Units is given either.
    assert given["EH-0003"] == "cc@example.gov.uk"
    assert given["EH-0004"] in {"cc@example.gov.uk", "other@example.gov.uk"}
    assert set(given) == {"EH-0003", "EH-0004"}
