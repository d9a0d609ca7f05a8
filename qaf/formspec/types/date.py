"""Date questions: GOV.UK's three boxes (day, month, year), stored as ``YYYY-MM-DD``."""

import re
from datetime import date, timedelta
from typing import Any

from wtforms.validators import StopValidation

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.errors import Code
from qaf.formspec.fields import AnswerField, clean, sentence
from qaf.formspec.spec import Question
from qaf.formspec.types.base import DATE, QuestionType
from qaf.formspec.widgets import common_params, legend
from qaf.reports.periods import uk_today

# Date bounds relative to the day the answer is given (``latest:``, ``earliest:``): days from today,
# and GOV.UK's words for a date outside them ("... must be today or in the past").
DATE_BOUNDS: dict[str, dict[str, tuple[int, str]]] = {
    "latest": {"today": (0, "today or in the past"), "yesterday": (-1, "in the past")},
    "earliest": {"today": (0, "today or in the future"), "tomorrow": (1, "in the future")},
}
MONTH_NAMES = "January February March April May June July August September October November December".split()
DATE_PARTS = {"day": re.compile(r"[0-9]{1,2}"), "month": re.compile(r"[0-9]{1,2}"), "year": re.compile(r"[0-9]{4}")}
# The GOV.UK date input pattern takes a month written as a name, in full or cut short: "March", "mar", "Sept".
MONTHS_BY_NAME = {name.lower(): number for number, name in enumerate(MONTH_NAMES, 1)} | {
    name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, 1)
}
MONTHS_BY_NAME["sept"] = 9
# Dates in this service are about casework, surveys and schedules; a year of 9999 is a typing slip,
# and date arithmetic on it (the day after 31 December 9999) overflows.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2199, 12, 31)


def _month_number(text: str) -> str:
    """A month as digits: a name ('March', 'mar', 'Sept.') becomes its number; anything else is kept."""
    return str(MONTHS_BY_NAME.get(text.lower().rstrip("."), text)) if text else text


class DateAnswerField(AnswerField):
    """A GOV.UK date input: three boxes named <id>-day, <id>-month and <id>-year."""

    PARTS = ("day", "month", "year")

    @property
    def focus_id(self) -> str:
        return f"{self.id}-day"

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        self.parts = {part: "" for part in self.PARTS}
        self.data = None
        if formdata is not None:
            for part in self.PARTS:
                self.parts[part] = clean(formdata.get(f"{self.name}-{part}", ""))
        elif isinstance(data, str) and data:
            year, month, day = data.split("-")
            self.parts = {"day": day, "month": month, "year": year}

    @property
    def is_empty(self) -> bool:
        return not any(self.parts.values())

    def check(self) -> None:
        missing = [part for part in self.PARTS if not self.parts[part]]
        if missing:
            raise StopValidation(f"{sentence(self.thing)} must include a {' and '.join(missing)}")
        parts = self.parts | {"month": _month_number(self.parts["month"])}
        # Digits of the right length first: int() takes '²' and date() overflows on a 20-digit year.
        if not all(DATE_PARTS[part].fullmatch(parts[part]) for part in self.PARTS):
            raise StopValidation(f"{sentence(self.thing)} must be a real date")
        try:
            day, month, year = (int(parts[part]) for part in self.PARTS)
            given = date(year, month, day)
        except ValueError:
            raise StopValidation(f"{sentence(self.thing)} must be a real date") from None
        if not EARLIEST_DATE <= given <= LATEST_DATE:
            raise StopValidation(f"{sentence(self.thing)} must be between 1 January 1900 and 31 December 2199")
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
                    raise StopValidation(f"{sentence(self.thing)} must be {words}")

    @property
    def answer(self) -> Any:
        return self.data.isoformat() if self.data else None


class Date(QuestionType):
    name = "date"
    keys = ("earliest", "latest")
    field_class = DateAnswerField
    component = "date"
    cell = DATE
    column_width = 12

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        return {name: _check_bound(checker, raw, name, path, about) for name in ("earliest", "latest")}

    def govuk_widget(self, field: AnswerField) -> dict[str, Any]:
        assert isinstance(field, DateAnswerField)
        params = common_params(field)
        params.setdefault("hint", {"text": "For example, 27 3 2026"})
        params |= {
            "id": field.id,
            "namePrefix": field.name,
            "fieldset": legend(field),
            "items": [
                {"name": "day", "label": "Day", "classes": "govuk-input--width-2", "value": field.parts["day"]},
                {"name": "month", "label": "Month", "classes": "govuk-input--width-2", "value": field.parts["month"]},
                {"name": "year", "label": "Year", "classes": "govuk-input--width-4", "value": field.parts["year"]},
            ],
        }
        if field.errors:
            for item in params["items"]:
                item["classes"] += " govuk-input--error"
        return {"component": self.component, "params": params}

    def answer_text(self, question: Question, value: Any) -> str:
        year, month, day = str(value).split("-")
        return f"{int(day)} {MONTH_NAMES[int(month) - 1]} {year}"


def _check_bound(checker: Checker, raw: dict[str, Any], name: str, path: PathKey, about: str) -> str:
    """``earliest`` / ``latest`` on a date question: a day relative to the day it is answered."""
    value = raw.get(name)
    if value is None:
        return ""
    allowed = DATE_BOUNDS[name]
    if value not in allowed:
        choices = "; ".join(f"{name}: {key} (the date must be {words})" for key, (_days, words) in allowed.items())
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, name), f"'{name}' can be {choices}", about)
        return ""
    other = "earliest" if name == "latest" else "latest"
    if name == "latest" and raw.get(other) in DATE_BOUNDS[other]:
        if DATE_BOUNDS[other][raw[other]][0] > allowed[value][0]:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, name),
                f"no date is both {DATE_BOUNDS[other][raw[other]][1]} and {allowed[value][1]}:"
                f" change 'earliest' or 'latest'",
                about,
            )
    return str(value)
