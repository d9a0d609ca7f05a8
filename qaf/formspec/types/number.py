"""Questions answered with a whole number: typed in a box (number), or a point on a 0 to 10 scale."""

import random
import re
from typing import Any, ClassVar

from wtforms.validators import StopValidation

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.errors import Code
from qaf.formspec.fields import AnswerField, sentence
from qaf.formspec.spec import Option, Question
from qaf.formspec.types.base import NUMBER, QuestionType
from qaf.formspec.types.choice import ChoiceAnswerField
from qaf.formspec.types.fixed_choice import FixedChoice
from qaf.formspec.widgets import text_params

# ASCII digits only: str.isdigit() also passes '²', which int() refuses.
WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# A number answer may end up in an integer column (quotas, sample sizes): PostgreSQL's integer.
LARGEST_NUMBER = 2**31 - 1


class NumberAnswerField(AnswerField):
    """A whole number, with or without thousands separators, inside the question's ``min`` and ``max``."""

    def check(self) -> None:
        question = self.question
        text = self.data.replace(",", "")
        if not WHOLE_NUMBER.fullmatch(text):
            raise StopValidation(f"{sentence(self.thing)} must be a whole number, like 3")
        # More digits than any allowed number has: out of range, without asking int() to read 5,000 of them.
        number = int(text) if len(text) <= 12 else (LARGEST_NUMBER + 1) * (-1 if text.startswith("-") else 1)
        low = question.min if question.min is not None else -LARGEST_NUMBER
        high = question.max if question.max is not None else LARGEST_NUMBER
        if low <= number <= high:
            return
        if question.min is not None and question.max is not None:
            raise StopValidation(f"{sentence(self.thing)} must be between {low:,} and {high:,}")
        if number < low:
            raise StopValidation(f"{sentence(self.thing)} must be {low:,} or more")
        raise StopValidation(f"{sentence(self.thing)} must be {high:,} or less")

    @property
    def answer(self) -> Any:
        return None if self.is_empty else int(self.data.replace(",", ""))


class ScaleAnswerField(ChoiceAnswerField):
    """A point on the scale, stored as a number."""

    @property
    def answer(self) -> Any:
        return None if self.is_empty else int(self.data.replace(",", ""))


class Number(QuestionType):
    name = "number"
    keys = ("min", "max")
    field_class = NumberAnswerField
    cell = NUMBER
    column_width = 12
    has_mean = True

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        minimum = checker.integer(raw, "min", path, about)
        maximum = checker.integer(raw, "max", path, about)
        if minimum is not None and maximum is not None and minimum > maximum:
            checker.problem(Code.QUESTION_BAD_VALUE, (*path, "min"), "'min' is larger than 'max'", about)
        return {"min": minimum, "max": maximum}

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return text_params(field) | {"inputmode": "numeric", "classes": "govuk-input--width-5", "spellcheck": False}


class Scale(FixedChoice):
    """0 to 10, its ends named by the definition (``low_label``, ``high_label``)."""

    name = "scale"
    keys = ("low_label", "high_label")
    options = tuple(Option(str(number), str(number)) for number in range(11))
    field_class: ClassVar[type[AnswerField]] = ScaleAnswerField
    radio_classes = "govuk-radios--inline"
    cell = NUMBER
    column_width = 12
    has_mean = True

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        ends = {
            name: checker.text(raw, name, path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
            for name in ("low_label", "high_label")
        }
        return {"options": self.options, **ends}

    def hint(self, question: Question) -> str:
        scale_hint = f"0 means {question.low_label}, 10 means {question.high_label}"
        return f"{question.hint} {scale_hint}" if question.hint else scale_hint

    def demo_answer(self, question: Question, rng: random.Random) -> object:
        return rng.randint(3, 10)
