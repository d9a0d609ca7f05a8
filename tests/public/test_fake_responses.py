"""Scripts sending fake responses through open links: a fill time, a trap box, limits per address and link."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import add_teams, empty_database, error_summary, make_app
from tests.public.pages import CHECKED, count_stored, hidden_fields, open_form, send
from tests.public.test_feedback_form import VALID_FAMILY

URL = "/feedback/family"


@pytest.fixture
def checked_app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, **CHECKED)
    add_teams(app)
    yield app
    empty_database(app)


def limited_app(tmp_path: Path, **config: str) -> Flask:
    app = make_app(tmp_path, **CHECKED, **config)
    add_teams(app)
    return app


def test_a_post_sooner_than_anyone_could_fill_the_form_is_shown_again_with_the_answers_and_stores_nothing(
    tmp_path,
):
    app = make_app(tmp_path, **CHECKED | {"PUBLIC_MIN_FILL_SECONDS": 60})
    add_teams(app)
    client = app.test_client()
    status, page = send(client, URL, VALID_FAMILY | open_form(client, URL) | {"what_helped": "Kept for you"})
    assert status == 200
    assert page is not None
    assert error_summary(page)[0][0].startswith("Your answers were sent very quickly")
    assert page.select_one("#what_helped").get_text() == "Kept for you"
    assert page.select_one("input[name=help_helped][value=yes_a_lot]").has_attr("checked")
    assert count_stored(app) == 0
    empty_database(app)


def test_sending_the_page_again_after_the_too_quick_message_is_stored(tmp_path):
    app = make_app(tmp_path, **CHECKED | {"PUBLIC_MIN_FILL_SECONDS": 0.5})
    add_teams(app)
    client = app.test_client()
    status, page = send(client, URL, VALID_FAMILY | open_form(client, URL))
    assert status == 200
    assert page is not None
    # The page shown again keeps the time the form was first opened: reading the message is enough.
    time.sleep(0.6)
    status, _page = send(client, URL, VALID_FAMILY | hidden_fields(str(page)))
    assert status == 302
    assert count_stored(app) == 1
    empty_database(app)


def test_a_filled_trap_box_stores_nothing_and_says_to_leave_it_empty(checked_app):
    client = checked_app.test_client()
    data = VALID_FAMILY | open_form(client, URL) | {"contact_website": "http://spam.example"}
    status, page = send(client, URL, data)
    assert status == 200
    assert page is not None
    assert "Leave the box labelled 'Leave this box empty' empty" in error_summary(page)[0][0]
    assert page.select_one("#contact_website")["value"] == ""
    assert count_stored(checked_app) == 0


def test_the_trap_box_is_hidden_from_people_out_of_the_tab_order_and_labelled(client_request, teams):
    page = client_request.get(URL)
    box = page.select_one("input#contact_website")
    assert box["tabindex"] == "-1"
    assert box["autocomplete"] == "off"
    wrapper = box.find_parent("div")
    assert wrapper["aria-hidden"] == "true"
    assert "govuk-visually-hidden" in wrapper["class"]
    assert page.select_one("label[for=contact_website]").get_text(strip=True) == "Leave this box empty"


def test_a_post_without_its_pages_token_stores_nothing_and_keeps_the_answers(checked_app):
    client = checked_app.test_client()
    status, page = send(client, URL, VALID_FAMILY | {"submission": "made-up.1.token"})
    assert status == 200
    assert page is not None
    assert error_summary(page)[0][0].startswith("We could not send your answers from this page")
    assert page.select_one("#what_helped").get_text() == VALID_FAMILY["what_helped"]
    assert count_stored(checked_app) == 0
    # The page shown again carries a real token, so sending it again works.
    assert send(client, URL, VALID_FAMILY | hidden_fields(str(page)))[0] == 302
    assert count_stored(checked_app) == 1


def test_everyone_opening_the_same_shared_page_gets_their_own_submission_token(checked_app):
    tokens = {open_form(checked_app.test_client(), URL)["submission"] for _ in range(3)}
    assert len(tokens) == 3


def test_one_address_gets_its_answers_back_unsaved_after_its_share_and_nothing_more_is_stored(tmp_path):
    app = limited_app(tmp_path, PUBLIC_LIMIT_PER_ADDRESS="3 per hour")
    client = app.test_client()
    for _ in range(3):
        assert send(client, URL, VALID_FAMILY | open_form(client, URL))[0] == 302
    status, page = send(client, URL, VALID_FAMILY | open_form(client, URL))
    assert status == 429
    assert page is not None
    [(message, _link)] = error_summary(page)
    assert message.startswith("More feedback has come from this device, or through this link")
    assert "your answers have not been saved yet. They are still below" in message
    assert page.select_one("#what_helped").get_text() == VALID_FAMILY["what_helped"], "what they typed is kept"
    assert count_stored(app) == 3
    # Someone else, elsewhere, is not held up.
    other = app.test_client()
    data = VALID_FAMILY | open_form(other, URL)
    assert send(other, URL, data, environ_base={"REMOTE_ADDR": "203.0.113.9"})[0] == 302
    empty_database(app)


def test_a_link_gets_a_plain_page_after_its_share_even_from_many_addresses(tmp_path):
    app = limited_app(tmp_path, PUBLIC_LIMIT_PER_LINK="2 per hour")
    link = f"{URL}?team=dover-ehu&stage=review"
    answers = {key: value for key, value in VALID_FAMILY.items() if key not in ("team", "stage")}
    statuses = []
    for number in range(3):
        client = app.test_client()
        data = answers | open_form(client, link)
        statuses.append(send(client, link, data, environ_base={"REMOTE_ADDR": f"198.51.100.{number}"})[0])
    assert statuses == [302, 302, 429]
    # The same form through another team's link is another link.
    client = app.test_client()
    data = answers | open_form(client, f"{URL}?team=ashford-ehu&stage=review")
    assert send(client, f"{URL}?team=ashford-ehu&stage=review", data)[0] == 302
    assert count_stored(app) == 3
    empty_database(app)


def test_posts_with_mistakes_do_not_count_towards_the_limit(tmp_path):
    app = limited_app(tmp_path, PUBLIC_LIMIT_PER_ADDRESS="1 per hour")
    client = app.test_client()
    fields = open_form(client, URL)
    for _ in range(3):
        assert send(client, URL, VALID_FAMILY | fields | {"help_helped": ""})[0] == 200
    assert send(client, URL, VALID_FAMILY | fields)[0] == 302
    assert count_stored(app) == 1
    empty_database(app)


def test_a_shared_council_network_is_limited_per_link_only(tmp_path):
    app = limited_app(tmp_path, PUBLIC_LIMIT_PER_ADDRESS="1 per hour", PUBLIC_LIMIT_EXEMPT_NETWORKS="10.0.0.0/8")
    office = {"REMOTE_ADDR": "10.1.2.3"}
    for _ in range(3):
        client = app.test_client()
        assert send(client, URL, VALID_FAMILY | open_form(client, URL), environ_base=office)[0] == 302
    assert count_stored(app) == 3
    empty_database(app)
