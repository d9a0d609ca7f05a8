"""The editor's pages for an audit template's alert rules: add, change, remove."""

from typing import Any

from flask import abort, request, url_for

from qaf.editor import bp
from qaf.editor.edits import CHOICE_TYPES, sections, set_or_drop, split_values
from qaf.editor.forms import alert_form
from qaf.editor.pages import draft_page, edit_page, save_change
from qaf.formspec import build_form_class
from qaf.policy import Action, requires


def _alerts(definition: dict[str, Any]) -> list[dict[str, Any]]:
    found = definition.setdefault("alerts", [])
    assert isinstance(found, list)
    return found


def _choice_questions(definition: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(raw["id"]), str(raw.get("label", raw["id"])))
        for section in sections(definition)
        for raw in section.get("questions") or []
        if isinstance(raw, dict) and raw.get("type") in CHOICE_TYPES and raw.get("id")
    ]


@bp.route("/<form_key>/draft/alerts/new", methods=["GET", "POST"], defaults={"alert": None})
@bp.route("/<form_key>/draft/alerts/<int(min=0):alert>", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def alert(form_key: str, alert: int | None):  # type: ignore[no-untyped-def]
    spec, draft = draft_page(form_key)
    if spec.audience != "auditor":
        abort(404)
    existing = list(draft.definition.get("alerts") or [])
    if alert is not None and not 0 <= alert < len(existing):
        abort(404)
    form_spec = alert_form(_choice_questions(draft.definition))
    data = None
    if request.method == "GET" and alert is not None:
        raw = existing[alert]
        data = {
            "question": raw.get("question"),
            "answers": ", ".join(str(value) for value in raw.get("answers") or []),
            "reason": raw.get("reason", ""),
            "also_tell": list(raw.get("also_tell") or []),
        }
    form = build_form_class(form_spec)(data=data)
    back = url_for("editor.draft", form_key=form_key)
    if form.validate_on_submit():
        answers = form.answers()

        def change(definition: dict[str, Any]) -> None:
            rules = _alerts(definition)
            target = rules[alert] if alert is not None else {}
            target["question"] = answers["question"]
            target["answers"] = split_values(answers["answers"])
            target["reason"] = answers["reason"]
            set_or_drop(target, "also_tell", answers.get("also_tell") or [])
            if alert is None:
                rules.append(target)

        return save_change(form_key, change, "Alert saved.", back)
    return edit_page(form, draft, spec, title=f"Alert {alert + 1}" if alert is not None else "Add an alert", back=back)


@bp.post("/<form_key>/draft/alerts/<int(min=0):alert>/remove")
@requires(Action.EDIT_FORMS)
def remove_alert(form_key: str, alert: int) -> Any:
    _spec, draft = draft_page(form_key)
    if not 0 <= alert < len(draft.definition.get("alerts") or []):
        abort(404)

    def change(definition: dict[str, Any]) -> None:
        del _alerts(definition)[alert]
        if not definition["alerts"]:
            del definition["alerts"]

    return save_change(form_key, change, "Alert removed.", url_for("editor.draft", form_key=form_key))
