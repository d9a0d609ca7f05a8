from tests.formspec.types.asking import answer, cell, define, display_answer


def test_agreement_is_five_points_and_agreeing_is_positive():
    [question] = define("{id: supported, type: agreement, label: I feel supported, thing: how much you agree}")
    assert [option.value for option in question.options] == [
        "strongly_agree",
        "agree",
        "neither",
        "disagree",
        "strongly_disagree",
    ]
    assert question.positive == ("strongly_agree", "agree")


def test_agreement_answer_is_an_option_value_read_as_its_label():
    [question] = define("{id: supported, type: agreement, label: I feel supported, thing: how much you agree}")
    value, _errors, widget = answer(question, ("supported", "neither"))
    assert value == "neither"
    assert widget["component"] == "radios"
    assert "classes" not in widget["params"]
    assert display_answer(question, "neither") == "Neither agree nor disagree"
    assert cell(question, "agree") == ("choice", "Agree", 22)
    assert question.kind.shows_distribution
