"""What every editor page shares: the draft it was opened at, its revision, and one way to save a change."""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.editor.drafts import StaleDraft, change_draft, draft_or_404, form_or_404
from qaf.formspec import FormSpec
from qaf.models import FormDraft
from qaf.navigation import uk_time
from qaf.query_args import record_id


def stale_message(stale: StaleDraft) -> str:
    return (
        f"Someone else changed this draft since you opened it: {stale.updated_by} saved it on "
        f"{uk_time(stale.updated_at)}; your change was not saved. "
        "Look at the draft as it is now and make your change again"
    )


def posted_revision() -> int:
    """The draft revision the page was opened at (0, never a revision, if the post lacks it)."""
    return record_id(request.form.get("revision", "")) or 0


def draft_page(form_key: str) -> tuple[FormSpec, FormDraft]:
    return form_or_404(form_key), draft_or_404(form_key)


def save_change(form_key: str, change: Callable[[dict[str, Any]], None], done: str, next_url: str) -> Any:
    """Save ``change`` to the draft the page was opened at and go to ``next_url``; or, if someone else
    changed it meanwhile, save nothing and show the draft as it is now with the reason."""
    try:
        change_draft(form_key, posted_revision(), current_user, change)
    except StaleDraft as stale:
        flash(stale_message(stale), "important")
        return redirect(url_for("editor.draft", form_key=form_key))
    flash(done)
    return redirect(next_url)


def summary_row(key: str, value: str, href: str | None = None) -> dict[str, Any]:
    """A row of the summary list above an edit page's form; ``href`` changes it on its own page."""
    row: dict[str, Any] = {"key": {"text": key}, "value": {"text": value}}
    if href:
        row["actions"] = {"items": [{"href": href, "text": "Change", "visuallyHiddenText": key.lower()}]}
    return row


def edit_page(form: Any, draft: FormDraft, spec: FormSpec, *, title: str, button: str = "Save", **extra: Any) -> str:
    """A page of the draft with one form: the revision it was opened at travels with the form.

    ``summary`` (rows from ``summary_row``) shows what the page's form does not change."""
    return render_template("editor/edit.html", form=form, draft=draft, spec=spec, title=title, button=button, **extra)
