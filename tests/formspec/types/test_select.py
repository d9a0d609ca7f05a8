from tests.formspec.types.asking import answer, cell, define, display_answer

SELECT = "{id: item, type: select, label: Pick from a list, thing: an item, options: [First, Second]}"


def test_select_is_a_drop_down_list_starting_with_choose_one():
    [question] = define(SELECT)
    value, errors, widget = answer(question, ("item", "second"))
    assert (value, errors) == ("second", [])
    assert widget["component"] == "select"
    assert [(item["value"], item.get("selected")) for item in widget["params"]["items"]] == [
        ("", None),
        ("first", False),
        ("second", True),
    ]
    assert answer(question)[1] == ["Select an item"]


def test_select_answer_reads_and_exports_as_its_label():
    [question] = define(SELECT)
    assert display_answer(question, "first") == "First"
    assert cell(question, "first") == ("choice", "First", 22)
