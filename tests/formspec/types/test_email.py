from qaf.formspec import Question
from tests.formspec.types.asking import answer

EMAIL = Question(id="email", type="email", label="Email address", thing="your email address")


def test_email_is_kept_in_lower_case():
    value, errors, widget = answer(EMAIL, ("email", " Name@Example.GOV.uk "))
    assert (value, errors) == ("name@example.gov.uk", [])
    assert widget["params"]["type"] == "email"
    assert widget["params"]["autocomplete"] == "email"


def test_email_must_look_like_an_address():
    assert answer(EMAIL, ("email", "name"))[1] == [
        "Enter your email address in the correct format, like name@example.gov.uk"
    ]
    assert answer(EMAIL)[1] == ["Enter your email address"]
