"""Publishing a draft: checked by the loader, stored as the form's next numbered version (never
changed again), written to the audit log, and answered from the next page load on every server."""

import copy
from dataclasses import dataclass

from flask import g
from sqlalchemy import func, select

from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.editor.drafts import StaleDraft, draft_for, published_meanwhile
from qaf.extensions import db
from qaf.forms_registry import file_forms, publication_name
from qaf.formspec import FormSpec, SpecError
from qaf.formspec.diff import describe_changes
from qaf.formspec.loader import check_definition
from qaf.models import FormDraft, FormPublication, User, utc_now


@dataclass(frozen=True)
class Published:
    number: int
    spec: FormSpec


def publish_changes(current: FormSpec, draft: FormSpec) -> list[str]:
    """What publishing ``draft`` over ``current`` changes, in words, one change a line."""
    return describe_changes(current, draft)


def publish_draft(form_key: str, revision: int, user: User) -> Published:
    """The draft the page showed (``revision``) as the next version; ``StaleDraft`` if it has changed
    since, ``SpecError`` with every problem if the loader refuses it. Nothing is stored on either."""

    def work() -> Published:
        draft = draft_for(form_key)
        if draft is None or draft.revision != revision:
            raise StaleDraft(draft) if draft is not None else published_meanwhile(form_key)
        number = _next_number(form_key)
        definition = copy.deepcopy(draft.definition)
        definition["version"] = number
        spec = check_definition(definition, publication_name(form_key, number))
        if spec.key != form_key:
            raise SpecError([])
        db.session.add(
            FormPublication(
                form_key=form_key,
                number=number,
                definition=definition,
                digest=spec.digest,
                published_by_id=user.id,
                published_at=utc_now(),
            )
        )
        db.session.delete(draft)
        record_event("form_published", f"{spec.title} ({form_key}): version {number}")
        return Published(number, spec)

    published = run_write_transaction(work)
    # This request's forms were read before the publish.
    g.pop("qaf_forms", None)
    return published


def _next_number(form_key: str) -> int:
    """The number after the newest published version's and the starting file's own (when it is a whole
    number), so the file's version 1 and the first one published are never both called 1."""
    published = db.session.scalar(select(func.max(FormPublication.number)).where(FormPublication.form_key == form_key))
    file_version = str(file_forms()[form_key].version)
    return max(published or 0, int(file_version) if file_version.isdigit() else 0) + 1


def draft_from_publication(publication: FormPublication, user: User) -> FormDraft:
    """A new draft holding a published version, to change it: the version itself stays as it was."""
    from qaf.editor.drafts import open_draft

    return open_draft(publication.form_key, user, definition=publication.definition)
