from tests.formspec.types.asking import answer, cell, define, display_answer


def test_yes_no_has_its_own_options_and_yes_is_positive():
    [question] = define("{id: agreed, type: yes_no, label: 'Was it agreed?', thing: whether it was agreed}")
    assert [option.value for option in question.options] == ["yes", "no"]
    assert question.positive == ("yes",)


def test_yes_no_is_inline_radios():
    [question] = define("{id: agreed, type: yes_no, label: 'Was it agreed?', thing: whether it was agreed}")
    value, errors, widget = answer(question, ("agreed", "no"))
    assert (value, errors) == ("no", [])
    assert widget["params"]["classes"] == "govuk-radios--inline"
    assert answer(question)[1] == ["Select whether it was agreed"]
    assert display_answer(question, "no") == "No"
    assert cell(question, "yes") == ("choice", "Yes", 22)
