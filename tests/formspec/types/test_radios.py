import pytest

from qaf.formspec import Code, SpecError
from tests.formspec.types.asking import answer, cell, define, display_answer

RADIOS = "{id: colour, type: radios, label: Pick one, thing: a colour, options: [Red, {value: dark_blue, label: Blue}]}"


def test_radios_options_are_listed_with_values_made_from_labels():
    [question] = define(RADIOS)
    assert [(option.value, option.label) for option in question.options] == [("red", "Red"), ("dark_blue", "Blue")]


def test_radios_without_options_is_refused():
    with pytest.raises(SpecError) as error:
        define("{id: colour, type: radios, label: Pick one}")
    assert error.value.has(Code.CHOICE_MISSING)


def test_radios_take_one_option_and_refuse_another():
    [question] = define(RADIOS)
    assert answer(question, ("colour", "red"))[0] == "red"
    assert answer(question, ("colour", "green"))[1] == ["Select a colour from the list"]
    assert answer(question)[1] == ["Select a colour"]
    widget = answer(question, ("colour", "red"))[2]
    assert widget["component"] == "radios"
    assert [item["checked"] for item in widget["params"]["items"]] == [True, False]


def test_radios_answer_reads_and_exports_as_its_label():
    [question] = define(RADIOS)
    assert display_answer(question, "dark_blue") == "Blue"
    assert cell(question, "dark_blue") == ("choice", "Blue", 22)
