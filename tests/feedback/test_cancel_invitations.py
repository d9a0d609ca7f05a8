"""Cancelling and re-issuing a link: by its worker or a manager of its team; a dead link offers the open form."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.models import Invitation, Response, User, utc_now
from tests.conftest import ClientRequest
from tests.feedback.test_invitations import FAMILY_ANSWERS, invite


def signed_in(app, email: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(email)


def stored_invitations(app) -> list[Invitation]:
    with app.app_context():
        return db.session.scalars(select(Invitation).order_by(Invitation.id)).all()


def answers_stored(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Response)).all())


@pytest.fixture
def worker(app, staff) -> ClientRequest:
    return signed_in(app, staff["practitioner"]["email"])


@pytest.fixture
def colleague(app, staff) -> str:
    """Another practitioner in the same team, who did not make the link."""
    with app.app_context():
        person = User(email="colleague@example.gov.uk", name="Col League", role="practitioner", team_id=1)
        person.password_hash = db.session.get(User, staff["practitioner"]["id"]).password_hash
        db.session.add(person)
        db.session.commit()
    return "colleague@example.gov.uk"


def test_a_worker_cancels_their_link_and_the_family_is_offered_the_open_form(app, worker):
    link = invite(worker, case="EH-41")
    page = worker.get("/invitations")
    change = page.find("a", href=re.compile(r"^/invitations/\d+$"))
    confirm = worker.get(change["href"])
    assert confirm.h1.get_text(strip=True) == "Invitation for case EH-41"
    assert "It stops working at once and cannot be turned back on" in confirm.get_text()
    cancel_form = confirm.find("form", action=change["href"] + "/cancel")
    assert cancel_form.find("input", attrs={"name": "csrf_token"})
    worker.post(cancel_form["action"], {}, _expected_redirect="/invitations")
    listed = worker.get("/invitations").get_text()
    assert "The link for case EH-41 was cancelled: it no longer works." in listed
    assert "EH-41" not in listed.replace("The link for case EH-41 was cancelled", "")
    family = ClientRequest(app.test_client())
    dead = family.get(link)
    assert dead.h1.get_text(strip=True) == "This link was cancelled"
    assert dead.find("a", string="Give your feedback on our open form")["href"] == (
        "/feedback/family?team=ashford-ehu&stage=closure"
    )
    family.post(link, FAMILY_ANSWERS, _expected_status=200)
    assert answers_stored(app) == 0


def test_re_issuing_cancels_the_old_link_and_shows_a_new_one_once_for_the_same_case(app, worker):
    old_link = invite(worker, case="EH-42", stage="review")
    [old] = stored_invitations(app)
    page = worker.post(f"/invitations/{old.id}/reissue", {}, _expected_status=200)
    assert page.h1.get_text(strip=True) == "Invitation made"
    slip = page.select_one(".qaf-slip")
    assert slip.select_one("svg[role=img]")
    assert "Case EH-42" in slip.get_text()
    new_link = re.search(r"http://[^/]+(/i/[\w-]+)", slip.get_text()).group(1)
    assert new_link != old_link
    before, after = stored_invitations(app)
    assert before.state(utc_now()) == "cancelled"
    assert (after.case_reference, after.stage, after.form_key, after.team_id) == ("EH-42", "review", "family", 1)
    family = ClientRequest(app.test_client())
    assert family.get(old_link).h1.get_text(strip=True) == "This link was cancelled"
    family.post(new_link, FAMILY_ANSWERS, _expected_redirect="/feedback/family/thank-you")
    assert answers_stored(app) == 1


def test_an_expired_link_can_be_re_issued(app, worker):
    invite(worker, case="EH-43")
    with app.app_context():
        db.session.execute(update(Invitation).values(expires_at=utc_now() - timedelta(days=1)))
        db.session.commit()
    [old] = stored_invitations(app)
    page = worker.get(f"/invitations/{old.id}")
    assert page.find("button", string=re.compile("Make a new link"))
    assert not page.find("button", string=re.compile("Cancel this link"))
    worker.post(f"/invitations/{old.id}/reissue", {}, _expected_status=200)
    assert [invitation.state(utc_now()) for invitation in stored_invitations(app)] == ["cancelled", "waiting"]


@pytest.mark.parametrize(
    ("who", "may"),
    [("auditor", True), ("service_manager", True), ("qa_admin", True), ("other_auditor", False), ("colleague", False)],
)
def test_only_the_worker_and_managers_of_the_team_may_cancel_or_re_issue(app, staff, worker, colleague, who, may):
    invite(worker, case="EH-44")
    [made] = stored_invitations(app)
    visitor = signed_in(app, colleague if who == "colleague" else staff[who]["email"])
    visitor.get(f"/invitations/{made.id}", _expected_status=200 if may else 403)
    visitor.post(f"/invitations/{made.id}/reissue", {}, _expected_status=200 if may else 403)
    visitor.post(f"/invitations/{made.id}/cancel", {}, _expected_status=302 if may else 403)
    assert len(stored_invitations(app)) == (2 if may else 1)


def test_a_link_answered_before_it_is_cancelled_stays_answered_and_nothing_is_made(app, staff, worker):
    link = invite(worker, case="EH-45")
    [made] = stored_invitations(app)
    ClientRequest(app.test_client()).post(link, FAMILY_ANSWERS)
    manager = signed_in(app, staff["auditor"]["email"])
    assert "This link has been answered" in manager.get(f"/invitations/{made.id}").get_text()
    manager.post(f"/invitations/{made.id}/cancel", {}, _expected_redirect="/invitations")
    manager.post(f"/invitations/{made.id}/reissue", {}, _expected_redirect="/invitations")
    assert "answered or cancelled before you could change it" in manager.get("/invitations").get_text()
    [still] = stored_invitations(app)
    assert (still.answered, still.cancelled_at) == (True, None)
    worker.get(f"/invitations/{made.id}", _expected_status=403)  # it no longer says who made it
