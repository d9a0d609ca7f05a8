"""Choice questions whose options are the same on every form: yes/no, agreement, faces, quality standards."""

from typing import Any, ClassVar

from qaf.formspec.fields import AnswerField
from qaf.formspec.spec import Option, Question
from qaf.formspec.types.base import QuestionType
from qaf.formspec.types.choice import ChoiceAnswerField
from qaf.formspec.widgets import choice_params

EVIDENCE_MAX_LENGTH = 2000


class FixedChoice(QuestionType):
    """Radio buttons for the type's own options."""

    is_choice = True
    field_class: ClassVar[type[AnswerField]] = ChoiceAnswerField
    component = "radios"
    shows_distribution = True
    # The radios' class: "govuk-radios--inline" for a short row of options.
    radio_classes: ClassVar[str] = ""

    def govuk_params(self, field: AnswerField) -> dict[str, Any]:
        params = choice_params(field)
        if self.radio_classes:
            params["classes"] = self.radio_classes
        return params


class YesNo(FixedChoice):
    name = "yes_no"
    options = (Option("yes", "Yes"), Option("no", "No"))
    positive = ("yes",)
    radio_classes = "govuk-radios--inline"


class Agreement(FixedChoice):
    name = "agreement"
    options = (
        Option("strongly_agree", "Strongly agree"),
        Option("agree", "Agree"),
        Option("neither", "Neither agree nor disagree"),
        Option("disagree", "Disagree"),
        Option("strongly_disagree", "Strongly disagree"),
    )
    positive = ("strongly_agree", "agree")


class Faces(FixedChoice):
    """Five faces with words, for children: stored as "1" to "5", so the Summary can take their mean."""

    name = "faces"
    options = (
        Option("1", "Really bad", symbol="face-1"),
        Option("2", "Bad", symbol="face-2"),
        Option("3", "OK", symbol="face-3"),
        Option("4", "Good", symbol="face-4"),
        Option("5", "Really good", symbol="face-5"),
    )
    positive = ("4", "5")
    radio_classes = "qaf-faces"
    has_mean = True


class Standard(FixedChoice):
    """A quality standard in an audit: met or not, with an evidence box after it.

    Its figures are the audit measures' (``qaf.reports.measures``), not the Summary's spread.
    """

    name = "standard"
    options = (
        Option("met", "Met"),
        Option("partly_met", "Partly met"),
        Option("not_met", "Not met"),
        Option("not_applicable", "Not applicable"),
    )
    positive = ("met",)
    radio_classes = "govuk-radios--inline"
    shows_distribution = False

    def evidence_question(self, question: Question) -> Question | None:
        """The auditor says what they found in the record, for every standard."""
        return Question(
            id=f"{question.id}_evidence",
            type="long_text",
            label="Evidence",
            hint="What you found in the record",
            required=False,
            thing=f"the evidence for ‘{question.label}’",
            max_length=EVIDENCE_MAX_LENGTH,
            evidence_for=question.id,
            hidden_label=f"for ‘{question.label}’",
            # Shown with its standard.
            show_if=question.show_if,
        )
