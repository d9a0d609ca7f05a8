"""The WTForms field every answer starts from: the answer as sent, checked against its question.

Each question type (``qaf.formspec.types``) names the field class its answers need; this one
takes a line of text, as a text question does.
"""

import re
from typing import Any

from wtforms import Field
from wtforms.validators import StopValidation

from qaf.formspec.spec import Question

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def clean(text: str) -> str:
    # NUL can't be stored in PostgreSQL text or JSON, and no honest answer has one.
    return text.replace("\x00", "").replace("\r\n", "\n").strip()


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class AnswerField(Field):  # type: ignore[misc]  # WTForms has no type hints
    """The raw answer to one question; ``answer`` is the typed value to store."""

    question: Question
    data: Any
    # "Enter ..." or "Select ...": what a person is asked to do when the answer is missing.
    missing_verb = "Enter"
    # "Only answer this if ...": set by the form for a question on a condition (qaf.formspec.shown_when).
    condition_hint = ""

    def __init__(self, label: str | None = None, validators: Any = None, *, question: Question, **kwargs: Any):
        super().__init__(label or question.label, validators, **kwargs)
        self.question = question

    @property
    def thing(self) -> str:
        return self.question.thing or f"an answer to ‘{self.question.label}’"

    @property
    def focus_id(self) -> str:
        """The id the error summary links to: the first box of the answer."""
        return str(self.id)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = clean(valuelist[0]) if valuelist else ""

    def _value(self) -> str:
        return self.data if isinstance(self.data, str) else ""

    def process_data(self, value: Any) -> None:
        # Stored answers may be numbers (scales); the page works with the text that was sent.
        self.data = "" if value is None else str(value)

    @property
    def is_empty(self) -> bool:
        return not self.data

    def pre_validate(self, form: Any) -> None:
        applies = getattr(form, "applies", None)
        if applies is not None and not applies(self.question):
            # Not asked at this response's stage (or no options were given): nothing to check or keep.
            raise StopValidation()
        if self.is_empty:
            must_answer = getattr(form, "must_answer", None)
            if must_answer(self.question) if must_answer is not None else self.question.required:
                raise StopValidation(self.missing_message())
            raise StopValidation()
        self.check()

    def missing_message(self) -> str:
        return f"{self.missing_verb} {self.thing}"

    def check(self) -> None:
        """A given answer's checks, raising ``StopValidation`` with GOV.UK's words for the first that fails."""
        question = self.question
        if question.max_length is not None and len(self.data) > question.max_length:
            raise StopValidation(f"{sentence(self.thing)} must be {question.max_length:,} characters or less")
        if question.pattern and not re.fullmatch(question.pattern, self.data):
            raise StopValidation(question.pattern_message)

    @property
    def answer(self) -> Any:
        return None if self.is_empty else self.data
