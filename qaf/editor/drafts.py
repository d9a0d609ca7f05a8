"""The draft of a form: made from its current version on the first change, changed only by a page
opened at its latest revision, so two administrators editing at once never overwrite each other."""

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import func, select, update

from qaf.database import run_write_transaction
from qaf.editor.transfer import file_definition
from qaf.extensions import db
from qaf.forms_registry import all_forms, file_forms
from qaf.formspec import FormSpec, SpecError
from qaf.formspec.loader import check_definition
from qaf.models import FormDraft, FormPublication, User, utc_now


class StaleDraft(Exception):
    """The draft was changed by someone else after the page was opened: nothing was saved."""

    def __init__(self, draft: FormDraft):
        super().__init__(draft.form_key)
        self.updated_by = draft.updated_by.name if draft.updated_by else "someone"
        self.updated_at = draft.updated_at


@dataclass(frozen=True)
class CurrentVersion:
    """What a form's answers are given against now: its newest publication, or its file."""

    definition: dict[str, Any]
    publication: FormPublication | None
    digest: str


def form_or_404(form_key: str) -> FormSpec:
    """A form (or template) the editor can open: one that is answered now."""
    spec = all_forms().get(form_key)
    if spec is None:
        abort(404)
    return spec


def newest_publication(form_key: str) -> FormPublication | None:
    query = select(FormPublication).where(FormPublication.form_key == form_key)
    return db.session.scalar(query.order_by(FormPublication.number.desc()).limit(1))


def publication_or_404(form_key: str, number: int) -> FormPublication:
    found: FormPublication | None = db.session.scalar(
        select(FormPublication).where(FormPublication.form_key == form_key, FormPublication.number == number)
    )
    if found is None:
        abort(404)
    return found


def publications(form_key: str) -> list[FormPublication]:
    """Every published version of a form, newest first."""
    query = select(FormPublication).where(FormPublication.form_key == form_key)
    return list(db.session.scalars(query.order_by(FormPublication.number.desc())))


def publication_counts() -> dict[str, int]:
    query = select(FormPublication.form_key, func.max(FormPublication.number)).group_by(FormPublication.form_key)
    return {key: number for key, number in db.session.execute(query)}


def current_version(form_key: str) -> CurrentVersion:
    publication = newest_publication(form_key)
    if publication is not None:
        return CurrentVersion(publication.definition, publication, publication.digest)
    spec = file_forms()[form_key]
    return CurrentVersion(file_definition(spec), None, spec.digest)


def draft_for(form_key: str) -> FormDraft | None:
    return db.session.scalar(select(FormDraft).where(FormDraft.form_key == form_key))


def draft_keys() -> set[str]:
    return set(db.session.scalars(select(FormDraft.form_key)))


def open_draft(form_key: str, user: User | None, definition: dict[str, Any] | None = None) -> FormDraft:
    """The form's draft, made from its current version (or from ``definition``) if it has none."""

    def work() -> int:
        found = draft_for(form_key)
        if found is not None:
            return found.id
        current = current_version(form_key)
        draft = FormDraft(
            form_key=form_key,
            definition=copy.deepcopy(definition if definition is not None else current.definition),
            based_on_publication_id=current.publication.id if current.publication else None,
            based_on_digest=current.digest,
            revision=1,
            updated_by_id=user.id if user else None,
            updated_at=utc_now(),
        )
        db.session.add(draft)
        db.session.flush()
        return draft.id

    draft_id = run_write_transaction(work)
    draft = db.session.get(FormDraft, draft_id)
    assert draft is not None
    return draft


def draft_or_404(form_key: str) -> FormDraft:
    found = draft_for(form_key)
    if found is None:
        abort(404)
    return found


def change_draft(form_key: str, revision: int, user: User | None, change: Callable[[dict[str, Any]], None]) -> int:
    """Apply ``change`` to the draft the page was opened at (``revision``); the new revision.

    Raises ``StaleDraft``, saving nothing, if the draft has moved on since (or was published).
    """

    def work() -> int:
        draft = draft_for(form_key)
        if draft is None or draft.revision != revision:
            raise StaleDraft(draft) if draft is not None else published_meanwhile(form_key)
        definition = copy.deepcopy(draft.definition)
        change(definition)
        # Only the revision the page was opened at is overwritten, even by a save that started at the same moment.
        saved = db.session.execute(
            update(FormDraft)
            .where(FormDraft.id == draft.id, FormDraft.revision == revision)
            .values(
                definition=definition,
                revision=revision + 1,
                updated_by_id=user.id if user else None,
                updated_at=utc_now(),
            )
            .execution_options(synchronize_session=False)
        )
        if saved.rowcount != 1:  # type: ignore[attr-defined]
            db.session.expire(draft)
            raise StaleDraft(draft)
        return revision + 1

    try:
        return run_write_transaction(work)
    finally:
        db.session.expire_all()


def published_meanwhile(form_key: str) -> StaleDraft:
    gone = FormDraft(form_key=form_key, definition={}, based_on_digest="", revision=0, updated_at=utc_now())
    return StaleDraft(gone)


def discard_draft(form_key: str, revision: int) -> None:
    def work() -> None:
        draft = draft_for(form_key)
        if draft is None or draft.revision != revision:
            raise StaleDraft(draft) if draft is not None else published_meanwhile(form_key)
        db.session.delete(draft)

    run_write_transaction(work)


def draft_name(form_key: str) -> str:
    """How messages name the draft, in place of a file name."""
    return f"the draft of {form_key}"


def checked_draft(draft: FormDraft) -> tuple[FormSpec | None, SpecError | None]:
    """The draft as the loader sees it: its definition, or every problem it has."""
    try:
        return check_definition(draft.definition, draft_name(draft.form_key)), None
    except SpecError as error:
        return None, error
