from tests.formspec.types.asking import answer, cell, define


def test_long_text_is_1200_characters_unless_the_definition_says():
    assert define("{id: notes, type: long_text, label: Notes}")[0].max_length == 1200


def test_long_text_has_a_character_count_and_keeps_line_breaks():
    [question] = define("{id: notes, type: long_text, label: Notes, thing: your notes, max_length: 30}")
    value, errors, widget = answer(question, ("notes", "One\r\nTwo"))
    assert (value, errors) == ("One\nTwo", [])
    assert widget["component"] == "character_count"
    assert widget["params"]["maxlength"] == 30
    assert answer(question, ("notes", "x" * 31))[1] == ["Your notes must be 30 characters or less"]


def test_long_text_is_free_text_in_the_workbook():
    [question] = define("{id: notes, type: long_text, label: Notes}")
    assert cell(question, "Words") == ("text", "Words", 45)
    assert question.kind.is_free_text
