"""Workers invite families for their own team's cases; a service manager for their service; the QA team anywhere."""

import io

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Invitation, Team
from tests.conftest import ClientRequest, error_summary

ASHFORD = "Ashford Early Help Unit (Early Help Units)"
DOVER = "Dover Early Help Unit (Early Help Units)"
THANET = "Thanet Youth Hub (Youth Hubs)"


def signed_in(app, staff, who: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff[who]["email"])


def team_id(app, slug: str) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Team.id).where(Team.slug == slug)))


def invitations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Invitation))


def upload(client: ClientRequest, text: str) -> str:
    response = client.client.post(
        "/invitations/bulk",
        data={"form": "family", "file": (io.BytesIO(text.encode()), "cases.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text().split())


@pytest.mark.parametrize(
    ("who", "teams"),
    [
        ("practitioner", [ASHFORD]),
        ("auditor", [ASHFORD]),
        ("other_auditor", [THANET]),
        ("service_manager", [ASHFORD, DOVER]),
        ("qa_admin", [ASHFORD, DOVER, THANET]),
    ],
)
def test_the_invitation_form_offers_only_the_teams_the_worker_may_invite_for(app, staff, who, teams):
    page = signed_in(app, staff, who).get("/invitations/new")
    assert [option.get_text().strip() for option in page.select("#team option") if option.get("value")] == teams


@pytest.mark.parametrize("team", ["dover-ehu", "thanet-youth"])
def test_an_invitation_posted_by_hand_for_another_team_is_refused_and_nothing_is_made(app, staff, team):
    worker = signed_in(app, staff, "practitioner")
    page = worker.post(
        "/invitations/new",
        {"form": "family", "case_reference": "EH-4001", "team": team_id(app, team), "stage": "closure"},
        _expected_status=200,
    )
    assert error_summary(page) == [("Select the team from the list", "#team")]
    assert invitations(app) == 0


def test_a_service_manager_invites_for_another_team_of_their_service_but_not_another_service(app, staff):
    manager = signed_in(app, staff, "service_manager")
    invite = {"form": "family", "case_reference": "EH-4001", "stage": "closure"}
    manager.post("/invitations/new", invite | {"team": team_id(app, "dover-ehu")}, _expected_status=200)
    assert invitations(app) == 1
    page = manager.post("/invitations/new", invite | {"team": team_id(app, "thanet-youth")}, _expected_status=200)
    assert error_summary(page) == [("Select the team from the list", "#team")]
    assert invitations(app) == 1


def test_csv_rows_naming_another_team_are_reported_by_line_and_nothing_is_made(app, staff):
    worker = signed_in(app, staff, "practitioner")
    text = upload(
        worker,
        "case_reference,stage,team\nEH-1,closure,ashford-ehu\nEH-2,closure,thanet-youth\nEH-3,review,dover-ehu\n",
    )
    assert "There is a problem" in text
    assert "Line 3: you cannot make invitations for the team 'thanet-youth', only for your own" in text
    assert "Line 4: you cannot make invitations for the team 'dover-ehu', only for your own" in text
    assert "Line 2" not in text
    assert invitations(app) == 0


def test_the_csv_page_names_the_teams_the_worker_may_use(app, staff):
    text = " ".join(signed_in(app, staff, "service_manager").get("/invitations/bulk").get_text().split())
    assert "ashford-ehu (Ashford Early Help Unit), dover-ehu (Dover Early Help Unit)" in text
    assert "thanet-youth" not in text


def test_the_qa_team_invites_for_any_team_from_a_csv(app, staff):
    admin = signed_in(app, staff, "qa_admin")
    text = upload(admin, "case_reference,stage,team\nEH-1,closure,ashford-ehu\nEH-2,closure,thanet-youth\n")
    assert "2 invitations made" in text
    assert invitations(app) == 2
