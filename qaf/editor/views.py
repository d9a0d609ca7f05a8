"""The editor's pages for a whole form: the list, a form's page and versions, its draft, the check,
the preview, publishing and the YAML download."""

from dataclasses import asdict
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.editor import bp
from qaf.editor.conditions import condition_words
from qaf.editor.drafts import (
    StaleDraft,
    checked_draft,
    current_version,
    discard_draft,
    draft_for,
    draft_keys,
    form_or_404,
    open_draft,
    publication_counts,
    publication_or_404,
    publications,
)
from qaf.editor.edits import set_or_drop
from qaf.editor.forms import FORM_DETAILS, TYPE_LABELS, form_data
from qaf.editor.pages import draft_page, edit_page, posted_revision, save_change, stale_message
from qaf.editor.preview import preview_page
from qaf.editor.problems import editor_problems
from qaf.editor.publishing import draft_from_publication, publish_changes, publish_draft
from qaf.editor.transfer import definition_yaml
from qaf.forms_registry import all_forms, publication_spec
from qaf.formspec import SpecError, build_form_class
from qaf.policy import Action, requires


@bp.context_processor
def _editor_words() -> dict[str, Any]:
    """How the editor's pages name a condition and a kind of answer."""
    return {"condition_words": condition_words, "type_labels": TYPE_LABELS}


@bp.get("")
@requires(Action.EDIT_FORMS)
def forms() -> str:
    specs = sorted(all_forms().values(), key=lambda spec: (spec.audience == "auditor", spec.title))
    return render_template("editor/forms.html", specs=specs, numbers=publication_counts(), drafts=draft_keys())


@bp.get("/<form_key>")
@requires(Action.EDIT_FORMS)
def form(form_key: str) -> str:
    spec = form_or_404(form_key)
    return render_template("editor/form.html", spec=spec, draft=draft_for(form_key), versions=publications(form_key))


@bp.route("/<form_key>/draft", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def draft(form_key: str):  # type: ignore[no-untyped-def]
    spec = form_or_404(form_key)
    if request.method == "POST":
        open_draft(form_key, current_user)
        return redirect(url_for("editor.draft", form_key=form_key))
    found = draft_for(form_key)
    if found is None:
        return redirect(url_for("editor.form", form_key=form_key))
    _draft_spec, error = checked_draft(found)
    return render_template(
        "editor/draft.html",
        spec=spec,
        draft=found,
        definition=found.definition,
        problem_count=len(error.problems) if error else 0,
    )


@bp.route("/<form_key>/draft/details", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def details(form_key: str):  # type: ignore[no-untyped-def]
    spec, found = draft_page(form_key)
    data = form_data(FORM_DETAILS, found.definition) if request.method == "GET" else None
    form = build_form_class(FORM_DETAILS)(data=data)
    if form.validate_on_submit():
        answers = form.answers()

        def change(definition: dict[str, Any]) -> None:
            definition["title"] = answers["title"]
            set_or_drop(definition, "intro", answers.get("intro"))

        return save_change(
            form_key, change, "Title and introduction saved.", url_for("editor.draft", form_key=form_key)
        )
    return edit_page(form, found, spec, title="Title and introduction")


@bp.get("/<form_key>/draft/check")
@requires(Action.EDIT_FORMS)
def check(form_key: str) -> str:
    spec, found = draft_page(form_key)
    _draft_spec, error = checked_draft(found)
    problems = (
        [asdict(problem) for problem in editor_problems(error.problems, form_key, found.definition)] if error else []
    )
    return render_template("editor/check.html", spec=spec, draft=found, problems=problems)


@bp.route("/<form_key>/draft/preview", methods=["GET", "POST"])
@requires(Action.EDIT_FORMS)
def preview(form_key: str):  # type: ignore[no-untyped-def]
    _spec, found = draft_page(form_key)
    draft_spec, error = checked_draft(found)
    if draft_spec is None:
        flash("The draft has problems to fix before it can be previewed.", "important")
        return redirect(url_for("editor.check", form_key=form_key))
    return preview_page(draft_spec)


@bp.route("/<form_key>/draft/publish", methods=["GET", "POST"])
@requires(Action.PUBLISH_FORMS)
def publish(form_key: str):  # type: ignore[no-untyped-def]
    spec, found = draft_page(form_key)
    if request.method == "POST":
        try:
            published = publish_draft(form_key, posted_revision(), current_user)
        except StaleDraft as stale:
            flash(stale_message(stale), "important")
            return redirect(url_for("editor.draft", form_key=form_key))
        except SpecError:
            return redirect(url_for("editor.check", form_key=form_key))
        flash(f"Version {published.number} of {published.spec.title} is published: it is answered from now on.")
        return redirect(url_for("editor.form", form_key=form_key))
    draft_spec, error = checked_draft(found)
    if draft_spec is None:
        return redirect(url_for("editor.check", form_key=form_key))
    changes = publish_changes(spec, draft_spec)
    return render_template("editor/publish.html", spec=spec, draft=found, changes=changes)


@bp.post("/<form_key>/draft/discard")
@requires(Action.EDIT_FORMS)
def discard(form_key: str) -> Any:
    form_or_404(form_key)
    try:
        discard_draft(form_key, posted_revision())
    except StaleDraft as stale:
        flash(stale_message(stale), "important")
        return redirect(url_for("editor.draft", form_key=form_key))
    flash("The draft was deleted. The form is as it was.")
    return redirect(url_for("editor.form", form_key=form_key))


def _yaml_download(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@bp.get("/<form_key>/current.yaml")
@requires(Action.EDIT_FORMS)
def export_current(form_key: str) -> Response:
    form_or_404(form_key)
    return _yaml_download(definition_yaml(current_version(form_key).definition), f"{form_key}.yaml")


@bp.get("/<form_key>/draft.yaml")
@requires(Action.EDIT_FORMS)
def export_draft(form_key: str) -> Response:
    _spec, found = draft_page(form_key)
    return _yaml_download(definition_yaml(found.definition), f"{form_key}-draft.yaml")


@bp.get("/<form_key>/versions/<int:number>")
@requires(Action.EDIT_FORMS)
def version(form_key: str, number: int) -> str:
    spec = form_or_404(form_key)
    publication = publication_or_404(form_key, number)
    shown = publication_spec(publication)
    # The one published before it (the first published follows the file's own number, so none may be 1).
    earlier = next((each for each in publications(form_key) if each.number < number), None)
    changes = publish_changes(publication_spec(earlier), shown) if earlier else []
    return render_template(
        "editor/version.html",
        spec=spec,
        shown=shown,
        publication=publication,
        changes=changes,
        earlier=earlier,
        draft=draft_for(form_key),
    )


@bp.post("/<form_key>/versions/<int:number>/draft")
@requires(Action.EDIT_FORMS)
def draft_from_version(form_key: str, number: int) -> Any:
    form_or_404(form_key)
    publication = publication_or_404(form_key, number)
    if draft_for(form_key) is not None:
        flash("This form already has a draft: publish or delete it first.", "important")
        return redirect(url_for("editor.draft", form_key=form_key))
    draft_from_publication(publication, current_user)
    flash(f"A new draft was made from version {number}. Version {number} itself stays as it was published.")
    return redirect(url_for("editor.draft", form_key=form_key))
