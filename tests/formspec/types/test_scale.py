import pytest

from qaf.formspec import Code, SpecError
from tests.formspec.types.asking import answer, cell, define, display_answer

SCALE = (
    "{id: score, type: scale, label: Score, thing: a score, hint: Think of this week.,"
    " low_label: poor, high_label: excellent}"
)


def test_scale_needs_both_ends_named():
    with pytest.raises(SpecError) as error:
        define("{id: score, type: scale, label: Score, low_label: poor}")
    assert error.value.has(Code.QUESTION_MISSING_FIELD)
    assert "'high_label' is missing" in str(error.value)


def test_scale_is_0_to_10_stored_as_a_number_with_its_ends_in_the_hint():
    [question] = define(SCALE)
    value, errors, widget = answer(question, ("score", "7"))
    assert (value, errors) == (7, [])
    assert widget["params"]["hint"] == {"text": "Think of this week. 0 means poor, 10 means excellent"}
    assert len(widget["params"]["items"]) == 11
    assert answer(question, ("score", "11"))[1] == ["Select a score from the list"]


def test_scale_exports_as_a_number_and_has_a_mean():
    [question] = define(SCALE)
    assert display_answer(question, 7) == "7"
    assert cell(question, 7) == ("number", 7, 12)
    assert question.kind.has_mean
    assert question.kind.shows_distribution
