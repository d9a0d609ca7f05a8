"""Every question type, answered through a page: stored values and GOV.UK error messages."""

from pathlib import Path

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Response
from tests.conftest import ClientRequest, empty_database, error_summary, make_app

EVERY_TYPE = """\
key: every-type
version: 1
title: Every type of question
audience: staff
sections:
  - title: Questions
    questions:
      - {id: choice, type: radios, label: Pick one, thing: one option, options: [Red, Blue]}
      - {id: many, type: checkboxes, label: Pick some, thing: at least one option, options: [Red, Blue, Green]}
      - {id: dropdown, type: select, label: Pick from a list, thing: an item, options: [First, Second]}
      - {id: short, type: text, label: Your role, thing: your role, max_length: 20}
      - {id: long, type: long_text, label: Comments, thing: your comments, required: false, max_length: 30}
      - {id: count, type: number, label: Cases held, thing: the number of cases, min: 0, max: 40}
      - {id: when, type: date, label: Date of supervision, thing: the date of supervision}
      - {id: agreed, type: yes_no, label: "Was it agreed?", thing: whether it was agreed}
      - {id: likert, type: agreement, label: I feel supported, thing: how much you agree}
      - {id: score, type: scale, label: Score, thing: a score, low_label: poor, high_label: excellent}
      - {id: mood, type: faces, label: Mood, thing: a face}
"""

VALID = {
    "choice": "red",
    "many": ["red", "green"],
    "dropdown": "second",
    "short": "Family worker",
    "count": "12",
    "when-day": "3",
    "when-month": "11",
    "when-year": "2026",
    "agreed": "yes",
    "likert": "agree",
    "score": "7",
    "mood": "5",
}


@pytest.fixture
def staff_app(tmp_path: Path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "every-type.yaml").write_text(EVERY_TYPE)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield app
    empty_database(app)


@pytest.fixture
def client(staff_app) -> ClientRequest:
    return ClientRequest(staff_app.test_client())


def test_every_type_is_rendered_with_its_gov_uk_component(client):
    page = client.get("/feedback/every-type")
    assert len(page.select("input[type=radio][name=choice]")) == 2
    assert len(page.select("input[type=checkbox][name=many]")) == 3
    assert page.select_one("select#dropdown")
    assert page.select_one("input#short[type=text]")
    assert page.select_one(".govuk-character-count textarea#long")
    assert page.select_one("input#count")["inputmode"] == "numeric"
    assert [box["name"] for box in page.select(".govuk-date-input input")] == ["when-day", "when-month", "when-year"]
    assert len(page.select("input[name=score]")) == 11
    assert "0 means poor, 10 means excellent" in page.get_text()
    assert "Comments (optional)" in page.get_text()
    assert not page.select("[required]")


def test_radios_without_a_hint_are_not_described_by_an_empty_hint(client):
    page = client.get("/feedback/every-type")
    fieldset = page.select_one("input[name=choice]").find_parent("fieldset")
    assert not fieldset.get("aria-describedby")


def test_answers_of_every_type_are_stored_with_their_types(staff_app, client):
    client.post("/feedback/every-type", VALID)
    with staff_app.app_context():
        answers = db.session.scalars(select(Response)).one().answers
    assert answers == {
        "choice": "red",
        "many": ["red", "green"],
        "dropdown": "second",
        "short": "Family worker",
        "count": 12,
        "when": "2026-11-03",
        "agreed": "yes",
        "likert": "agree",
        "score": 7,
        "mood": "5",
    }


@pytest.mark.parametrize(
    ("changes", "message", "link"),
    [
        ({"many": []}, "Select at least one option", "#many"),
        ({"many": ["red", "purple"]}, "Select at least one option from the list", "#many"),
        ({"dropdown": ""}, "Select an item", "#dropdown"),
        ({"short": "   "}, "Enter your role", "#short"),
        ({"short": "x" * 21}, "Your role must be 20 characters or less", "#short"),
        ({"long": "x" * 31}, "Your comments must be 30 characters or less", "#long"),
        ({"count": "twelve"}, "The number of cases must be a whole number, like 3", "#count"),
        ({"count": "41"}, "The number of cases must be between 0 and 40", "#count"),
        ({"count": "-1"}, "The number of cases must be between 0 and 40", "#count"),
        ({"when-day": "", "when-month": "", "when-year": ""}, "Enter the date of supervision", "#when-day"),
        ({"when-month": ""}, "The date of supervision must include a month", "#when-day"),
        ({"when-day": "", "when-year": ""}, "The date of supervision must include a day and year", "#when-day"),
        ({"when-day": "31", "when-month": "2"}, "The date of supervision must be a real date", "#when-day"),
        ({"when-year": "26"}, "The date of supervision must be a real date", "#when-day"),
        ({"agreed": "maybe"}, "Select whether it was agreed from the list", "#agreed"),
        ({"mood": "6"}, "Select a face from the list", "#mood"),
        ({"score": ""}, "Select a score", "#score"),
    ],
)
def test_each_rule_has_a_gov_uk_message_linked_to_its_field(staff_app, client, changes, message, link):
    page = client.post("/feedback/every-type", VALID | changes, _expected_status=200)
    assert (message, link) in error_summary(page)
    field_id = link.lstrip("#")
    assert page.select_one(f"#{field_id}"), f"the error link {link} points at nothing"
    with staff_app.app_context():
        assert db.session.scalars(select(Response)).all() == []


def test_a_post_without_the_date_keys_at_all_is_an_error_not_a_crash(client):
    data = {key: value for key, value in VALID.items() if not key.startswith("when")}
    page = client.post("/feedback/every-type", data, _expected_status=200)
    assert ("Enter the date of supervision", "#when-day") in error_summary(page)


def test_a_date_in_error_keeps_what_was_typed(client):
    page = client.post("/feedback/every-type", VALID | {"when-day": "31", "when-month": "2"}, _expected_status=200)
    assert page.select_one("#when-day")["value"] == "31"
    assert "govuk-input--error" in page.select_one("#when-year")["class"]
