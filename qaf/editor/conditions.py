"""Choosing a ``show_if`` for a question or a section in two steps: the earlier question, then its answers.

Two pages rather than one, so the answers offered are those of the question chosen, with JavaScript off.
"""

from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for

from qaf.editor.forms import condition_question_form, condition_values_form
from qaf.editor.pages import edit_page, save_change
from qaf.formspec import FormSpec, Option, build_form_class
from qaf.formspec.checker import slug
from qaf.formspec.types import question_type
from qaf.models import FormDraft


def _options(raw: dict[str, Any]) -> tuple[Option, ...]:
    kind = question_type(str(raw["type"]))
    if kind.options:
        return kind.options
    options = []
    for option in raw.get("options") or []:
        if isinstance(option, dict):
            options.append(Option(str(option.get("value")), str(option.get("label"))))
        else:
            options.append(Option(slug(str(option)), str(option)))
    return tuple(options)


def condition_page(
    spec: FormSpec,
    draft: FormDraft,
    target: dict[str, Any],
    earlier: list[dict[str, Any]],
    back: str,
    set_condition: Callable[[dict[str, Any], dict[str, Any] | None], None],
) -> Any:
    """The step the request is at: which question (no ``?question=``), or which of its answers."""
    shown_if = target.get("show_if")
    current: dict[str, Any] = shown_if if isinstance(shown_if, dict) else {}
    chosen = request.args.get("question", "")
    by_id = {str(raw["id"]): raw for raw in earlier}
    if chosen not in by_id:
        step_one = condition_question_form([(key, str(raw.get("label", key))) for key, raw in by_id.items()])
        data = {"question": current.get("question") or "always"} if request.method == "GET" else None
        form = build_form_class(step_one)(data=data)
        if form.validate_on_submit():
            if form.answers()["question"] == "always":
                return save_change(
                    spec.key, lambda definition: set_condition(definition, None), "Condition removed.", back
                )
            return redirect(
                url_for(request.endpoint or "", **(request.view_args or {}), question=form.answers()["question"])
            )
        return edit_page(form, draft, spec, title="Condition", back=back)
    raw = by_id[chosen]
    step_two = condition_values_form(str(raw.get("label", chosen)), _options(raw))
    data = (
        {"values": list(current.get("is") or [])}
        if request.method == "GET" and current.get("question") == chosen
        else None
    )
    form = build_form_class(step_two)(data=data)
    if form.validate_on_submit():
        condition = {"question": chosen, "is": form.answers()["values"]}
        return save_change(spec.key, lambda definition: set_condition(definition, condition), "Condition saved.", back)
    return edit_page(form, draft, spec, title="Condition", back=back)
