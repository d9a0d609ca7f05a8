from tests.formspec.types.asking import answer, cell, define, display_answer

CHECKBOXES = "{id: colours, type: checkboxes, label: Pick some, thing: a colour, options: [Red, Blue, Green]}"


def test_checkboxes_store_each_option_chosen_once():
    [question] = define(CHECKBOXES)
    assert answer(question, ("colours", "red"), ("colours", "green"), ("colours", "red"))[0] == ["red", "green"]
    assert answer(question, ("colours", "pink"))[1] == ["Select a colour from the list"]
    widget = answer(question, ("colours", "blue"))[2]
    assert widget["component"] == "checkboxes"
    assert [item["checked"] for item in widget["params"]["items"]] == [False, True, False]


def test_checkboxes_answers_read_and_export_as_labels():
    [question] = define(CHECKBOXES)
    assert display_answer(question, ["red", "green"]) == "Red, Green"
    assert cell(question, ["red", "green"]) == ("many", "Red; Green", 22)
    assert question.allows_many
    assert question.is_choice
