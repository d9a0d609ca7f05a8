from tests.formspec.types.asking import answer, cell, define, display_answer


def test_faces_are_five_pictures_with_words():
    [question] = define("{id: mood, type: faces, label: 'How do you feel?', thing: a face}", audience="child")
    assert [option.label for option in question.options] == ["Really bad", "Bad", "OK", "Good", "Really good"]
    assert question.positive == ("4", "5")
    value, _errors, widget = answer(question, ("mood", "5"))
    assert value == "5"
    assert widget["params"]["classes"] == "qaf-faces"
    assert all("<svg" in str(item["html"]) for item in widget["params"]["items"])


def test_faces_read_as_words_and_export_as_words():
    [question] = define("{id: mood, type: faces, label: 'How do you feel?'}", audience="child")
    assert display_answer(question, "4") == "Good"
    assert cell(question, "4") == ("choice", "Good", 22)
    assert question.kind.has_mean
