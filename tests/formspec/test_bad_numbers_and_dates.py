"""Numbers and dates no honest answer looks like get a GOV.UK error message, never a server error.

Each of these once crashed the page: '²' passes str.isdigit() but not int(), '--5' passes
lstrip('-'), int() refuses 5,000 digits, and date() overflows on a 20-digit year. And the
honest ones are taken: a month written as a name ('12 March 2026') once was refused.
"""

import importlib
from datetime import date, timedelta
from pathlib import Path
from textwrap import dedent

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import Code, FormSpec, SpecError, build_form_class, parse_spec
from qaf.models import Response
from qaf.reports.periods import uk_today
from tests.conftest import ClientRequest, empty_database, error_summary, make_app

NUMBERS_AND_DATES = """\
key: numbers-and-dates
version: 1
title: Numbers and dates
audience: staff
sections:
  - title: Questions
    questions:
      - {id: count, type: number, label: Cases held, thing: the number of cases, min: 0, max: 40}
      - {id: visits, type: number, label: Visits, thing: the number of visits, required: false}
      - {id: when, type: date, label: Date of supervision, thing: the date of supervision}
"""
VALID = {"count": "12", "when-day": "3", "when-month": "11", "when-year": "2026"}
CASES = "The number of cases"
SUPERVISION = "The date of supervision"

BAD_NUMBERS = ("--5", "²", "٣", "+5", "1.5", "1e3", "5 000")
HUGE_NUMBERS = ("5" * 5000, "9" * 20, "-" + "9" * 25)
BAD_DATES = (
    {"when-year": "9" * 20},
    {"when-year": "2" * 25},
    {"when-day": "9" * 25},
    {"when-month": "1" * 20},
    {"when-day": "²"},
    {"when-year": "２０２６"},
    {"when-year": "20266"},
    {"when-day": "-1"},
)

OUT_OF_RANGE_DATES = ({"when-year": "9999"}, {"when-year": "0999"}, {"when-year": "1899"}, {"when-year": "2200"})

BOUNDED_DATES = """\
key: bounded-dates
version: 1
title: Bounded dates
audience: staff
sections:
  - title: Questions
    questions:
      - {id: met, type: date, label: "Met on", thing: the date you met, latest: today, required: false}
      - {id: left, type: date, label: "Left on", thing: the date they left, latest: yesterday, required: false}
      - {id: next, type: date, label: Next visit, thing: the date of the next visit, earliest: today, required: false}
      - {id: review, type: date, label: Review, thing: the date of the review, earliest: tomorrow, required: false}
"""


def _date(question_id: str, day: date) -> dict[str, str]:
    return {
        f"{question_id}-day": str(day.day),
        f"{question_id}-month": str(day.month),
        f"{question_id}-year": str(day.year),
    }


@pytest.fixture
def client(tmp_path: Path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "numbers-and-dates.yaml").write_text(NUMBERS_AND_DATES)
    (forms / "bounded-dates.yaml").write_text(BOUNDED_DATES)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield ClientRequest(app.test_client()), app
    empty_database(app)


def _nothing_stored(app) -> bool:
    with app.app_context():
        return db.session.scalars(select(Response)).all() == []


@pytest.mark.parametrize("answer", BAD_NUMBERS)
def test_a_number_that_is_not_plain_digits_asks_for_a_whole_number(client, answer):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | {"count": answer}, _expected_status=200)
    assert (f"{CASES} must be a whole number, like 3", "#count") in error_summary(page)
    assert page.title.get_text().startswith("Error: ")
    assert _nothing_stored(app)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("5" * 5000, "The number of visits must be 2,147,483,647 or less"),
        ("9" * 20, "The number of visits must be 2,147,483,647 or less"),
        ("-" + "9" * 5000, "The number of visits must be -2,147,483,647 or more"),
        ("2147483648", "The number of visits must be 2,147,483,647 or less"),
    ],
)
def test_a_number_question_without_limits_still_keeps_to_what_a_database_integer_holds(client, answer, message):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | {"visits": answer}, _expected_status=200)
    assert (message, "#visits") in error_summary(page)
    assert _nothing_stored(app)


@pytest.mark.parametrize("answer", HUGE_NUMBERS)
def test_a_number_of_many_digits_is_out_of_range(client, answer):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | {"count": answer}, _expected_status=200)
    assert (f"{CASES} must be between 0 and 40", "#count") in error_summary(page)
    assert _nothing_stored(app)


def test_the_largest_number_a_database_integer_holds_is_stored(client):
    page_client, app = client
    page_client.post("/feedback/numbers-and-dates", VALID | {"visits": "2,147,483,647"})
    with app.app_context():
        assert db.session.scalars(select(Response)).one().answers["visits"] == 2147483647


@pytest.mark.parametrize("changes", BAD_DATES)
def test_a_date_with_parts_no_real_date_has_asks_for_a_real_date(client, changes):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | changes, _expected_status=200)
    assert (f"{SUPERVISION} must be a real date", "#when-day") in error_summary(page)
    assert _nothing_stored(app)


@pytest.mark.parametrize("changes", OUT_OF_RANGE_DATES)
def test_a_real_date_no_casework_has_asks_for_one_between_1900_and_2199(client, changes):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | changes, _expected_status=200)
    message = f"{SUPERVISION} must be between 1 January 1900 and 31 December 2199"
    assert (message, "#when-day") in error_summary(page)
    assert _nothing_stored(app)


@pytest.mark.parametrize("month", ["March", "march", "MARCH", "Mar", "mar", "mar.", " March ", "3", "03"])
def test_a_month_written_as_a_name_in_full_or_short_is_taken_as_gov_uk_date_inputs_do(client, month):
    page_client, app = client
    page_client.post("/feedback/numbers-and-dates", VALID | {"when-day": "12", "when-month": month})
    with app.app_context():
        assert db.session.scalars(select(Response)).one().answers["when"] == "2026-03-12"


@pytest.mark.parametrize(("month", "stored"), [("Sept", "09"), ("sep", "09"), ("May", "05"), ("dec", "12")])
def test_every_month_name_and_the_short_form_sept_are_known(client, month, stored):
    page_client, app = client
    page_client.post("/feedback/numbers-and-dates", VALID | {"when-day": "1", "when-month": month})
    with app.app_context():
        assert db.session.scalars(select(Response)).one().answers["when"] == f"2026-{stored}-01"


@pytest.mark.parametrize("month", ["Marchh", "Ma", "M4rch", "13", "0", "Mars", "mars", "Marz"])
def test_a_month_that_is_no_month_name_or_number_asks_for_a_real_date(client, month):
    page_client, app = client
    page = page_client.post("/feedback/numbers-and-dates", VALID | {"when-month": month}, _expected_status=200)
    assert (f"{SUPERVISION} must be a real date", "#when-day") in error_summary(page)
    assert _nothing_stored(app)


def test_a_month_name_is_shown_again_as_typed_when_another_answer_has_a_problem(client):
    page_client, _app = client
    page = page_client.post(
        "/feedback/numbers-and-dates", VALID | {"count": "many", "when-month": "March"}, _expected_status=200
    )
    assert page.select_one("input[name=when-month]")["value"] == "March"
    assert not any(href == "#when-day" for _text, href in error_summary(page))


@pytest.mark.parametrize(
    ("question_id", "day", "message"),
    [
        ("met", 1, "The date you met must be today or in the past"),
        ("left", 0, "The date they left must be in the past"),
        ("next", -1, "The date of the next visit must be today or in the future"),
        ("review", 0, "The date of the review must be in the future"),
    ],
)
def test_a_date_outside_its_bound_relative_to_today_gets_the_gov_uk_message(client, question_id, day, message):
    page_client, app = client
    answer = _date(question_id, uk_today() + timedelta(days=day))
    page = page_client.post("/feedback/bounded-dates", answer, _expected_status=200)
    assert error_summary(page) == [(message, f"#{question_id}-day")]
    assert _nothing_stored(app)


@pytest.mark.parametrize(("question_id", "day"), [("met", 0), ("met", -400), ("left", -1), ("next", 0), ("review", 1)])
def test_a_date_inside_its_bound_relative_to_today_is_stored(client, question_id, day):
    page_client, app = client
    answer_day = uk_today() + timedelta(days=day)
    page_client.post("/feedback/bounded-dates", _date(question_id, answer_day))
    with app.app_context():
        assert db.session.scalars(select(Response)).one().answers == {question_id: answer_day.isoformat()}


def test_the_training_form_refuses_a_course_date_after_today_and_takes_today(app, client_request):
    tomorrow = _date("course_date", uk_today() + timedelta(days=1))
    page = client_request.post("/feedback/training", tomorrow, _expected_status=200)
    message = ("The date you attended the course must be today or in the past", "#course_date-day")
    assert message in error_summary(page)
    page = client_request.post("/feedback/training", _date("course_date", uk_today()), _expected_status=200)
    assert not any(href == "#course_date-day" for _text, href in error_summary(page))
    assert _nothing_stored(app)


def _problems(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(dedent(text), "forms/bounded-dates.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("latest: today", "latest: tomorrow"),
            "forms/bounded-dates.yaml:8 sections[0].questions[0].latest (question 'met'): 'latest' can be latest: "
            "today (the date must be today or in the past); latest: yesterday (the date must be in the past)",
        ),
        (
            ("earliest: today", "earliest: 2026-01-01"),
            "sections[0].questions[2].earliest (question 'next'): 'earliest' can be earliest: today",
        ),
        (
            ("latest: today", "latest: yesterday, earliest: today"),
            "sections[0].questions[0].latest (question 'met'): no date is both today or in the future and in the "
            "past: change 'earliest' or 'latest'",
        ),
        (
            ('type: date, label: "Met on"', 'type: text, label: "Met on"'),
            "sections[0].questions[0].latest (question 'met'): unknown field 'latest'",
        ),
    ],
)
def test_a_date_bound_that_is_not_a_day_relative_to_today_is_refused_with_the_line_and_a_fix(change, message):
    error = _problems(BOUNDED_DATES.replace(*change))
    assert error.has(Code.QUESTION_BAD_VALUE) or error.has(Code.QUESTION_UNKNOWN_FIELD)
    assert message in str(error)


def test_a_date_question_without_bounds_keeps_the_digest_it_had_before_bounds_existed():
    spec = parse_spec(NUMBERS_AND_DATES, "forms/numbers-and-dates.yaml")
    assert all("latest" not in question for question in spec.snapshot()["sections"][0]["questions"])
    bounded = parse_spec(BOUNDED_DATES, "forms/bounded-dates.yaml")
    assert FormSpec.from_snapshot(bounded.snapshot(), bounded.digest).question("met").latest == "today"


@pytest.mark.parametrize("year", ["9" * 20, "²⁰²⁶", "12345678901234567890123"])
def test_the_anonymous_training_form_answers_a_huge_year_with_an_error_message(app, client_request, year):
    dates = {"course_date-day": "1", "course_date-month": "2", "course_date-year": year}
    page = client_request.post("/feedback/training", dates, _expected_status=200)
    assert ("The date you attended the course must be a real date", "#course_date-day") in error_summary(page)
    assert _nothing_stored(app)


def _every_spec(app) -> list[FormSpec]:
    """The shipped definitions and every form defined in code (sign-in, people, programme, ...)."""
    specs = list(app.extensions["qaf_forms"].values())
    for area in ("admin", "audits", "auth", "feedback", "programme"):
        module = importlib.import_module(f"qaf.{area}.forms")
        specs.extend(value for value in vars(module).values() if isinstance(value, FormSpec))
    return specs


def _errors_for(app, spec: FormSpec, data: dict[str, str]) -> dict[str, list[str]]:
    with app.test_request_context(method="POST", data=data):
        form = build_form_class(spec)()
        form.validate()
        return {field.name: list(field.errors) for field in form.question_fields()}


def test_every_number_and_date_question_anywhere_answers_bad_input_with_a_message(app):
    checked = {"number": 0, "date": 0}
    for spec in _every_spec(app):
        for question in spec.questions:
            if question.type == "number":
                bad = [{question.id: answer} for answer in BAD_NUMBERS + HUGE_NUMBERS]
            elif question.type == "date":
                bad = [
                    {f"{question.id}-day": "1", f"{question.id}-month": "2", f"{question.id}-year": "2026"}
                    | {key.replace("when", question.id): value for key, value in changes.items()}
                    for changes in BAD_DATES + OUT_OF_RANGE_DATES
                ]
            else:
                continue
            checked[question.type] += 1
            for data in bad:
                errors = _errors_for(app, spec, data)[question.id]
                assert errors, f"{spec.key} {question.id}: {data!r} accepted"
                assert " must be " in errors[0], errors
    assert checked["number"] >= 10
    assert checked["date"] >= 10
