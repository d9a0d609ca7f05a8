"""One-time invitation links for families: created singly or from a CSV, used once, expiring, cancelled."""

import csv
import hashlib
import io
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, func, select, update

from qaf.case_reference import PATTERN
from qaf.extensions import db
from qaf.formspec.spec import STAGES
from qaf.links import public_url
from qaf.models import Invitation, Team, User, utc_now

CASE_REFERENCE = re.compile(PATTERN)
CSV_COLUMNS = ("case_reference", "stage", "team", "form")
MOST_ROWS = 500


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return public_url("public.invitation", token=token)


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made: the only time its link exists outside the family's hands."""

    invitation: Invitation
    link: str


def create_invitation(*, form_key: str, team_id: int, stage: str, case_reference: str, by: User) -> NewInvitation:
    """Add an invitation in the caller's transaction; the token (256 random bits) is returned, never stored."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    invitation = Invitation(
        created_at=now,
        token_hash=token_hash(token),
        form_key=form_key,
        team_id=team_id,
        stage=stage,
        case_reference=case_reference.upper(),
        created_by_id=by.id,
        expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    return NewInvitation(invitation, invitation_link(token))


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, used or not; None for an unknown or tampered token."""
    if not 20 <= len(token) <= 100:
        return None
    found: Invitation | None = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    return found


def cancel_invitation(invitation: Invitation) -> bool:
    """Make a link dead in the caller's transaction; False if it was answered or cancelled first."""
    cancelled = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.answered.is_(False), Invitation.cancelled_at.is_(None))
        .values(cancelled_at=utc_now())
    )
    return bool(cancelled.rowcount == 1)  # type: ignore[attr-defined]


def reissue_invitation(invitation: Invitation, *, by: User) -> NewInvitation | None:
    """Cancel a link and make a new one for the same case, stage and form; None if it was answered first."""
    if invitation.case_reference is None or not cancel_invitation(invitation):
        return None
    return create_invitation(
        form_key=invitation.form_key,
        team_id=invitation.team_id,
        stage=invitation.stage,
        case_reference=invitation.case_reference,
        by=by,
    )


def unanswered_invitations(team_ids: Collection[int], made_by: int | None, most: int = 200) -> list[Invitation]:
    """The latest invitations not answered or cancelled, for these teams (made by ``made_by`` if given)."""
    query = select(Invitation).where(
        Invitation.team_id.in_(team_ids), Invitation.answered.is_(False), Invitation.cancelled_at.is_(None)
    )
    if made_by is not None:
        query = query.where(Invitation.created_by_id == made_by)
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(most)))


@dataclass(frozen=True)
class AnsweredCount:
    team: str
    stage: str
    made: int
    answered: int


def answered_counts(team_ids: Collection[int]) -> list[AnsweredCount]:
    """How many invitations were made and answered, by team and stage: never which ones."""
    answered = func.sum(case((Invitation.answered, 1), else_=0))
    query = (
        select(Team.name, Invitation.stage, func.count(), answered)
        .join(Team, Team.id == Invitation.team_id)
        .where(Invitation.team_id.in_(team_ids), Invitation.cancelled_at.is_(None))
        .group_by(Team.name, Invitation.stage)
    )
    order = {stage: number for number, (stage, _label) in enumerate(STAGES)}
    rows = [AnsweredCount(team, stage, made, int(done or 0)) for team, stage, made, done in db.session.execute(query)]
    return sorted(rows, key=lambda row: (row.team, order.get(row.stage, len(order))))


@dataclass(frozen=True)
class InvitationRow:
    line: int
    case_reference: str
    stage: str
    team_id: int
    form_key: str


class CSVProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_invitation_csv(
    data: bytes, *, forms: set[str], default_form: str, teams_allowed: Collection[int]
) -> list[InvitationRow]:
    """Check a whole CSV of case references; every problem is reported with its line, and none is half-read.

    ``teams_allowed`` are the ids of the teams the worker may invite families for; a row naming
    another team is a problem like any other, so nothing is made.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVProblems(["The file must be a CSV saved as UTF-8"]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("case_reference", "stage", "team") if name not in header]
    if missing:
        raise CSVProblems([f"Line 1: the file needs the columns {', '.join(missing)}"])
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        raise CSVProblems([f"Line 1: unknown column {', '.join(unknown)}; the columns are {', '.join(CSV_COLUMNS)}"])
    reader.fieldnames = header
    teams = {slug: team_id for slug, team_id in db.session.execute(select(Team.slug, Team.id))}
    rows, problems = [], []
    try:
        records = list(enumerate(reader, start=2))
    except csv.Error as error:
        raise CSVProblems([f"Line {reader.line_num + 1}: this line cannot be read as CSV ({error})"]) from None
    for line, record in records:
        values = {key: (value or "").strip() for key, value in record.items() if key}
        reference, stage = values.get("case_reference", ""), values.get("stage", "").lower()
        team, form = values.get("team", "").lower(), values.get("form", "").lower() or default_form
        line_problems = []
        if not CASE_REFERENCE.fullmatch(reference):
            line_problems.append(f"Line {line}: the case reference '{reference[:40]}' must be letters, numbers, - / _")
        if stage not in dict(STAGES):
            line_problems.append(f"Line {line}: the stage '{stage[:20]}' must be assessment, review or closure")
        if team not in teams:
            line_problems.append(f"Line {line}: there is no team '{team[:60]}'")
        elif teams[team] not in teams_allowed:
            line_problems.append(f"Line {line}: you cannot make invitations for the team '{team}', only for your own")
        if form not in forms:
            line_problems.append(f"Line {line}: there is no family form '{form[:60]}'")
        problems += line_problems
        if not line_problems:
            rows.append(InvitationRow(line, reference, stage, teams[team], form))
    if not rows and not problems:
        problems.append("The file has no rows under its header")
    if len(rows) + len(problems) > MOST_ROWS:
        problems.append(f"The file has more than {MOST_ROWS} rows: split it into smaller files")
    if problems:
        raise CSVProblems(problems)
    return rows
