"""Types only forms defined in code use (sign-in, people): never in a YAML definition, never in a report."""

from typing import Any

from wtforms.validators import StopValidation

from qaf.formspec.fields import EMAIL_PATTERN, AnswerField
from qaf.formspec.types.base import TEXT, QuestionType
from qaf.formspec.widgets import text_params


class EmailAnswerField(AnswerField):
    """An email address, kept in lower case."""

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.data = self.data.lower()

    def check(self) -> None:
        if not EMAIL_PATTERN.fullmatch(self.data):
            raise StopValidation(f"Enter {self.thing} in the correct format, like name@example.gov.uk")
        super().check()


class PasswordAnswerField(AnswerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        # Passwords are taken exactly as typed (spaces count), but never shown again.
        self.data = valuelist[0].replace("\x00", "") if valuelist else ""


class StaffOnly(QuestionType):
    in_definitions = False
    cell = TEXT


class Email(StaffOnly):
    name = "email"
    field_class = EmailAnswerField

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return text_params(field) | {"type": "email", "autocomplete": "email", "spellcheck": False}


class Password(StaffOnly):
    field_class = PasswordAnswerField
    component = "password"

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        # The browser's autocomplete names the same two kinds: new-password, current-password.
        return text_params(field) | {"value": "", "autocomplete": self.name.replace("_", "-")}


class NewPassword(Password):
    name = "new_password"


class CurrentPassword(Password):
    name = "current_password"
