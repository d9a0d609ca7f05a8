"""What a page says and marks about a question or section shown on a condition.

With JavaScript off every conditional question is on the page: its hint says when to answer it, and
the server drops an answer whose condition is not met (qaf.formspec.conditions). With JavaScript on,
application.mjs reads the data attributes built here and hides what the answers do not show.
"""

from dataclasses import dataclass
from typing import Any

from qaf.formspec.conditions import NOT_APPLICABLE, not_applicable_question_id
from qaf.formspec.spec import Condition, FormSpec, Question, Section


@dataclass(frozen=True)
class ShownWhen:
    """A question's or section's condition as the page shows it."""

    # "Only answer this if ...": empty when always shown.
    hint: str = ""
    # ``data-show-if`` of the element around it: shown only when this answer is given.
    show_if: dict[str, Any] | None = None
    # ``data-hide-if`` of the element around a ``may_not_apply`` section's questions but its tick box.
    hide_if: dict[str, Any] | None = None


def condition_hint(spec: FormSpec, condition: Condition, subject: str = "this") -> str:
    """When to answer, in the words the page used: "Only answer this if you answered ‘Yes’ to ‘Is
    there a safeguarding concern?’" (several values: "‘A’ or ‘B’")."""
    source = spec.question(condition.question)
    labels = [f"‘{source.option_label(value)}’" for value in condition.values]
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"Only answer {subject} if you answered {listed} to ‘{source.label}’"


def condition_data(condition: Condition) -> dict[str, Any]:
    """The condition for the page's script: the name of the answer's inputs and the values that show."""
    return {"question": condition.question, "is": list(condition.values)}


def shown_when(spec: FormSpec, item: Question | Section) -> ShownWhen:
    """The hint and data attributes of a question or a section: the one place the templates ask."""
    hide_if = None
    if isinstance(item, Section) and item.may_not_apply:
        hide_if = {"question": not_applicable_question_id(item), "is": [NOT_APPLICABLE]}
    if item.show_if is None:
        return ShownWhen(hide_if=hide_if)
    subject = "the questions in this section" if isinstance(item, Section) else "this"
    return ShownWhen(
        hint=condition_hint(spec, item.show_if, subject),
        show_if=condition_data(item.show_if),
        hide_if=hide_if,
    )
