"""What a question type is: everything QAF does with a question that depends on its ``type``.

A type is one class, and one object of it in the register (``qaf.formspec.types``). Its
parts, in the order an answer meets them: the definition keys it takes and their checks,
its WTForms field (with the error wording), its GOV.UK component, how a stored answer reads
on a page, its spreadsheet cell and column, its Summary figures, and a demo answer.
"""

import random
from typing import Any, ClassVar

from qaf.formspec.checker import Checker, PathKey
from qaf.formspec.fields import AnswerField
from qaf.formspec.spec import Option, Question
from qaf.formspec.widgets import common_params

# How a stored answer becomes a spreadsheet cell (``qaf.reports.columns.cell_value``): text as
# it is, an option's label, the labels of several options, a number, a date.
TEXT, CHOICE, MANY, NUMBER, DATE = "text", "choice", "many", "number", "date"


class QuestionType:
    """One question type; the defaults are those of a question answered by typing a line of text."""

    name: ClassVar[str]
    # False for types only forms defined in code use (sign-in, people): never in a YAML definition.
    in_definitions: ClassVar[bool] = True

    # The definition: keys beyond those every question has (see ``definition`` for their checks),
    # the options every question of the type has, and the ones counted positive unless it says.
    keys: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[tuple[Option, ...]] = ()
    positive: ClassVar[tuple[str, ...]] = ()
    # The answer is one of the question's options ("Select ..."); several of them.
    is_choice: ClassVar[bool] = False
    allows_many: ClassVar[bool] = False

    # The page: the WTForms field that takes the answer, and the GOV.UK macro that shows it
    # (templates/components/question.html).
    field_class: ClassVar[type[AnswerField]] = AnswerField
    component: ClassVar[str] = "input"

    # The workbook: how an answer becomes a cell, the column's width, and whether it is free text
    # (people's own words: a comment, never beside equality answers).
    cell: ClassVar[str] = CHOICE
    column_width: ClassVar[float] = 22
    is_free_text: ClassVar[bool] = False
    # The Summary: how the answers were spread over the options, and their mean.
    shows_distribution: ClassVar[bool] = False
    has_mean: ClassVar[bool] = False

    def definition(self, checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> dict[str, Any]:
        """The type's own keys of a question in a definition, checked: the ``Question`` fields they set.

        Problems go to ``checker``; the keys every question has are checked by ``qaf.formspec.questions``.
        """
        return {"options": self.options}

    def evidence_question(self, question: Question) -> Question | None:
        """A question the loader adds after this one for the evidence of the answer, if the type has one."""
        return None

    def field(self, question: Question) -> AnswerField:
        """The unbound WTForms field for ``question`` on a generated form."""
        return self.field_class(question=question)

    def hint(self, question: Question) -> str:
        """The hint under the label: the definition's, and what the type adds to it."""
        return question.hint

    def govuk_widget(self, field: AnswerField) -> dict[str, Any]:
        """The GOV.UK component and its params for ``field``."""
        return {"component": self.component, "params": common_params(field) | self.govuk_params(field)}

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        """The params this type's component takes beyond the hint and the error message."""
        raise NotImplementedError(self.name)

    def answer_text(self, question: Question, value: Any) -> str:
        """A stored answer (never empty) as a person reads it: option labels for option values."""
        if isinstance(value, list):
            return ", ".join(question.option_label(str(item)) for item in value)
        if question.options:
            return question.option_label(str(value))
        return str(value)

    def demo_answer(self, question: Question, rng: random.Random) -> object:
        """A made-up answer for demo data, or None to leave the question unanswered."""
        if question.options:
            # Lean towards the first options, which the seeds' forms list from best to worst.
            weights = [len(question.options) - index for index in range(len(question.options))]
            return rng.choices([option.value for option in question.options], weights)[0]
        return None
