import pytest

from qaf.formspec import Code, SpecError
from tests.formspec.types.asking import answer, cell, define, display_answer


def test_text_is_200_characters_unless_the_definition_says():
    assert define("{id: role, type: text, label: Your role}")[0].max_length == 200
    assert define("{id: role, type: text, label: Your role, max_length: 20}")[0].max_length == 20
    with pytest.raises(SpecError) as error:
        define("{id: role, type: text, label: Your role, max_length: 0}")
    assert error.value.has(Code.QUESTION_BAD_VALUE)


def test_text_answer_is_kept_as_typed_without_outer_spaces():
    [question] = define("{id: role, type: text, label: Your role, thing: your role, max_length: 5}")
    value, errors, widget = answer(question, ("role", "  Nurse \x00"))
    assert (value, errors) == ("Nurse", [])
    assert widget["component"] == "input"
    assert widget["params"]["autocomplete"] == "off"
    assert answer(question, ("role", "Social worker"))[1] == ["Your role must be 5 characters or less"]
    assert answer(question)[1] == ["Enter your role"]


def test_text_reads_as_itself_and_is_a_wide_text_column():
    [question] = define("{id: role, type: text, label: Your role}")
    assert display_answer(question, "Nurse") == "Nurse"
    assert cell(question, "=1+1") == ("text", "=1+1", 45)
