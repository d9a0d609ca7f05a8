"""Invitation links: made by a worker, shown once with a QR code and slip, answered once, expiring."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import Invitation, Response, User, utc_now
from tests.conftest import ClientRequest, error_summary

FAMILY_ANSWERS = {
    "who_is_answering": "parent_carer",
    "help_helped": "yes_a_lot",
    "listened_to": "agree",
    "involved_in_plan": "agree",
    "treated_with_respect": "agree",
    "help_at_right_time": "agree",
    "things_at_start": "3",
    "things_now": "7",
}


def invite(client: ClientRequest, form="family", case="eh-55501", team="1", stage="closure") -> str:
    page = client.post(
        "/invitations/new", {"form": form, "case_reference": case, "team": team, "stage": stage}, _expected_status=200
    )
    return re.search(r"http://[^/]+(/i/[\w-]+)", page.get_text()).group(1)


def responses(app) -> list[Response]:
    with app.app_context():
        return db.session.scalars(select(Response)).all()


@pytest.fixture
def worker(app, staff) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff["practitioner"]["email"])


def test_a_worker_makes_a_link_with_a_qr_code_and_a_printable_slip(app, worker):
    page = worker.post(
        "/invitations/new",
        {"form": "family", "case_reference": "eh-55501", "team": "1", "stage": "closure"},
        _expected_status=200,
    )
    assert page.h1.get_text(strip=True) == "Invitation made"
    slip = page.select_one(".qaf-slip")
    assert slip.select_one("svg[role=img][aria-label]")
    assert "Case EH-55501" in slip.get_text()
    token = re.search(r"/i/([\w-]+)", slip.get_text()).group(1)
    assert len(token) >= 43  # 256 random bits
    with app.app_context():
        stored = db.session.scalars(select(Invitation)).one()
        assert token not in stored.token_hash
        assert (stored.expires_at - stored.created_at).days == 28
    assert "EH-55501" in worker.get("/invitations").get_text()


def test_a_family_answers_through_the_link_without_being_asked_team_or_stage(app, worker):
    link = invite(worker)
    family = ClientRequest(app.test_client())
    page = family.get(link)
    assert not page.select("#team")
    assert not page.select("input[name=stage]")
    assert "simpler words" not in page.get_text(), "an invitation is for one form"
    family.post(link, FAMILY_ANSWERS, _expected_redirect="/feedback/family/thank-you")
    [response] = responses(app)
    assert (response.stage, response.team_id) == ("closure", 1)
    assert response.case_reference is None, "the family form does not keep case references"


def test_a_second_use_of_an_invitation_stores_nothing(app, worker):
    link = invite(worker)
    family = ClientRequest(app.test_client())
    family.post(link, FAMILY_ANSWERS)
    page = family.get(link)
    assert page.h1.get_text(strip=True) == "You have already answered"
    page = family.post(link, FAMILY_ANSWERS, _expected_status=200)
    assert page.h1.get_text(strip=True) == "You have already answered"
    assert len(responses(app)) == 1


def test_an_expired_invitation_stores_nothing(app, worker):
    link = invite(worker)
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    family = ClientRequest(app.test_client())
    assert family.get(link).h1.get_text(strip=True) == "This link has expired"
    family.post(link, FAMILY_ANSWERS, _expected_status=200)
    assert responses(app) == []


def test_an_expired_link_offers_the_same_form_open_for_its_team_and_stage_and_the_answer_is_anonymous(app, worker):
    link = invite(worker, case="EH-777", stage="review")
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utc_now() - timedelta(seconds=1)))
        db.session.commit()
    family = ClientRequest(app.test_client())
    page = family.get(link)
    assert "You can still tell us what you think on our open form" in page.get_text()
    open_form = page.find("a", string="Give your feedback on our open form")["href"]
    assert open_form == "/feedback/family?team=ashford-ehu&stage=review"
    assert not family.get(open_form).select("#team"), "the open link names the team"
    family.post(open_form, FAMILY_ANSWERS, _expected_redirect="/feedback/family/thank-you")
    [response] = responses(app)
    assert (response.team_id, response.stage, response.case_reference) == (1, "review", None)
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        assert (invitation.answered, invitation.case_reference) == (False, "EH-777"), "not counted against it"


@pytest.mark.parametrize("link", ["/i/" + "a" * 43, "/i/short", "/i/" + "x" * 400])
def test_unknown_and_tampered_tokens_do_not_work(client_request, link):
    page = client_request.get(link, _expected_status=404)
    assert page.h1.get_text(strip=True) == "This link does not work"


def test_a_tampered_token_of_a_real_invitation_does_not_work(app, worker):
    link = invite(worker)
    ClientRequest(app.test_client()).get(link[:-1] + ("A" if link[-1] != "A" else "B"), _expected_status=404)


def test_an_invitation_needs_a_case_reference_not_a_name(worker):
    page = worker.post(
        "/invitations/new",
        {"form": "family", "case_reference": "Jane Smith", "team": "1", "stage": "closure"},
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Enter the case reference using letters, numbers, hyphens and slashes only", "#case_reference")
    ]


def test_workers_see_their_own_invitations_and_managers_those_of_their_teams(app, staff, worker):
    invite(worker, case="EH-1")
    with app.app_context():
        colleague = User(email="colleague@example.gov.uk", name="C", role="practitioner", team_id=1)
        colleague.password_hash = db.session.get(User, staff["practitioner"]["id"]).password_hash
        db.session.add(colleague)
        db.session.commit()
    seen = {}
    for who in ("auditor", "service_manager", "qa_admin", "other_auditor", "colleague"):
        email = "colleague@example.gov.uk" if who == "colleague" else staff[who]["email"]
        seen[who] = "EH-1" in ClientRequest(app.test_client()).login(email).get("/invitations").get_text()
    assert seen == {
        "auditor": True,
        "service_manager": True,
        "qa_admin": True,
        "other_auditor": False,
        "colleague": False,
    }


def test_the_closure_form_keeps_the_case_reference_because_its_definition_says_so_and_the_pages_say_so(
    app, staff, worker
):
    from qaf.forms_registry import all_forms

    link = invite(worker, form="closure", case="eh-8080")
    with app.app_context():
        spec = all_forms()["closure"]
    assert spec.keep_case_reference
    answers = {}
    for question in spec.questions:
        if question.required:
            answers[question.id] = question.options[0].value if question.options else "Things are better"
    family = ClientRequest(app.test_client())
    assert "We will keep your answers with your family's case reference" in family.get(link).get_text()
    family.post(link, answers, _expected_redirect="/feedback/closure/thank-you?kept=case-reference")
    [response] = responses(app)
    assert response.case_reference == "EH-8080"
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        assert (invitation.answered, invitation.case_reference, invitation.created_by_id) == (
            True,
            "EH-8080",
            staff["practitioner"]["id"],
        ), "the closure form keeps the case and its worker"
    page = family.get("/feedback/closure/thank-you?kept=case-reference")
    assert "we have kept your answers with your family's case reference" in page.get_text()
    assert "we do not know who sent it" not in page.get_text()
