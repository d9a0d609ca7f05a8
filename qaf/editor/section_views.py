"""The editor's pages for a draft's sections: add, change, move, remove, and its condition."""

from typing import Any

from flask import abort, redirect, request, url_for

from qaf.editor import bp
from qaf.editor.conditions import condition_page, condition_words
from qaf.editor.edits import earlier_choice_questions, move, new_section_id, sections, set_or_drop
from qaf.editor.forms import REMOVE, section_form
from qaf.editor.pages import draft_page, edit_page, save_change, summary_row
from qaf.formspec import build_form_class
from qaf.policy import Action, requires


def _section_or_404(definition: dict[str, Any], section: int) -> dict[str, Any]:
    found = sections(definition)
    if not 0 <= section < len(found) or not isinstance(found[section], dict):
        abort(404)
    return found[section]


def _draft_url(form_key: str) -> str:
    return url_for("editor.draft", form_key=form_key)


@bp.route("/<form_key>/draft/sections/new", methods=["GET", "POST"], defaults={"section": None})
@bp.route("/<form_key>/draft/sections/<int(min=0):section>", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def section(form_key: str, section: int | None):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _section_or_404(draft.definition, section) if section is not None else {}
    form_spec = section_form(audit=spec.audience == "auditor")
    data = None
    if request.method == "GET" and raw:
        data = {
            "title": raw.get("title", ""),
            "intro": raw.get("intro", ""),
            "section_id": raw.get("id", ""),
            "may_not_apply": "yes" if raw.get("may_not_apply") else "no",
        }
    form = build_form_class(form_spec)(data=data)
    if form.validate_on_submit():
        answers = form.answers()

        def change(definition: dict[str, Any]) -> None:
            index = section if section is not None else len(sections(definition))
            target = sections(definition)[index] if section is not None else {"title": "", "questions": []}
            target["title"] = answers["title"]
            set_or_drop(target, "intro", answers.get("intro"))
            if "may_not_apply" in answers:
                _set_may_not_apply(definition, index, target, answers)
            if section is None:
                sections(definition).append(target)

        done = "Section saved." if section is not None else "Section added: now add its questions."
        return save_change(form_key, change, done, _draft_url(form_key))
    if section is None:
        return edit_page(form, draft, spec, title="Add a section", back=_draft_url(form_key))
    condition = url_for("editor.section_condition", form_key=form_key, section=section)
    summary = [summary_row("Condition", condition_words(draft.definition, raw.get("show_if")), condition)]
    return edit_page(form, draft, spec, title=f"Section {section + 1}", back=_draft_url(form_key), summary=summary)


def _set_may_not_apply(definition: dict[str, Any], index: int, target: dict[str, Any], answers: dict[str, Any]) -> None:
    """Whether the auditor may mark the section not applicable, and its id: the one typed, else the
    one it has (an id is never changed or dropped unasked: answers name it), else one made from its heading."""
    may_not_apply = answers["may_not_apply"] == "yes"
    if answers.get("section_id"):
        target["id"] = answers["section_id"]
    elif may_not_apply and not target.get("id"):
        target["id"] = new_section_id(definition, index, answers["title"])
    set_or_drop(target, "may_not_apply", may_not_apply)


@bp.post("/<form_key>/draft/sections/<int(min=0):section>/move")
@requires(Action.EDIT_FORMS)
def move_section(form_key: str, section: int) -> Any:
    _spec, draft = draft_page(form_key)
    _section_or_404(draft.definition, section)
    direction = "up" if request.form.get("direction") == "up" else "down"

    def change(definition: dict[str, Any]) -> None:
        move(sections(definition), section, direction)

    return save_change(form_key, change, f"Section moved {direction}.", _draft_url(form_key))


@bp.route("/<form_key>/draft/sections/<int(min=0):section>/remove", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def remove_section(form_key: str, section: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _section_or_404(draft.definition, section)
    form = build_form_class(REMOVE)()
    if form.validate_on_submit():
        if form.answers()["confirm"] != "yes":
            return redirect(_draft_url(form_key))

        def change(definition: dict[str, Any]) -> None:
            del sections(definition)[section]

        return save_change(form_key, change, "Section removed.", _draft_url(form_key))
    title = f"Remove section {section + 1}, “{raw.get('title', '')}”, and its questions"
    return edit_page(form, draft, spec, title=title, button="Continue", back=_draft_url(form_key))


@bp.route("/<form_key>/draft/sections/<int(min=0):section>/condition", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def section_condition(form_key: str, section: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _section_or_404(draft.definition, section)

    def set_condition(definition: dict[str, Any], condition: dict[str, Any] | None) -> None:
        set_or_drop(sections(definition)[section], "show_if", condition)

    earlier = earlier_choice_questions(draft.definition, section, None)
    back = url_for("editor.section", form_key=form_key, section=section)
    return condition_page(spec, draft, raw, earlier, f"section {section + 1}", back, set_condition)
