"""Questions and sections shown on a condition (``show_if``), through the pages as a browser without
JavaScript sees them: every one is on the page with a hint saying when to answer it, and the server
checks and keeps an answer only when its condition is met."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Response
from tests.conftest import ClientRequest, empty_database, error_summary, make_app
from tests.public.test_feedback_form import VALID_FAMILY

HEARD_HINT = (
    "Only answer this if you answered ‘A young person aged 11 to 15’ or ‘A young person aged 16 or over’"
    " to ‘Who is filling in this form?’"
)
HEARD_ERROR = ("Select how much you agree that your own views were heard", "#young_person_heard")


def stored_answers(app: Flask) -> list[dict]:
    with app.app_context():
        return [response.answers for response in db.session.scalars(select(Response).order_by(Response.id))]


def words(tag) -> str:
    return " ".join(tag.get_text().split())


def test_the_young_person_question_is_on_the_page_with_its_hint_and_condition(client_request, teams):
    page = client_request.get("/feedback/family")
    container = page.select_one("[data-show-if]:has(input[name=young_person_heard])")
    assert json.loads(container["data-show-if"]) == {
        "question": "who_is_answering",
        "is": ["young_person_11_15", "young_person_16_plus"],
    }
    assert words(container.select_one("#young_person_heard-hint")) == HEARD_HINT
    # Without JavaScript nothing is hidden: the hint is what says when to answer.
    assert not container.has_attr("hidden")


def test_a_parent_need_not_answer_the_young_person_question(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY, _expected_redirect="/feedback/family/thank-you")
    [answers] = stored_answers(app)
    assert "young_person_heard" not in answers


def test_an_answer_a_parent_gives_to_the_young_person_question_is_not_stored(app, client_request, teams):
    data = VALID_FAMILY | {"young_person_heard": "agree"}
    client_request.post("/feedback/family", data, _expected_redirect="/feedback/family/thank-you")
    [answers] = stored_answers(app)
    assert "young_person_heard" not in answers
    assert answers["listened_to"] == "agree"


@pytest.mark.parametrize("who", ["young_person_11_15", "young_person_16_plus"])
def test_a_young_person_must_answer_the_young_person_question(app, client_request, teams, who):
    data = VALID_FAMILY | {"who_is_answering": who}
    page = client_request.post("/feedback/family", data, _expected_status=200)
    assert error_summary(page) == [HEARD_ERROR]
    assert stored_answers(app) == []


def test_a_young_persons_answer_to_the_young_person_question_is_stored(app, client_request, teams):
    data = VALID_FAMILY | {"who_is_answering": "young_person_11_15", "young_person_heard": "strongly_agree"}
    client_request.post("/feedback/family", data, _expected_redirect="/feedback/family/thank-you")
    [answers] = stored_answers(app)
    assert answers["young_person_heard"] == "strongly_agree"


def test_an_invalid_answer_to_a_hidden_question_is_not_an_error(app, client_request, teams):
    data = VALID_FAMILY | {"young_person_heard": "very_much"}
    client_request.post("/feedback/family", data, _expected_redirect="/feedback/family/thank-you")
    [answers] = stored_answers(app)
    assert "young_person_heard" not in answers


# A form whose second section is shown only to those who visited: a question in it is required.
VISIT_FORM = """\
key: visit
version: 1
title: Tell us about your visit
audience: family
intro: It takes about 2 minutes.
sections:
  - title: About you
    questions:
      - id: visited
        type: yes_no
        label: Did you visit the centre?
        thing: whether you visited the centre
  - title: Your visit
    intro: Think about your last visit.
    show_if: {question: visited, is: ["yes"]}
    questions:
      - id: visit_rating
        type: faces
        label: How was your visit?
        thing: how your visit was
      - id: visit_comment
        type: long_text
        label: What could have been better?
        required: false
"""


@pytest.fixture
def visit_app(tmp_path: Path) -> Iterator[Flask]:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "visit.yaml").write_text(VISIT_FORM)
    app = make_app(tmp_path, FORMS_DIR=str(folder))
    yield app
    empty_database(app)


def test_a_section_on_a_condition_says_when_to_answer_it_under_its_heading(visit_app):
    page = ClientRequest(visit_app.test_client()).get("/feedback/visit")
    section = page.select_one("[data-show-if]:has(h2)")
    assert words(section.h2) == "Your visit"
    assert json.loads(section["data-show-if"]) == {"question": "visited", "is": ["yes"]}
    assert words(section.select_one("h2 + p.govuk-hint")) == (
        "Only answer the questions in this section if you answered ‘Yes’ to ‘Did you visit the centre?’"
    )
    assert section.select("input[name=visit_rating]")


def test_the_questions_of_a_section_not_shown_are_not_required_and_not_stored(visit_app):
    client = ClientRequest(visit_app.test_client())
    data = {"visited": "no", "visit_rating": "5", "visit_comment": "Lovely"}
    client.post("/feedback/visit", data, _expected_redirect="/feedback/visit/thank-you")
    client.post("/feedback/visit", {"visited": "no"}, _expected_redirect="/feedback/visit/thank-you")
    assert stored_answers(visit_app) == [{"visited": "no"}, {"visited": "no"}]


def test_the_questions_of_a_section_shown_are_required_and_stored(visit_app):
    client = ClientRequest(visit_app.test_client())
    page = client.post("/feedback/visit", {"visited": "yes"}, _expected_status=200)
    assert error_summary(page) == [("Select how your visit was", "#visit_rating")]
    data = {"visited": "yes", "visit_rating": "4", "visit_comment": "More seats"}
    client.post("/feedback/visit", data, _expected_redirect="/feedback/visit/thank-you")
    assert stored_answers(visit_app) == [{"visited": "yes", "visit_rating": "4", "visit_comment": "More seats"}]
