"""Choice questions whose options the definition lists (or a source supplies): radios, checkboxes, select."""

import difflib
import random
from typing import Any, ClassVar

from wtforms.validators import StopValidation

from qaf.formspec.checker import Checker, PathKey, slug
from qaf.formspec.errors import Code
from qaf.formspec.fields import AnswerField, clean
from qaf.formspec.spec import OPTION_SOURCES, Option, Question
from qaf.formspec.types.base import MANY, QuestionType
from qaf.formspec.widgets import LABEL_CLASSES, choice_params, label_text
from qaf.formspec.yaml_errors import colon_in_item_message


class ChoiceAnswerField(AnswerField):
    """One of the question's options."""

    missing_verb = "Select"

    def check(self) -> None:
        if self.data not in {option.value for option in self.question.options}:
            raise StopValidation(f"Select {self.thing} from the list")  # noqa: S608 (a message, not SQL)


class ManyAnswersField(ChoiceAnswerField):
    """Checkboxes: any number of options."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = list(dict.fromkeys(clean(value) for value in valuelist if clean(value)))

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def check(self) -> None:
        allowed = {option.value for option in self.question.options}
        if any(value not in allowed for value in self.data):
            raise StopValidation(f"Select {self.thing} from the list")  # noqa: S608 (a message, not SQL)

    @property
    def answer(self) -> Any:
        return list(self.data) or None


class ListedChoice(QuestionType):
    """A choice from ``options`` written in the definition, or from ``options_from`` (the page supplies them)."""

    keys = ("options", "options_from")
    is_choice = True
    field_class: ClassVar[type[AnswerField]] = ChoiceAnswerField
    shows_distribution = True

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        options_from = check_options_from(checker, raw, path, about)
        if "options_from" in raw:
            return {"options_from": options_from}
        return {"options": check_options(checker, raw.get("options"), path, about)}


class Radios(ListedChoice):
    name = "radios"
    component = "radios"

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return choice_params(field)


class Checkboxes(ListedChoice):
    name = "checkboxes"
    component = "checkboxes"
    allows_many = True
    field_class = ManyAnswersField
    cell = MANY

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return choice_params(field)

    def demo_answer(self, question: Question, rng: random.Random) -> object:
        return [option.value for option in question.options if rng.random() < 0.4] or None


class Select(ListedChoice):
    name = "select"
    component = "select"

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        return {
            "id": field.id,
            "name": field.name,
            "label": {"text": label_text(field), "classes": LABEL_CLASSES},
            "items": [{"value": "", "text": "Choose one"}]
            + [
                {"value": option.value, "text": option.label, "selected": option.value == field.data}
                for option in field.question.options
            ],
        }


def check_options(checker: Checker, raw: Any, path: PathKey, about: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        checker.problem(
            Code.CHOICE_MISSING,
            path,
            f"a choice question needs a list of options, or options from {' or '.join(OPTION_SOURCES)}"
            f" (options_from: {next(iter(OPTION_SOURCES))})",
            about,
        )
        return ()
    options: list[Option] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = (*path, "options", index)
        if checker.not_text(item, where, about):
            continue
        if isinstance(item, str) and item.strip():
            option = Option(slug(item), item.strip())
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            checker.unknown_fields(item, ("value", "label", "hint"), where, Code.QUESTION_UNKNOWN_FIELD, about)
            value = item.get("value", slug(item["label"]))
            if isinstance(value, bool) and checker.not_text(value, (*where, "value"), about):
                continue
            option = Option(str(value), item["label"].strip(), str(item.get("hint") or ""))
        elif isinstance(item, dict) and checker.not_text(item.get("label"), (*where, "label"), about):
            continue
        elif isinstance(item, dict) and len(item) == 1 and not {"label", "value"} & set(item):
            checker.problem(Code.QUESTION_BAD_VALUE, where, colon_in_item_message(checker.source_line(where)), about)
            continue
        else:
            checker.problem(
                Code.QUESTION_BAD_VALUE, where, "an option is text, or a mapping with value and label", about
            )
            continue
        if not option.value:
            checker.problem(Code.QUESTION_BAD_VALUE, where, "an option needs a value made of letters or digits", about)
        elif option.value in seen:
            checker.problem(Code.CHOICE_DUPLICATE_VALUE, where, f"the value '{option.value}' is used twice", about)
        seen.add(option.value)
        options.append(option)
    return tuple(options)


def check_options_from(checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> str:
    """``options_from``: options the caller supplies from a known source, instead of ``options``."""
    source = raw.get("options_from")
    if source is None:
        return ""
    known = ", ".join(OPTION_SOURCES)
    if source not in OPTION_SOURCES:
        hint = difflib.get_close_matches(str(source), OPTION_SOURCES, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else f"use one of {known}"
        checker.problem(
            Code.CHOICE_UNKNOWN_SOURCE, (*path, "options_from"), f"unknown options source '{source}'; {fix}", about
        )
        return ""
    if "options" in raw:
        checker.problem(
            Code.CHOICE_NOT_ALLOWED,
            (*path, "options"),
            f"the options come from {source}: remove 'options', or remove 'options_from' to list them here",
            about,
        )
    if "positive" in raw:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "positive"),
            f"options from {source} are not known in advance, so none can be positive: remove 'positive'",
            about,
        )
    return str(source)
