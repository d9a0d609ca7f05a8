import pytest

from qaf.formspec import Code, SpecError
from tests.formspec.types.asking import answer, cell, define, display_answer

NUMBER = "{id: cases, type: number, label: Cases held, thing: the number of cases, min: 0, max: 40}"


def test_number_min_must_not_be_above_max():
    with pytest.raises(SpecError) as error:
        define("{id: cases, type: number, label: Cases held, min: 5, max: 1}")
    assert "'min' is larger than 'max'" in str(error.value)
    assert error.value.has(Code.QUESTION_BAD_VALUE)


def test_number_is_stored_as_a_whole_number_within_its_bounds():
    [question] = define(NUMBER)
    value, errors, widget = answer(question, ("cases", "1,2"))
    assert (value, errors) == (12, [])
    assert widget["params"]["inputmode"] == "numeric"
    assert answer(question, ("cases", "41"))[1] == ["The number of cases must be between 0 and 40"]
    assert answer(question, ("cases", "two"))[1] == ["The number of cases must be a whole number, like 3"]


def test_number_reads_as_digits_and_exports_as_a_number():
    [question] = define(NUMBER)
    assert display_answer(question, 12) == "12"
    assert cell(question, 12) == ("number", 12, 12)
    assert question.kind.has_mean
    assert not question.is_choice
