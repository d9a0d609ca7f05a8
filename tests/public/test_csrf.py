"""CSRF on every POST; a missing or stale token stores nothing but keeps a family's answers."""

import re
import time

from flask import Flask
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Response
from tests.conftest import add_teams, check_page, empty_database, error_summary, make_app
from tests.public.test_feedback_form import VALID_FAMILY


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def count_stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_a_post_with_a_valid_token_is_stored(app_with_csrf):
    add_teams(app_with_csrf)
    client = app_with_csrf.test_client()
    token = token_from(client.get("/feedback/family").get_data(as_text=True))
    response = client.post("/feedback/family", data=VALID_FAMILY | {"csrf_token": token})
    assert response.status_code == 302
    assert count_stored(app_with_csrf) == 1


def test_a_post_without_a_token_stores_nothing_and_gives_the_answers_back(app_with_csrf):
    add_teams(app_with_csrf)
    client = app_with_csrf.test_client()
    client.get("/feedback/family")
    response = client.post("/feedback/family", data=VALID_FAMILY | {"what_helped": "Bedtime routine"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    page = check_page(html)
    assert error_summary(page)[0][0].startswith("Your page timed out before you sent it")
    assert page.select_one("#what_helped").get_text() == "Bedtime routine"
    assert page.select_one("input[name=help_helped][value=yes_a_lot]").has_attr("checked")
    assert count_stored(app_with_csrf) == 0
    # The page carries a fresh token, so sending it again works.
    again = client.post("/feedback/family", data=VALID_FAMILY | {"csrf_token": token_from(html)})
    assert again.status_code == 302
    assert count_stored(app_with_csrf) == 1


def test_a_stale_token_is_refused_and_the_answers_kept(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=1)
    add_teams(app)
    client = app.test_client()
    token = token_from(client.get("/feedback/family").get_data(as_text=True))
    time.sleep(2.1)
    response = client.post("/feedback/family", data=VALID_FAMILY | {"csrf_token": token, "what_helped": "Kept"})
    assert response.status_code == 400
    assert "Kept" in response.get_data(as_text=True)
    assert count_stored(app) == 0
    empty_database(app)


def test_a_forged_token_is_refused(app_with_csrf):
    add_teams(app_with_csrf)
    client = app_with_csrf.test_client()
    client.get("/feedback/family")
    response = client.post("/feedback/family", data=VALID_FAMILY | {"csrf_token": "forged"})
    assert response.status_code == 400
    assert count_stored(app_with_csrf) == 0


def test_a_post_to_a_page_that_takes_no_posts_gets_an_error_page(app_with_csrf):
    response = app_with_csrf.test_client().post("/privacy")
    assert response.status_code in (400, 405)
    check_page(response.get_data(as_text=True))
