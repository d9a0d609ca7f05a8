import pytest

from qaf.formspec import Question
from tests.formspec.types.asking import answer


@pytest.mark.parametrize(
    ("name", "autocomplete"), [("new_password", "new-password"), ("current_password", "current-password")]
)
def test_a_password_is_taken_as_typed_and_never_shown_again(name, autocomplete):
    question = Question(id="password", type=name, label="Password", thing="your password")
    value, errors, widget = answer(question, ("password", " two words "))
    assert (value, errors) == (" two words ", [])
    assert widget["component"] == "password"
    assert widget["params"]["value"] == ""
    assert widget["params"]["autocomplete"] == autocomplete
