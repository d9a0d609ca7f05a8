"""WTForms fields for answers, each checked against its question with GOV.UK wording."""

import re
from datetime import date, timedelta
from typing import Any

from wtforms import Field
from wtforms.validators import StopValidation

from qaf.formspec.display import MONTH_NAMES
from qaf.formspec.spec import DATE_BOUNDS, Question
from qaf.reports.periods import uk_today

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# ASCII digits only: str.isdigit() also passes '²', which int() refuses.
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# A number answer may end up in an integer column (quotas, sample sizes): PostgreSQL's integer.
LARGEST_NUMBER = 2**31 - 1
DATE_PARTS = {"day": re.compile(r"[0-9]{1,2}"), "month": re.compile(r"[0-9]{1,2}"), "year": re.compile(r"[0-9]{4}")}
# The GOV.UK date input pattern takes a month written as a name, in full or cut short: "March", "mar", "Sept".
MONTHS_BY_NAME = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)} | {
    name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)
}
MONTHS_BY_NAME["sept"] = 9
# Dates in this service are about casework, surveys and schedules; a year of 9999 is a typing slip,
# and date arithmetic on it (the day after 31 December 9999) overflows.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def _clean(text: str) -> str:
    # NUL can't be stored in PostgreSQL text or JSON, and no honest answer has one.
    return text.replace("\x00", "").replace("\r\n", "\n").strip()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _month_number(text: str) -> str:
    """A month as digits: a name ('March', 'mar', 'Sept.') becomes its number; anything else is kept."""
    return str(MONTHS_BY_NAME.get(text.lower().rstrip("."), text)) if text else text


class AnswerField(Field):  # type: ignore[misc]  # WTForms has no type hints
    """The raw answer to one question; ``answer`` is the typed value to store."""

    question: Question
    data: Any

    def __init__(self, label: str | None = None, validators: Any = None, *, question: Question, **kwargs: Any):
        super().__init__(label or question.label, validators, **kwargs)
        self.question = question

    @property
    def thing(self) -> str:
        return self.question.thing or f"an answer to ‘{self.question.label}’"

    def process_formdata(self, valuelist: list[str]) -> None:
        if self.question.type.endswith("password"):
            # Passwords are taken exactly as typed (spaces count), but never shown again.
            self.data = valuelist[0].replace("\x00", "") if valuelist else ""
        else:
            self.data = _clean(valuelist[0]) if valuelist else ""
        if self.question.type == "email":
            self.data = self.data.lower()

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
        verb = "Select" if self.question.is_choice else "Enter"
        return f"{verb} {self.thing}"

    def check(self) -> None:
        question = self.question
        if question.is_choice:
            if self.data not in {option.value for option in question.options}:
                raise StopValidation(f"Select {self.thing} from the list")  # noqa: S608 (a message, not SQL)
        elif question.type == "number":
            self._check_number()
        elif question.type == "email" and not EMAIL_PATTERN.fullmatch(self.data):
            raise StopValidation(f"Enter {self.thing} in the correct format, like name@example.gov.uk")
        elif question.max_length is not None and len(self.data) > question.max_length:
            raise StopValidation(f"{_sentence(self.thing)} must be {question.max_length:,} characters or less")
        elif question.pattern and not re.fullmatch(question.pattern, self.data):
            raise StopValidation(question.pattern_message)

    def _check_number(self) -> None:
        question = self.question
        text = self.data.replace(",", "")
        if not WHOLE_NUMBER.fullmatch(text):
            raise StopValidation(f"{_sentence(self.thing)} must be a whole number, like 3")
        # More digits than any allowed number has: out of range, without asking int() to read 5,000 of them.
        number = int(text) if len(text) <= 12 else (LARGEST_NUMBER + 1) * (-1 if text.startswith("-") else 1)
        low = question.min if question.min is not None else -LARGEST_NUMBER
        high = question.max if question.max is not None else LARGEST_NUMBER
        if low <= number <= high:
            return
        if question.min is not None and question.max is not None:
            raise StopValidation(f"{_sentence(self.thing)} must be between {low:,} and {high:,}")
        if number < low:
            raise StopValidation(f"{_sentence(self.thing)} must be {low:,} or more")
        raise StopValidation(f"{_sentence(self.thing)} must be {high:,} or less")

    @property
    def answer(self) -> Any:
        if self.is_empty:
            return None
        if self.question.type in ("number", "scale"):
            return int(self.data.replace(",", ""))
        return self.data


class ManyAnswersField(AnswerField):
    """Checkboxes: any number of options."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = list(dict.fromkeys(_clean(value) for value in valuelist if _clean(value)))

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def check(self) -> None:
        allowed = {option.value for option in self.question.options}
        if any(value not in allowed for value in self.data):
            raise StopValidation(f"Select {self.thing} from the list")  # noqa: S608 (a message, not SQL)

    @property
    def answer(self) -> Any:
        return list(self.data) or None


class DateAnswerField(AnswerField):
    """A GOV.UK date input: three boxes named <id>-day, <id>-month and <id>-year."""

    PARTS = ("day", "month", "year")

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        self.parts = {part: "" for part in self.PARTS}
        self.data = None
        if formdata is not None:
            for part in self.PARTS:
                self.parts[part] = _clean(formdata.get(f"{self.name}-{part}", ""))
        elif isinstance(data, str) and data:
            year, month, day = data.split("-")
            self.parts = {"day": day, "month": month, "year": year}

    @property
    def is_empty(self) -> bool:
        return not any(self.parts.values())

    def check(self) -> None:
        missing = [part for part in self.PARTS if not self.parts[part]]
        if missing:
            raise StopValidation(f"{_sentence(self.thing)} must include a {' and '.join(missing)}")
        parts = self.parts | {"month": _month_number(self.parts["month"])}
        # Digits of the right length first: int() takes '²' and date() overflows on a 20-digit year.
        if not all(DATE_PARTS[part].fullmatch(parts[part]) for part in self.PARTS):
            raise StopValidation(f"{_sentence(self.thing)} must be a real date")
        try:
            day, month, year = (int(parts[part]) for part in self.PARTS)
            given = date(year, month, day)
        except ValueError:
            raise StopValidation(f"{_sentence(self.thing)} must be a real date") from None
        if not EARLIEST_DATE <= given <= LATEST_DATE:
            raise StopValidation(f"{_sentence(self.thing)} must be between 1 January 1900 and 31 December 2199")
        self._check_bounds(given)
        self.data = given

    def _check_bounds(self, given: date) -> None:
        """``latest`` and ``earliest``, counted from today in England (where every answer is given)."""
        today = uk_today()
        for name, outside in (("latest", given.__gt__), ("earliest", given.__lt__)):
            bound = getattr(self.question, name)
            if bound:
                days, words = DATE_BOUNDS[name][bound]
                if outside(today + timedelta(days=days)):
                    raise StopValidation(f"{_sentence(self.thing)} must be {words}")

    @property
    def answer(self) -> Any:
        return self.data.isoformat() if self.data else None
