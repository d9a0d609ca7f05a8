"""A page sent again (a lost reply, a second tap, a slow connection) is stored once."""

import threading

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.invitations import create_invitation
from qaf.models import Team, User
from tests.conftest import add_teams, empty_database, make_app
from tests.public.pages import CHECKED, count_stored, hidden_fields, open_form, send
from tests.public.test_feedback_form import VALID_FAMILY

URL = "/feedback/family"


@pytest.fixture
def checked_app(tmp_path):
    app = make_app(tmp_path, **CHECKED)
    add_teams(app)
    yield app
    empty_database(app)


def test_the_same_post_sent_twice_stores_one_response_and_thanks_both_times(checked_app):
    client = checked_app.test_client()
    data = VALID_FAMILY | open_form(client, URL)
    first = client.post(URL, data=data)
    again = client.post(URL, data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == "/feedback/family/thank-you"
    assert count_stored(checked_app) == 1


def test_a_page_corrected_after_a_mistake_and_then_resent_is_stored_once(checked_app):
    client = checked_app.test_client()
    status, page = send(client, URL, VALID_FAMILY | open_form(client, URL) | {"help_helped": ""})
    assert status == 200
    assert page is not None
    corrected = VALID_FAMILY | hidden_fields(str(page))
    assert send(client, URL, corrected)[0] == 302
    assert send(client, URL, corrected)[0] == 302
    assert count_stored(checked_app) == 1


def test_two_pages_opened_by_the_same_person_are_two_responses(checked_app):
    client = checked_app.test_client()
    for _ in range(2):
        assert send(client, URL, VALID_FAMILY | open_form(client, URL))[0] == 302
    assert count_stored(checked_app) == 2


def test_an_invitation_page_sent_twice_thanks_again_instead_of_saying_it_was_used(checked_app):
    with checked_app.test_request_context():
        team = db.session.scalar(select(Team).where(Team.slug == "ashford-ehu"))
        worker = User(email="w@example.gov.uk", name="W", role="practitioner", team=team)
        db.session.add(worker)
        db.session.flush()
        new = create_invitation(form_key="family", team_id=team.id, stage="review", case_reference="EH-1", by=worker)
        db.session.commit()
    client = checked_app.test_client()
    url = "/i/" + new.link.rsplit("/", 1)[1]
    data = {key: value for key, value in VALID_FAMILY.items() if key not in ("team", "stage")} | open_form(client, url)
    assert send(client, url, data)[0] == 302
    assert send(client, url, data)[0] == 302
    assert count_stored(checked_app) == 1


def test_the_same_page_sent_twice_at_the_same_moment_stores_one_response(checked_app):
    client = checked_app.test_client()
    data = VALID_FAMILY | open_form(client, URL)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send_now() -> None:
        own = checked_app.test_client()
        start.wait()
        statuses.append(own.post(URL, data=data).status_code)

    senders = [threading.Thread(target=send_now) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
    assert statuses == [302, 302]
    assert count_stored(checked_app) == 1
