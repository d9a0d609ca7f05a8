"""One-time invitation links for families: created singly or from a CSV, used once, expiring, cancelled."""

import hashlib
import io
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, delete, func, select, update

from qaf.case_reference import PATTERN
from qaf.contacts import CHANNEL_NAMES, contact
from qaf.csv_upload import Column, CSVFile, Problems, shown
from qaf.extensions import db
from qaf.formspec.spec import STAGES
from qaf.links import public_url
from qaf.mail import withdraw_messages
from qaf.models import Invitation, PostClosureDue, Team, User, utc_now
from qaf.organisation import team_ids_by_name

CASE_REFERENCE = re.compile(PATTERN)
CSV_COLUMNS = (
    Column("case_reference", True, aliases=("reference", "case ref", "case number")),
    Column("stage", True, aliases=("feedback stage",)),
    Column("team", True, aliases=("team name", "team slug")),
    Column("form", aliases=("feedback form", "form key")),
    Column(
        "contact",
        aliases=("mobile or email", "mobile", "mobile number", "phone", "phone number", "email", "email address"),
    ),
)
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
    if stage == "closure":
        # The case's post-closure feedback (qaf/programme/post_closure.py) is made: it waits no longer.
        db.session.execute(
            delete(PostClosureDue).where(
                PostClosureDue.case_reference == invitation.case_reference, PostClosureDue.team_id == team_id
            )
        )
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
    if cancelled.rowcount != 1:  # type: ignore[attr-defined]
        return False
    withdraw_messages(invitation.id)
    return True


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
    # ("sms", number) or ("email", address) to send the link to; None: a slip to print.
    contact: tuple[str, str] | None = None


@dataclass(frozen=True)
class InvitationFile:
    rows: list[InvitationRow]
    # The file's headings that are no column, as written: read past.
    ignored: list[str]


class CSVProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_invitation_csv(
    data: bytes,
    *,
    forms: set[str],
    default_form: str,
    teams_allowed: Collection[int],
    channels: Collection[str] = (),
) -> InvitationFile:
    """Check a whole CSV of case references; every problem is reported with its line, and none is half-read.

    Read as every uploaded CSV is (qaf/csv_upload.py): Excel's encodings, headings as people
    write them, empty rows skipped, other columns ignored. ``teams_allowed`` are the ids of the
    teams the worker may invite families for; a row naming another team is a problem like any
    other, so nothing is made. A ``contact`` (a UK mobile number or an email address) sends the
    link that way when its channel is in ``channels``; a row without one gets a slip.
    """
    found = Problems(kept=MOST_ROWS + 1)
    file = CSVFile(io.BytesIO(data), CSV_COLUMNS, found)
    teams = team_ids_by_name()
    rows = []
    for line, values in file.rows():
        reference, stage = values["case_reference"], values["stage"].lower()
        team, form = values["team"], values["form"].lower() or default_form
        before = found.count
        if not CASE_REFERENCE.fullmatch(reference):
            found.add(line, f"the case reference '{reference[:40]}' must be letters, numbers, - / _")
        if stage not in dict(STAGES):
            found.add(line, f"the stage '{stage[:20]}' must be assessment, review or closure")
        team_id = teams.get(team.casefold())
        if team_id is None:
            found.add(line, f"there is no team '{team[:60]}'")
        elif team_id not in teams_allowed:
            found.add(line, f"you cannot make invitations for the team '{team}', only for your own")
        if form not in forms:
            found.add(line, f"there is no family form '{form[:60]}'")
        reach = _contact(line, values["contact"], channels, found)
        if found.count == before and team_id is not None:
            rows.append(InvitationRow(line, reference, stage, team_id, form, reach))
        if len(rows) + found.count > MOST_ROWS:
            break
    found.finish()
    problems = found.messages
    if not rows and not problems:
        problems.append("The file has no rows under its header")
    if len(rows) + found.count > MOST_ROWS:
        problems.append(f"The file has more than {MOST_ROWS} rows: split it into smaller files")
    if problems:
        raise CSVProblems(problems)
    return InvitationFile(rows, file.ignored)


def _contact(line: int, typed: str, channels: Collection[str], found: Problems) -> tuple[str, str] | None:
    """A row's contact, checked; a problem is added for one that is wrong or cannot be sent here."""
    if not typed.strip():
        return None
    reach = contact(typed)
    if reach is None:
        found.add(line, f"the contact '{shown(typed, 20)}' is not a UK mobile number or an email address")
    elif reach[0] not in channels:
        how = CHANNEL_NAMES[reach[0]]
        cannot = f"links cannot be sent by {how} here (GOV.UK Notify is not set up)"
        found.add_in_column(
            "contact",
            line,
            typed,
            f"{cannot}: leave the contact empty to print a slip",
            many=f"{{rows}} rows have a contact, but {cannot}: leave the column empty to print slips",
        )
        return None
    return reach
