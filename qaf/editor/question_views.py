"""The editor's pages for a draft's questions: add (its type first), change, change type, move,
remove, and its condition."""

from typing import Any

from flask import abort, redirect, request, url_for

from qaf.editor import bp
from qaf.editor.conditions import condition_page, condition_words
from qaf.editor.edits import (
    earlier_choice_questions,
    move,
    options_text,
    parse_options,
    questions,
    set_or_drop,
    split_values,
)
from qaf.editor.forms import CHOOSE_TYPE, REMOVE, TYPE_LABELS, question_form
from qaf.editor.pages import draft_page, edit_page, save_change, summary_row
from qaf.editor.section_views import _section_or_404
from qaf.formspec import FormSpec, build_form_class
from qaf.formspec.spec import STAGED_AUDIENCES
from qaf.formspec.types import DEFINITION_TYPES, question_type
from qaf.policy import Action, requires

# The keys of a question the details page sets; a question's other keys stay as they are.
_OWN_KEYS = ("max_length", "min", "max", "low_label", "high_label", "earliest", "latest")


def _question_or_404(definition: dict[str, Any], section: int, question: int) -> dict[str, Any]:
    _section_or_404(definition, section)
    found = questions(definition, section)
    if not 0 <= question < len(found) or not isinstance(found[question], dict):
        abort(404)
    return found[question]


def _details_data(raw: dict[str, Any]) -> dict[str, Any]:
    """What the details page shows of a question, as its fields hold it."""
    data: dict[str, Any] = {
        "label": raw.get("label", ""),
        "hint": raw.get("hint", ""),
        "required": "no" if raw.get("required") is False else "yes",
        "options": options_text(raw.get("options")),
        "positive": ", ".join(str(value) for value in raw.get("positive") or []),
        "headline": raw.get("headline") or "none",
        "stages": list(raw.get("stages") or []),
        "earliest": raw.get("earliest") or "any",
        "latest": raw.get("latest") or "any",
    }
    return data | {name: raw[name] for name in _OWN_KEYS if name in raw and name not in ("earliest", "latest")}


def _apply_details(target: dict[str, Any], answers: dict[str, Any], form_spec: FormSpec) -> None:
    asked = {question.id for question in form_spec.questions}
    target["label"] = answers["label"]
    set_or_drop(target, "hint", answers.get("hint"))
    if answers["required"] == "no":
        target["required"] = False
    else:
        target.pop("required", None)
    if "options" in asked:
        set_or_drop(target, "options", parse_options(answers.get("options") or "", target.get("options")))
    if "positive" in asked:
        set_or_drop(target, "positive", split_values(answers.get("positive") or ""))
        set_or_drop(target, "headline", "" if answers.get("headline") in (None, "none") else answers["headline"])
    if "stages" in asked:
        set_or_drop(target, "stages", answers.get("stages") or [])
    for name in _OWN_KEYS:
        if name in asked:
            value = answers.get(name)
            set_or_drop(target, name, None if value == "any" else value)


def _draft_url(form_key: str) -> str:
    return url_for("editor.draft", form_key=form_key)


@bp.route("/<form_key>/draft/sections/<int(min=0):section>/questions/new", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def new_question(form_key: str, section: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    _section_or_404(draft.definition, section)
    form = build_form_class(CHOOSE_TYPE)()
    if form.validate_on_submit():
        return redirect(
            url_for("editor.new_question_details", form_key=form_key, section=section, type_name=form.answers()["type"])
        )
    return edit_page(form, draft, spec, title="Add a question", button="Continue", back=_draft_url(form_key))


@bp.route("/<form_key>/draft/sections/<int(min=0):section>/questions/new/<type_name>", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def new_question_details(form_key: str, section: int, type_name: str):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    _section_or_404(draft.definition, section)
    if type_name not in DEFINITION_TYPES:
        abort(404)
    form_spec = question_form(type_name, new=True, staged=spec.audience in STAGED_AUDIENCES)
    defaults = {"required": "yes", "headline": "none"}
    form = build_form_class(form_spec)(data=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        answers = form.answers()

        def change(definition: dict[str, Any]) -> None:
            target: dict[str, Any] = {"id": answers["question_id"], "type": type_name}
            _apply_details(target, answers, form_spec)
            questions(definition, section).append(target)

        return save_change(form_key, change, "Question added.", _draft_url(form_key))
    return edit_page(form, draft, spec, title="Add a question", back=_draft_url(form_key))


@bp.route("/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def question(form_key: str, section: int, question: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _question_or_404(draft.definition, section, question)
    type_name = str(raw.get("type"))
    if type_name not in DEFINITION_TYPES:
        return redirect(url_for("editor.question_type", form_key=form_key, section=section, question=question))
    form_spec = question_form(type_name, new=False, staged=spec.audience in STAGED_AUDIENCES)
    form = build_form_class(form_spec)(data=_details_data(raw) if request.method == "GET" else None)
    if form.validate_on_submit():
        answers = form.answers()

        def change(definition: dict[str, Any]) -> None:
            _apply_details(questions(definition, section)[question], answers, form_spec)

        return save_change(form_key, change, "Question saved.", _draft_url(form_key))
    return edit_page(
        form,
        draft,
        spec,
        title=f"Section {section + 1}, question {question + 1}",
        back=_draft_url(form_key),
        summary=[
            summary_row("Short name", str(raw.get("id", ""))),
            summary_row(
                "Kind of answer",
                TYPE_LABELS.get(type_name, type_name),
                url_for("editor.question_type", form_key=form_key, section=section, question=question),
            ),
            summary_row(
                "Condition",
                condition_words(draft.definition, raw.get("show_if")),
                url_for("editor.question_condition", form_key=form_key, section=section, question=question),
            ),
        ],
    )


@bp.route(
    "/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/type",
    methods=["GET", "POST"],
    endpoint="question_type",
)
@requires(Action.EDIT_FORMS)
def question_type_page(form_key: str, section: int, question: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _question_or_404(draft.definition, section, question)
    form = build_form_class(CHOOSE_TYPE)(data={"type": raw.get("type")} if request.method == "GET" else None)
    back = url_for("editor.question", form_key=form_key, section=section, question=question)
    if form.validate_on_submit():
        chosen = form.answers()["type"]

        def change(definition: dict[str, Any]) -> None:
            target = questions(definition, section)[question]
            target["type"] = chosen
            for name in list(target):
                if name in ("options", "options_from", *_OWN_KEYS) and name not in question_type(chosen).keys:
                    del target[name]

        return save_change(form_key, change, "Question type changed: check its details.", back)
    return edit_page(form, draft, spec, title="Change the kind of answer", back=back)


@bp.post("/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/move")
@requires(Action.EDIT_FORMS)
def move_question(form_key: str, section: int, question: int) -> Any:
    _spec, draft = draft_page(form_key)
    _question_or_404(draft.definition, section, question)
    direction = "up" if request.form.get("direction") == "up" else "down"

    def change(definition: dict[str, Any]) -> None:
        move(questions(definition, section), question, direction)

    return save_change(form_key, change, f"Question moved {direction}.", _draft_url(form_key))


@bp.route(
    "/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/remove", methods=["GET", "POST"]
)
@requires(Action.EDIT_FORMS)
def remove_question(form_key: str, section: int, question: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _question_or_404(draft.definition, section, question)
    form = build_form_class(REMOVE)()
    if form.validate_on_submit():
        if form.answers()["confirm"] != "yes":
            return redirect(_draft_url(form_key))

        def change(definition: dict[str, Any]) -> None:
            del questions(definition, section)[question]

        return save_change(form_key, change, "Question removed.", _draft_url(form_key))
    title = f"Remove the question “{raw.get('label', '')}”"
    return edit_page(form, draft, spec, title=title, button="Continue", back=_draft_url(form_key))


@bp.route(
    "/<form_key>/draft/sections/<int(min=0):section>/questions/<int(min=0):question>/condition", methods=["GET", "POST"]
)
@requires(Action.EDIT_FORMS)
def question_condition(form_key: str, section: int, question: int):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    raw = _question_or_404(draft.definition, section, question)

    def set_condition(definition: dict[str, Any], condition: dict[str, Any] | None) -> None:
        set_or_drop(questions(definition, section)[question], "show_if", condition)

    earlier = earlier_choice_questions(draft.definition, section, question)
    back = url_for("editor.question", form_key=form_key, section=section, question=question)
    place = f"section {section + 1}, question {question + 1}"
    return condition_page(spec, draft, raw, earlier, place, back, set_condition)
