"""Equality monitoring questions (``equality: true``): what the loader accepts, and the family forms' own."""

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import Code, SpecError, load_forms, parse_spec
from qaf.models import Response
from tests.public.test_feedback_form import VALID_FAMILY

FORMS = Path(__file__).parents[2] / "forms"
GOOD = """\
key: sample
version: 1
title: A sample form
audience: family
sections:
  - title: About you (optional)
    questions:
      - id: sex
        type: radios
        label: What is your sex?
        required: false
        equality: true
        options:
          - {value: female, label: Female}
          - {value: male, label: Male}
          - {value: prefer_not_to_say, label: Prefer not to say}
"""


def problem_text(text: str) -> str:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "forms/sample.yaml")
    assert caught.value.has(Code.QUESTION_BAD_VALUE)
    return str(caught.value)


def test_an_optional_choice_with_prefer_not_to_say_on_a_family_form_is_an_equality_question():
    question = parse_spec(GOOD, "forms/sample.yaml").question("sex")
    assert question.equality is True
    assert question.required is False


def test_a_question_not_marked_is_stored_without_the_key_so_old_digests_stay_the_same():
    plain = GOOD.replace("        equality: true\n", "")
    assert "equality" not in parse_spec(plain, "a.yaml").snapshot()["sections"][0]["questions"][0]
    assert parse_spec(plain, "a.yaml").digest != parse_spec(GOOD, "a.yaml").digest


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("audience: family", "audience: partner"), "equality questions are asked on family forms only"),
        (("audience: family", "audience: child"), "equality questions are asked on family forms only"),
        (("type: radios", "type: checkboxes"), "an equality question is a radios or select question"),
        (("required: false", "required: true"), "an equality question must be optional: add required: false"),
        (("        required: false\n", ""), "an equality question must be optional"),
        (("equality: true", "equality: yes please"), "'equality' must be true or false"),
        (
            ("          - {value: prefer_not_to_say, label: Prefer not to say}\n", ""),
            "needs the option {value: prefer_not_to_say, label: Prefer not to say}",
        ),
        (("equality: true", "equality: true\n        positive: [female]"), "an equality question cannot feed"),
        (
            ("audience: family", "audience: family\nkeep_case_reference: true"),
            "a form that keeps the case reference cannot ask equality questions",
        ),
    ],
)
def test_each_wrong_equality_question_is_reported_with_its_line(change, message):
    text = problem_text(GOOD.replace(*change))
    assert "forms/sample.yaml:" in text
    assert "(question 'sex')" in text
    assert message in text


def test_the_family_form_asks_the_protected_characteristics_in_an_optional_section():
    forms = load_forms(FORMS)
    for key in ("family",):
        (section,) = [section for section in forms[key].sections if any(q.equality for q in section.questions)]
        assert "optional" in section.title.lower()
        assert "Public Sector Equality Duty" in section.intro
        ids = {question.id for question in section.questions}
        assert {"equality_age", "equality_sex", "equality_ethnicity", "equality_disability"} <= ids
        assert {"equality_religion", "equality_sexual_orientation"} <= ids
        for question in section.questions:
            assert question.equality, question.id
            assert not question.required, question.id
            assert question.options[-1].label == "Prefer not to say", question.id
    assert not any(question.equality for question in forms["child"].questions)
    # The closure form keeps the case reference: equality answers there would be linked to a case.
    assert not any(question.equality for question in forms["closure"].questions)


def test_the_family_form_can_be_sent_with_every_equality_question_left_blank(app: Flask, client_request, teams):
    page = client_request.get("/feedback/family")
    assert "About you (optional)" in page.get_text()
    client_request.post("/feedback/family", data=VALID_FAMILY)
    with app.app_context():
        (answers,) = db.session.scalars(select(Response.answers)).all()
    assert not [key for key in answers if key.startswith("equality_")]
