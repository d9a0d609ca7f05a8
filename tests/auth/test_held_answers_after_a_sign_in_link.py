"""Signing in again with an emailed link goes back to the held answers too, not to the staff home page."""

import re
import time

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import OutboxMessage
from tests.conftest import ClientRequest


def held_after_the_timeout(app, client_request: ClientRequest, staff) -> str:
    """Alex's Save draft after the idle timeout, held: the page it goes back to."""
    client_request.login(staff["auditor"]["email"])
    client_request.post(
        "/audits/new", {"template": "ehat-quality-audit", "case_reference": "EH-7", "team": "1", "practitioner": ""}
    )
    edit = re.search(r"/audits/\d+/edit", client_request.client.get("/audits").get_data(as_text=True)).group(0)
    with client_request.client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    client_request.post(
        edit, {"assessment_1": "not_met", "intent": "draft"}, _expected_redirect=f"/sign-in?next={edit}"
    )
    return edit


def emailed_link(app) -> str:
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage)).one().body
    return re.search(r"http://[^/]+(/sign-in-link/\S+)", body).group(1)


def test_a_sign_in_link_leads_back_to_the_page_whose_answers_were_kept(app, client_request, staff):
    edit = held_after_the_timeout(app, client_request, staff)

    client_request.post("/sign-in-link", {"email": staff["auditor"]["email"]}, _expected_status=200)
    link = emailed_link(app)
    client_request.post(link, {}, _expected_redirect=edit)
    page = client_request.get(edit)
    assert page.select_one("input[name=assessment_1][value=not_met]").has_attr("checked")


def test_someone_else_following_their_own_link_in_that_browser_gets_nothing(app, client_request, staff):
    edit = held_after_the_timeout(app, client_request, staff)
    client_request.post("/sign-in-link", {"email": staff["qa_admin"]["email"]}, _expected_status=200)
    link = emailed_link(app)
    client_request.post(link, {}, _expected_redirect="/staff")
    assert "have been kept" not in client_request.client.get(edit).get_data(as_text=True)
