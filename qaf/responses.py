"""Storing responses: one way for every kind of form, one transaction each."""

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.mail import withdraw_messages
from qaf.models import FormVersion, Invitation, Response, utc_now

# One prepared Core insert: none of the unit of work's bookkeeping on the busiest path.
_INSERT_RESPONSE = insert(Response.__table__).returning(Response.__table__.c.id)


class InvitationUsed(Exception):
    """The invitation was answered (or expired) before this submission could use it."""


def _form_version_ids() -> dict[str, int]:
    return current_app.extensions.setdefault("qaf_form_version_ids", {})  # type: ignore[no-any-return]


def ensure_form_version(spec: FormSpec) -> int:
    """The id of the stored snapshot of ``spec``, adding it the first time it is used.

    Runs inside the caller's transaction; callers remember the id only once it commits.
    """
    known = _form_version_ids()
    if spec.digest in known:
        return known[spec.digest]
    query = select(FormVersion.id).where(FormVersion.form_key == spec.key, FormVersion.digest == spec.digest)
    version_id = db.session.scalar(query)
    if version_id is None:
        try:
            with db.session.begin_nested():
                version = FormVersion(
                    form_key=spec.key, version=spec.version, digest=spec.digest, title=spec.title, spec=spec.snapshot()
                )
                db.session.add(version)
            version_id = version.id
        except IntegrityError:
            # Another process added the same snapshot a moment ago.
            version_id = db.session.scalar(query)
    assert version_id is not None
    return version_id


def register_form_versions(specs: dict[str, FormSpec]) -> None:
    """Store a snapshot of every current definition (run by init-db)."""

    def work() -> dict[str, int]:
        return {spec.digest: ensure_form_version(spec) for spec in specs.values()}

    _form_version_ids().update(run_write_transaction(work))


def store_response(
    spec: FormSpec,
    answers: dict[str, Any],
    *,
    team_id: int | None,
    stage: str | None,
    is_demo: bool = False,
    submitted_at: datetime | None = None,
    invitation_id: int | None = None,
    round_id: int | None = None,
    case_reference: str | None = None,
    submission_id: str | None = None,
) -> int:
    """Write one response, with the version it was answered against, and return its id.

    Through an invitation, the invitation is used up in the same transaction: if it was
    already used (or has just expired, or was cancelled) nothing is stored and ``InvitationUsed``
    is raised. The response keeps no link to the invitation, and the invitation no time; on a
    form that does not keep the case reference the invitation forgets its case and its worker.
    A ``submission_id`` already stored (the same page sent again after a lost reply) stores
    nothing more: the id of the response it stored is returned.
    """
    if case_reference and not spec.keep_case_reference:
        case_reference = None
    respondent_type: str | None
    if spec.respondent_type:
        respondent_type = spec.respondent_type
    else:
        respondent_type = answers.get(spec.respondent_question) if spec.respondent_question else None

    def work() -> tuple[int | None, int]:
        if invitation_id is not None and not _claim(invitation_id, forget_case=not spec.keep_case_reference):
            # A resend of the page that answered it finds it used: thank them for the first send.
            stored = stored_submission(submission_id)
            if stored is None:
                raise InvitationUsed
            return None, stored
        version_id = ensure_form_version(spec)
        row = {
            "form_key": spec.key,
            "form_version_id": version_id,
            "team_id": team_id,
            "stage": stage,
            "respondent_type": respondent_type,
            "answers": answers,
            "is_demo": is_demo,
            "submitted_at": submitted_at or utc_now(),
            "round_id": round_id,
            "case_reference": case_reference,
            "submission_id": submission_id,
        }
        return version_id, db.session.execute(_INSERT_RESPONSE, row).scalar_one()

    try:
        version_id, response_id = run_write_transaction(work)
    except IntegrityError:
        # The same page sent again (a resend after a lost reply, or twice at once): the unique
        # submission id refused the second copy, so thank them for the one already stored.
        stored = stored_submission(submission_id)
        if stored is None:
            raise
        return stored
    if version_id is not None:
        _form_version_ids()[spec.digest] = version_id
    return response_id


def _claim(invitation_id: int, *, forget_case: bool) -> bool:
    """Use up an invitation still waiting, in the caller's transaction; False if it cannot be used."""
    forget = {"case_reference": None, "created_by_id": None} if forget_case else {}
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation_id,
            Invitation.answered.is_(False),
            Invitation.cancelled_at.is_(None),
            Invitation.expires_at >= utc_now(),
        )
        .values(answered=True, **forget)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # A used link is reminded of never: the family's number or address goes with the answer's transaction.
    withdraw_messages(invitation_id)
    return True


def stored_submission(submission_id: str | None) -> int | None:
    """The response already stored from the page with this submission id, if any."""
    if submission_id is None:
        return None
    return db.session.scalar(select(Response.id).where(Response.submission_id == submission_id))
