"""GOV.UK Frontend macro parameters for an answer field: which component, and its params.

Built here rather than with govuk-frontend-wtf's widgets so that hints, error links
and date inputs follow the Design System exactly (see STACK.md for that package's
rough edges). Each question type (``qaf.formspec.types``) says which component it is and
adds its own params to the ones built here.
"""

from typing import Any

from markupsafe import Markup

from qaf.formspec.fields import AnswerField
from qaf.formspec.spec import STAGES, Option, Question

LEGEND_CLASSES = "govuk-fieldset__legend--s"
LABEL_CLASSES = "govuk-label--s"


def common_params(field: AnswerField) -> dict[str, Any]:
    """The hint (the type's, then the stages' and the condition's) and the error message every component shows."""
    params: dict[str, Any] = {}
    question = field.question
    hint = question.kind.hint(question)
    for extra in (stages_hint(question) if question.stages else "", field.condition_hint):
        if extra:
            hint = f"{hint.rstrip('.')}. {extra}" if hint else extra
    if hint:
        params["hint"] = {"text": hint}
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0]}
    return params


def stages_hint(question: Question) -> str:
    """When a question limited to stages applies, for a page where the stage is not given by the link."""
    if "assessment" not in question.stages:
        # Plain words a child can follow too: not every form that uses this asks the stage.
        return "Leave this out if the help has only just started"
    names = [label.lower() for value, label in STAGES if value in question.stages]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"Only answer this if you are giving feedback at {listed}"


def label_text(field: AnswerField) -> str:
    """The label, marked "(optional)" when it need not be answered; a lone tick box never is (ticking
    it or not is the answer: the section not applicable's "This section does not apply")."""
    question = field.question
    lone_tick_box = question.type == "checkboxes" and len(question.options) == 1
    return question.label if question.required or lone_tick_box else f"{question.label} (optional)"


def legend(field: AnswerField) -> dict[str, Any]:
    """The fieldset of a question answered in more than one box or button."""
    return {"legend": {"text": label_text(field), "classes": LEGEND_CLASSES}}


# Faces drawn as SVG rather than emoji, which some phones and PCs show as empty boxes.
_MOUTHS = {
    "face-1": "M10 23 Q16 15 22 23",
    "face-2": "M10 22 Q16 18.5 22 22",
    "face-3": "M10 20.5 L22 20.5",
    "face-4": "M10 19 Q16 23.5 22 19",
    "face-5": "M9 18 Q16 27 23 18",
}
_FACE = (
    '<svg class="qaf-symbol" aria-hidden="true" focusable="false" viewBox="0 0 32 32" width="32" height="32">'
    '<circle cx="16" cy="16" r="14" fill="none" stroke="currentColor" stroke-width="2"/>'
    '<circle cx="11" cy="12.5" r="1.8" fill="currentColor"/><circle cx="21" cy="12.5" r="1.8" fill="currentColor"/>'
    '<path d="{}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>'
)


def _choice_item(option: Option, selected: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"value": option.value, "checked": selected}
    if option.symbol in _MOUTHS:
        # _FACE is our own constant markup; format() escapes what goes into it.
        item["html"] = Markup(_FACE).format(_MOUTHS[option.symbol]) + Markup(" {}").format(option.label)  # noqa: S704
    else:
        item["text"] = option.label
    if option.hint:
        item["hint"] = {"text": option.hint}
    return item


def choice_params(field: AnswerField) -> dict[str, Any]:
    """Radios and checkboxes: one item an option, the chosen ones checked."""
    chosen = field.data if isinstance(field.data, list) else [field.data]
    return {
        "name": field.name,
        "idPrefix": field.id,
        "fieldset": legend(field),
        "items": [_choice_item(option, option.value in chosen) for option in field.question.options],
    }


def text_params(field: AnswerField) -> dict[str, Any]:
    """A box to type in: its label (with words for screen readers only, if any) and what was typed."""
    question = field.question
    label: dict[str, Any] = {"text": label_text(field), "classes": LABEL_CLASSES}
    if question.hidden_label:
        label = {
            "html": Markup('{} <span class="govuk-visually-hidden">{}</span>').format(
                label["text"], question.hidden_label
            ),
            "classes": LABEL_CLASSES,
        }
    return {"id": field.id, "name": field.name, "label": label, "value": field._value()}


def govuk_widget(field: AnswerField) -> dict[str, Any]:
    """The component name and params to render ``field`` with the GOV.UK macros."""
    return field.question.kind.govuk_widget(field)


def error_summary_items(fields: list[AnswerField]) -> list[dict[str, str]]:
    """One link per field in error, in page order, pointing at the first thing to focus."""
    return [{"text": field.errors[0], "href": f"#{field.focus_id}"} for field in fields if field.errors]
