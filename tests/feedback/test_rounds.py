"""Partner rounds and staff survey waves: links that work only while open, responses tagged."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import FeedbackRound, Response
from tests.conftest import ClientRequest, error_summary

TODAY = date.today()


def day_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def add_round(app, form_key, opens, closes, name="April to September") -> int:
    with app.app_context():
        found = FeedbackRound(form_key=form_key, name=name, opens_on=opens, closes_on=closes)
        db.session.add(found)
        db.session.commit()
        return found.id


@pytest.fixture
def round_forms(app):
    from qaf.forms_registry import all_forms

    with app.app_context():
        keys = {spec.rounds: key for key, spec in all_forms().items() if spec.rounds}
    if "optional" not in keys:
        pytest.skip("no form is collected in rounds")
    return keys


def test_a_qa_administrator_opens_a_round_and_gets_its_link(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    form_key = round_forms["optional"]
    page = admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "April to September 2026"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY + timedelta(days=30)),
        _expected_status=302,
    )
    assert page is None
    with app.app_context():
        round_id = db.session.scalar(select(FeedbackRound.id))
    page = admin.get(f"/admin/rounds/{round_id}")
    assert f"/feedback/{form_key}/rounds/{round_id}" in page.get_text()
    assert page.select_one("svg[role=img]")


def test_a_round_must_close_after_it_opens(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        "/admin/rounds/new",
        {"form": round_forms["optional"], "name": "Backwards"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY - timedelta(days=1)),
        _expected_status=200,
    )
    assert error_summary(page) == [("The closing date must be the same as or after the opening date", "#closes_on-day")]


def test_answers_through_an_open_round_are_tagged_with_it(app, client_request, round_forms):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY, TODAY)
    page = client_request.get(f"/feedback/{form_key}/rounds/{round_id}")
    assert "You are answering for April to September." in page.get_text()
    with app.app_context():
        from qaf.forms_registry import all_forms

        spec = all_forms()[form_key]
        answers = {}
        for question in spec.questions:
            if question.required and question.options:
                answers[question.id] = question.options[0].value
            elif question.required:
                answers[question.id] = "Fine"
    client_request.post(f"/feedback/{form_key}/rounds/{round_id}", answers)
    with app.app_context():
        assert db.session.scalars(select(Response)).one().round_id == round_id


@pytest.mark.parametrize(
    ("opens", "closes", "heading"),
    [
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1), "April to September has closed"),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=10), "April to September has not opened yet"),
    ],
)
def test_a_closed_round_takes_no_answers(app, client_request, round_forms, opens, closes, heading):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, opens, closes)
    page = client_request.get(f"/feedback/{form_key}/rounds/{round_id}")
    assert page.h1.get_text(strip=True) == heading
    client_request.post(f"/feedback/{form_key}/rounds/{round_id}", {}, _expected_status=200)
    with app.app_context():
        assert db.session.scalars(select(Response)).all() == []


def test_a_round_of_another_form_is_not_found(app, client_request, round_forms):
    round_id = add_round(app, round_forms["optional"], TODAY, TODAY)
    client_request.get(f"/feedback/family/rounds/{round_id}", _expected_status=404)


def test_the_ad_hoc_link_stays_open_without_a_round(app, client_request, round_forms):
    page = client_request.get(f"/feedback/{round_forms['optional']}")
    assert page.select("form")


def test_a_survey_in_waves_sends_people_to_the_open_wave_or_says_it_is_closed(app, client_request, round_forms):
    if "required" not in round_forms:
        pytest.skip("no form is collected only in waves")
    form_key = round_forms["required"]
    page = client_request.get(f"/feedback/{form_key}")
    assert "not open at the moment" in page.get_text()
    wave_id = add_round(app, form_key, TODAY, TODAY, name="Autumn 2026")
    response = client_request.client.get(f"/feedback/{form_key}")
    assert response.headers["Location"] == f"/feedback/{form_key}/rounds/{wave_id}"
