"""Choosing a ``show_if`` for a question or a section in two steps: the earlier question, then its answers.

Two pages rather than one, so the answers offered are those of the question chosen, with JavaScript off.
The question chosen travels in the query (``?earlier=who_is_answering``): the pages' own URLs already
have a ``question`` (the question's place in its section).
"""

from collections.abc import Callable
from typing import Any

from flask import redirect, request, url_for

from qaf.editor.edits import all_questions
from qaf.editor.forms import condition_question_form, condition_values_form
from qaf.editor.pages import edit_page, save_change
from qaf.formspec import FormSpec, Option, build_form_class
from qaf.formspec.checker import slug
from qaf.formspec.types import question_type
from qaf.models import FormDraft

# The query argument naming the earlier question chosen at step one.
EARLIER = "earlier"


def _options(raw: dict[str, Any]) -> tuple[Option, ...]:
    try:
        kind = question_type(str(raw.get("type")))
    except KeyError:
        return ()
    if kind.options:
        return kind.options
    options = []
    for option in raw.get("options") or []:
        if isinstance(option, dict):
            options.append(Option(str(option.get("value")), str(option.get("label"))))
        else:
            options.append(Option(slug(str(option)), str(option)))
    return tuple(options)


def condition_words(definition: dict[str, Any], condition: Any) -> str:
    """A ``show_if`` as the editor's pages say it: the earlier question's label and the labels of its answers."""
    if not isinstance(condition, dict):
        return "Always shown"
    name = str(condition.get("question", ""))
    raw = all_questions(definition).get(name)
    values = [str(value) for value in condition.get("is") or []]
    labels = {option.value: option.label for option in _options(raw)} if raw else {}
    answers = " or ".join(f"“{labels.get(value, value)}”" for value in values)
    question = f"“{raw.get('label', name)}”" if raw else f"the question {name} (not in the form)"
    return f"Shown only when the answer to {question} is {answers}"


def condition_page(
    spec: FormSpec,
    draft: FormDraft,
    target: dict[str, Any],
    earlier: list[dict[str, Any]],
    place: str,
    back: str,
    set_condition: Callable[[dict[str, Any], dict[str, Any] | None], None],
) -> Any:
    """The step the request is at: which question (no ``?earlier=``), or which of its answers.

    ``place`` names what the condition is for ("section 1, question 2") in the page's heading.
    """
    shown_if = target.get("show_if")
    current: dict[str, Any] = shown_if if isinstance(shown_if, dict) else {}
    chosen = request.args.get(EARLIER, "")
    by_id = {str(raw["id"]): raw for raw in earlier}
    title = f"When is {place} shown?"
    if chosen not in by_id:
        step_one = condition_question_form([(key, str(raw.get("label", key))) for key, raw in by_id.items()])
        data = {"question": current.get("question") or "always"} if request.method == "GET" else None
        form = build_form_class(step_one)(data=data)
        if form.validate_on_submit():
            answer = form.answers()["question"]
            if answer == "always":
                done = "Condition removed: it is always shown." if current else "Saved: it is always shown."
                return save_change(spec.key, lambda definition: set_condition(definition, None), done, back)
            return redirect(url_for(request.endpoint or "", **(request.view_args or {}), **{EARLIER: answer}))
        return edit_page(form, draft, spec, title=title, button="Continue", back=back)
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
    step_one_url = url_for(request.endpoint or "", **(request.view_args or {}))
    return edit_page(form, draft, spec, title=title, back=step_one_url)
