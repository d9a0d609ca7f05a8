"""GOV.UK Frontend macro parameters for an answer field: which component, and its params.

Built here rather than with govuk-frontend-wtf's widgets so that hints, error links
and date inputs follow the Design System exactly (see STACK.md for that package's
rough edges).
"""

from typing import Any

from markupsafe import Markup

from qaf.formspec.fields import AnswerField, DateAnswerField
from qaf.formspec.spec import STAGES, Question

LEGEND_CLASSES = "govuk-fieldset__legend--s"
LABEL_CLASSES = "govuk-label--s"


def _common(field: AnswerField) -> dict[str, Any]:
    params: dict[str, Any] = {}
    question = field.question
    hint = question.hint
    if question.type == "scale":
        scale_hint = f"0 means {question.low_label}, 10 means {question.high_label}"
        hint = f"{hint} {scale_hint}" if hint else scale_hint
    if question.stages:
        hint = f"{hint.rstrip('.')}. {stages_hint(question)}" if hint else stages_hint(question)
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


def _label_text(field: AnswerField) -> str:
    question = field.question
    return question.label if question.required else f"{question.label} (optional)"


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


def _choice_item(field: AnswerField, option: Any, selected: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"value": option.value, "checked": selected}
    if option.symbol in _MOUTHS:
        # _FACE is our own constant markup; format() escapes what goes into it.
        item["html"] = Markup(_FACE).format(_MOUTHS[option.symbol]) + Markup(" {}").format(option.label)  # noqa: S704
    else:
        item["text"] = option.label
    if option.hint:
        item["hint"] = {"text": option.hint}
    return item


def govuk_widget(field: AnswerField) -> dict[str, Any]:
    """The component name and params to render ``field`` with the GOV.UK macros."""
    question = field.question
    params = _common(field)
    kind = question.type
    if kind in ("radios", "yes_no", "agreement", "scale", "faces", "checkboxes", "standard"):
        chosen = field.data if isinstance(field.data, list) else [field.data]
        params |= {
            "name": field.name,
            "idPrefix": field.id,
            "fieldset": {"legend": {"text": _label_text(field), "classes": LEGEND_CLASSES}},
            "items": [_choice_item(field, option, option.value in chosen) for option in question.options],
        }
        if kind in ("yes_no", "scale", "standard"):
            params["classes"] = "govuk-radios--inline"
        if kind == "faces":
            params["classes"] = "qaf-faces"
        return {"component": "checkboxes" if kind == "checkboxes" else "radios", "params": params}
    if kind == "select":
        params |= {
            "id": field.id,
            "name": field.name,
            "label": {"text": _label_text(field), "classes": LABEL_CLASSES},
            "items": [{"value": "", "text": "Choose one"}]
            + [
                {"value": option.value, "text": option.label, "selected": option.value == field.data}
                for option in question.options
            ],
        }
        return {"component": "select", "params": params}
    if kind == "date":
        assert isinstance(field, DateAnswerField)
        params.setdefault("hint", {"text": "For example, 27 3 2026"})
        params |= {
            "id": field.id,
            "namePrefix": field.name,
            "fieldset": {"legend": {"text": _label_text(field), "classes": LEGEND_CLASSES}},
            "items": [
                {"name": "day", "label": "Day", "classes": "govuk-input--width-2", "value": field.parts["day"]},
                {"name": "month", "label": "Month", "classes": "govuk-input--width-2", "value": field.parts["month"]},
                {"name": "year", "label": "Year", "classes": "govuk-input--width-4", "value": field.parts["year"]},
            ],
        }
        if field.errors:
            for item in params["items"]:
                item["classes"] += " govuk-input--error"
        return {"component": "date", "params": params}
    label: dict[str, Any] = {"text": _label_text(field), "classes": LABEL_CLASSES}
    if question.hidden_label:
        label = {
            "html": Markup('{} <span class="govuk-visually-hidden">{}</span>').format(
                label["text"], question.hidden_label
            ),
            "classes": LABEL_CLASSES,
        }
    params |= {"id": field.id, "name": field.name, "label": label, "value": field._value()}
    if kind.endswith("password"):
        params["value"] = ""
        params["autocomplete"] = kind.replace("_", "-")
        return {"component": "password", "params": params}
    if kind == "email":
        params |= {"type": "email", "autocomplete": "email", "spellcheck": False}
        return {"component": "input", "params": params}
    if kind == "long_text":
        params |= {"maxlength": question.max_length, "rows": 5}
        return {"component": "character_count", "params": params}
    if kind == "number":
        params |= {"inputmode": "numeric", "classes": "govuk-input--width-5", "spellcheck": False}
    else:
        params |= {"autocomplete": "off"}
    return {"component": "input", "params": params}


def error_summary_items(fields: list[AnswerField]) -> list[dict[str, str]]:
    """One link per field in error, in page order, pointing at the first thing to focus."""
    items = []
    for field in fields:
        if field.errors:
            target = f"{field.id}-day" if isinstance(field, DateAnswerField) else field.id
            items.append({"text": field.errors[0], "href": f"#{target}"})
    return items
