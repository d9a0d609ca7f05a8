"""An auditor past the idle timeout loses nothing: Save or Submit holds the answers until they sign in again.

The app here checks CSRF tokens, as a deployment does: a post is held only with a token from
the page the auditor had open.
"""

import re
import time
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Audit, HeldAnswers
from tests.conftest import PASSWORD, check_page, empty_database, make_app

TEMPLATE = "ehat-quality-audit"  # forms/audits/early-help-assessment-audit.yaml: 13 assessment standards
KEPT_BANNER = (
    "You were signed out after 30 minutes without activity. Your answers have been kept: check them and save again."
)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    empty_database(app)


def token_on(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client: FlaskClient, email: str, next_page: str | None = None) -> str:
    url = "/sign-in" + (f"?next={next_page}" if next_page else "")
    response = client.post(url, data={"email": email, "password": PASSWORD, "csrf_token": token_on(client, url)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def every_answer(app) -> list[tuple[str, str]]:
    """An answer to every question of the template, as the browser posts them (a pair per ticked box)."""
    with app.app_context():
        spec = all_forms()[TEMPLATE]
    pairs: list[tuple[str, str]] = []
    for number, question in enumerate(spec.questions):
        if question.type == "checkboxes":
            pairs += [(question.id, option.value) for option in question.options[:2]]
        elif question.options:
            pairs.append((question.id, question.options[number % len(question.options)].value))
        else:
            pairs.append((question.id, f"Seen in the record ({question.id})"))
    standards = [name for name, _ in pairs if re.fullmatch(r"assessment_\d+", name)]
    assert len(standards) == 13
    return pairs


def fields_on(page: BeautifulSoup) -> list[tuple[str, str]]:
    """What the page's audit form would send: checked boxes and radios, typed text."""
    form = page.select_one("form[data-autosave-url]")
    pairs = []
    for element in form.select("input, textarea"):
        name = element.get("name")
        if not name or name == "csrf_token":
            continue
        if element.name == "textarea":
            if element.get_text():
                pairs.append((name, element.get_text()))
        elif element.get("type") in ("radio", "checkbox"):
            if element.has_attr("checked"):
                pairs.append((name, element["value"]))
        elif element.get("value"):
            pairs.append((name, element["value"]))
    return pairs


def start_audit(app, client: FlaskClient, staff) -> int:
    data = {"template": TEMPLATE, "case_reference": "EH-1001", "team": "1", "practitioner": ""}
    response = client.post("/audits/new", data=data | {"csrf_token": token_on(client, "/audits/new")})
    return int(re.search(r"/audits/(\d+)/edit", response.headers["Location"]).group(1))


def go_idle(app, client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5


def stored(app, audit_id: int) -> Audit:
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        db.session.expunge(audit)
        return audit


def held_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(HeldAnswers))


@pytest.fixture
def auditor(app, staff) -> tuple[FlaskClient, int, str]:
    """Alex, signed in with a draft open: the client, the audit's id, and the page's CSRF token."""
    client = app.test_client()
    sign_in(client, staff["auditor"]["email"])
    audit_id = start_audit(app, client, staff)
    return client, audit_id, token_on(client, f"/audits/{audit_id}/edit")


@pytest.mark.parametrize("intent", ["draft", "submit"])
def test_save_or_submit_after_the_idle_timeout_keeps_every_answer(app, staff, auditor, intent):
    client, audit_id, token = auditor
    page_url = f"/audits/{audit_id}/edit"
    answers = every_answer(app)
    go_idle(app, client)

    response = client.post(page_url, data=MultiDict([*answers, ("intent", intent), ("csrf_token", token)]))
    assert response.headers["Location"] == f"/sign-in?next={page_url}"
    sign_in_page = check_page(client.get("/sign-in").get_data(as_text=True))
    assert "Sign in again to go back to your answers: they have been kept" in sign_in_page.get_text()
    assert stored(app, audit_id).answers == {}  # held, not saved: the auditor checks them first

    assert sign_in(client, staff["auditor"]["email"], page_url) == page_url
    page = check_page(client.get(page_url).get_data(as_text=True))
    assert KEPT_BANNER in " ".join(page.select_one(".govuk-notification-banner").get_text().split())
    assert sorted(fields_on(page)) == sorted(answers)

    again = client.post(
        page_url, data=MultiDict([*fields_on(page), ("intent", intent), ("csrf_token", token_on(client, page_url))])
    )
    assert again.status_code == 302
    audit = stored(app, audit_id)
    assert audit.status == ("submitted" if intent == "submit" else "draft")
    assert len([key for key in audit.answers if re.fullmatch(r"assessment_\d+", key)]) == 13
    assert audit.answers["assessment_13_evidence"] == "Seen in the record (assessment_13_evidence)"
    assert held_count(app) == 0  # sent again: the held copy is deleted


def test_a_save_after_the_session_ended_in_another_tab_is_kept_too(app, staff, auditor):
    client, audit_id, token = auditor
    go_idle(app, client)
    assert client.get("/audits").headers["Location"].startswith("/sign-in")  # another tab ends the session
    response = client.post(f"/audits/{audit_id}/edit", data={"assessment_1": "met", "csrf_token": token})
    assert response.headers["Location"] == f"/sign-in?next=/audits/{audit_id}/edit"
    sign_in(client, staff["auditor"]["email"], f"/audits/{audit_id}/edit")
    page = check_page(client.get(f"/audits/{audit_id}/edit").get_data(as_text=True))
    assert page.select_one("input[name=assessment_1][value=met]").has_attr("checked")


def test_someone_else_signing_in_gets_nothing_and_the_answers_are_dropped(app, staff, auditor):
    client, audit_id, token = auditor
    go_idle(app, client)
    client.post(f"/audits/{audit_id}/edit", data={"assessment_1": "met", "intent": "draft", "csrf_token": token})
    assert held_count(app) == 1

    sign_in(client, staff["qa_admin"]["email"], f"/audits/{audit_id}/edit")
    page = client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert "have been kept" not in page
    assert "Seen in the record" not in page
    assert held_count(app) == 0
    # Alex signing in afterwards, here or anywhere else, finds only the draft as it was saved.
    client.post("/sign-out", data={"csrf_token": token_on(client, "/staff")})
    sign_in(client, staff["auditor"]["email"])
    page = check_page(client.get(f"/audits/{audit_id}/edit").get_data(as_text=True))
    assert not page.select_one("input[name=assessment_1][value=met]").has_attr("checked")


def test_the_same_person_in_another_browser_does_not_get_them(app, staff, auditor):
    client, audit_id, token = auditor
    go_idle(app, client)
    client.post(f"/audits/{audit_id}/edit", data={"assessment_1": "met", "csrf_token": token})
    elsewhere = app.test_client()
    sign_in(elsewhere, staff["auditor"]["email"])
    page = elsewhere.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert "have been kept" not in page


def test_held_answers_expire_and_are_deleted(app, staff, auditor):
    client, audit_id, token = auditor
    go_idle(app, client)
    client.post(f"/audits/{audit_id}/edit", data={"assessment_1": "met", "csrf_token": token})
    with app.app_context():
        held = db.session.scalars(select(HeldAnswers)).one()
        assert "met" in str(held.fields)
        assert token not in str(held.fields)
        held.created_at -= timedelta(minutes=app.config["HELD_ANSWERS_MINUTES"] + 1)
        db.session.commit()
    sign_in(client, staff["auditor"]["email"], f"/audits/{audit_id}/edit")
    assert "have been kept" not in client.get(f"/audits/{audit_id}/edit").get_data(as_text=True)
    assert held_count(app) == 0


@pytest.mark.parametrize(
    ("token", "headers"),
    [("forged", {}), (None, {"Origin": "https://elsewhere.example"}), (None, {"Sec-Fetch-Site": "cross-site"})],
)
def test_a_post_not_from_the_auditors_page_is_not_held(app, staff, auditor, token, headers):
    client, audit_id, page_token = auditor
    go_idle(app, client)
    data = {"assessment_1": "met", "csrf_token": token or page_token}
    client.post(f"/audits/{audit_id}/edit", data=data, headers=headers)
    assert held_count(app) == 0


def test_a_page_whose_token_grew_old_while_the_session_lived_keeps_its_answers(app, staff, auditor):
    client, audit_id, token = auditor
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now older than the limit
    response = client.post(f"/audits/{audit_id}/edit", data={"assessment_1": "met", "csrf_token": token})
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    assert response.headers["Location"] == f"/audits/{audit_id}/edit"
    page = check_page(client.get(f"/audits/{audit_id}/edit").get_data(as_text=True))
    assert "This page timed out before you saved it. Your answers have been kept" in page.get_text()
    assert page.select_one("input[name=assessment_1][value=met]").has_attr("checked")
    assert stored(app, audit_id).answers == {}


def test_a_moderation_comment_is_kept_the_same_way(app, staff, auditor):
    client, audit_id, token = auditor
    answers = every_answer(app)
    client.post(f"/audits/{audit_id}/edit", data=MultiDict([*answers, ("intent", "submit"), ("csrf_token", token)]))
    manager = app.test_client()
    sign_in(manager, staff["service_manager"]["email"])
    moderate = f"/audits/{audit_id}/moderate"
    manager_token = token_on(manager, moderate)
    go_idle(app, manager)
    comment = {"outcome": "agree", "comment": "A careful audit", "csrf_token": manager_token}
    manager.post(moderate, data=comment)
    sign_in(manager, staff["service_manager"]["email"], moderate)
    page = check_page(manager.get(moderate).get_data(as_text=True))
    assert "A careful audit" in page.select_one("textarea").get_text()
    assert stored(app, audit_id).moderated_at is None


def test_the_edit_page_says_how_long_a_session_lasts_without_activity(app, staff, auditor):
    client, audit_id, _token = auditor
    page = check_page(client.get(f"/audits/{audit_id}/edit").get_data(as_text=True))
    assert "you are signed out after 30 minutes without activity" in " ".join(page.get_text().split())


def test_an_action_being_raised_or_updated_is_kept_the_same_way(app, staff, auditor):
    client, audit_id, token = auditor
    client.post(
        f"/audits/{audit_id}/edit", data=MultiDict([*every_answer(app), ("intent", "submit"), ("csrf_token", token)])
    )
    raise_page = f"/audits/{audit_id}/actions/new"
    token = token_on(client, raise_page)
    go_idle(app, client)
    client.post(raise_page, data={"action": "Update the chronology", "csrf_token": token})
    sign_in(client, staff["auditor"]["email"], raise_page)
    page = check_page(client.get(raise_page).get_data(as_text=True))
    assert page.select_one("textarea#action").get_text() == "Update the chronology"
