"""Questions answered in people's own words: one line (text) or a paragraph (long_text)."""

import random
from typing import Any, ClassVar

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.errors import Code
from qaf.formspec.fields import AnswerField
from qaf.formspec.spec import Question
from qaf.formspec.types.base import TEXT, QuestionType
from qaf.formspec.widgets import text_params

# A spreadsheet cell holds 32,767 characters; stay well inside it.
LONGEST_ALLOWED_TEXT = 10000
SAMPLE_TEXT = [
    "Our worker came when she said she would and helped us with a routine at bedtime.",
    "Having someone to talk to at the school meetings made a big difference.",
    "It took a long time before anyone came to see us.",
    "I would have liked more help with housing.",
    "The groups at the children's centre were really good.",
    "Things are calmer at home now.",
]


class FreeText(QuestionType):
    keys = ("max_length",)
    # The longest answer when the definition gives no ``max_length``.
    default_max_length: ClassVar[int]
    cell = TEXT
    column_width = 45
    is_free_text = True

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        max_length = checker.integer(raw, "max_length", path, about)
        if max_length is None:
            max_length = self.default_max_length
        elif not 1 <= max_length <= LONGEST_ALLOWED_TEXT:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, "max_length"),
                f"'max_length' must be 1 to {LONGEST_ALLOWED_TEXT}",
                about,
            )
        return {"max_length": max_length}

    def demo_answer(self, question: Question, rng: random.Random) -> object:
        return rng.choice(SAMPLE_TEXT) if rng.random() < 0.5 else None


class Text(FreeText):
    name = "text"
    default_max_length = 200

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return text_params(field) | {"autocomplete": "off"}


class LongText(FreeText):
    name = "long_text"
    default_max_length = 1200
    component = "character_count"

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return text_params(field) | {"maxlength": field.question.max_length, "rows": 5}
