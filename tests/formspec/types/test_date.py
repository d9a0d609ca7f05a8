from datetime import date

import pytest

from qaf.formspec import Code, SpecError
from tests.formspec.types.asking import answer, cell, define, display_answer

DATE = "{id: met_on, type: date, label: Date of supervision, thing: the date of supervision}"


def test_date_bounds_are_days_relative_to_today():
    assert define("{id: met_on, type: date, label: Met, latest: today}")[0].latest == "today"
    with pytest.raises(SpecError) as error:
        define("{id: met_on, type: date, label: Met, latest: yesterday, earliest: tomorrow}")
    assert error.value.has(Code.QUESTION_BAD_VALUE)


def test_date_is_three_boxes_stored_as_an_iso_date():
    [question] = define(DATE)
    value, errors, widget = answer(question, ("met_on-day", "3"), ("met_on-month", "Mar"), ("met_on-year", "2026"))
    assert (value, errors) == ("2026-03-03", [])
    assert widget["component"] == "date"
    assert [item["value"] for item in widget["params"]["items"]] == ["3", "Mar", "2026"]
    assert answer(question, ("met_on-day", "31"), ("met_on-month", "2"), ("met_on-year", "2026"))[1] == [
        "The date of supervision must be a real date"
    ]


def test_date_reads_in_words_and_exports_as_a_date():
    [question] = define(DATE)
    assert display_answer(question, "2026-03-03") == "3 March 2026"
    assert cell(question, "2026-03-03") == ("date", date(2026, 3, 3), 12)
