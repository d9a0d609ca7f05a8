"""Post-closure feedback (Cumbria): an imported case list's newly closed cases invited to give feedback.

Each import draws from the cases it finds newly closed (new with a closing date, or stored open and
now closed) within the QA team's number of days: each is chosen with the QA team's percentage as its
chance, by ``random.Random(seed)`` over the cases in reference order, so the import's recorded seed
draws the same cases again. A chosen case whose file gave a contact is sent its link at once (the
contact goes only into the messages, which forget it once sent); the rest wait for their workers on
the invitations page, until a closure invitation is made for them.
"""

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select

from qaf.audit_log import record_event
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.invitation_messages import channels_available, send_link
from qaf.invitations import NewInvitation, create_invitation
from qaf.models import PostClosureDue, PostClosureSetting, User, utc_now

STAGE = "closure"


def current_setting() -> PostClosureSetting:
    """The QA team's setting, or the default (off) if they never saved one; not added to the session."""
    found = db.session.get(PostClosureSetting, 1)
    return found or PostClosureSetting(id=1, enabled=False, percent=100, form_key="closure", within_days=28)


def save_setting(*, enabled: bool, percent: int, form_key: str, within_days: int, by: User) -> None:
    """Keep the QA team's setting, in the caller's transaction; every later import draws by it."""
    setting = db.session.get(PostClosureSetting, 1) or PostClosureSetting(id=1)
    setting.enabled, setting.percent, setting.form_key, setting.within_days = enabled, percent, form_key, within_days
    setting.updated_at, setting.updated_by_id = utc_now(), by.id
    db.session.add(setting)
    state = f"on: {percent}% of cases closed in the last {within_days} days, form {form_key}" if enabled else "off"
    record_event("post_closure_changed", f"Post-closure feedback {state}", actor=by)


@dataclass(frozen=True)
class ClosedCase:
    reference: str
    team_id: int
    closed_on: date
    # ("sms", number) or ("email", address) from the file, or None.
    contact: tuple[str, str] | None


@dataclass(frozen=True)
class PostClosureDraw:
    """What an import's draw did: its share and seed, the newly closed cases found, chosen and sent."""

    percent: int
    seed: int
    found: int
    chosen: int
    sent: int

    @property
    def listed(self) -> int:
        return self.chosen - self.sent


class NewlyClosed:
    """The cases an import finds newly closed, noted as its batches go (the setting on), for ``invite``."""

    def __init__(self, setting: PostClosureSetting, today: date):
        self.setting = setting
        self.since = today - timedelta(days=setting.within_days)
        self.cases: list[ClosedCase] = []

    def note(self, row: dict[str, object], contact: tuple[str, str] | None, closed_before: date | None) -> None:
        """A row of the file; ``closed_before`` is the case's closing date as stored (None: open, or new)."""
        closed_on = row["closed_on"]
        if isinstance(closed_on, date) and closed_before is None and closed_on >= self.since:
            assert isinstance(row["reference"], str)
            assert isinstance(row["team_id"], int)
            self.cases.append(ClosedCase(row["reference"], row["team_id"], closed_on, contact))

    def invite(self, *, seed: int, import_id: int | None, by: User | None) -> PostClosureDraw:
        """Draw the share, send the chosen cases' links where there is a contact, list the rest (caller's transaction).

        Nothing is sent without ``by`` (an import from the command line: nobody made the links) or a
        way to send that contact's channel here: those cases are listed for their workers instead.
        """
        chance = random.Random(seed)  # noqa: S311  # a draw to repeat from its seed, not a secret
        percent, form_key = self.setting.percent, self.setting.form_key
        chosen = [
            case for case in sorted(self.cases, key=lambda case: case.reference) if chance.random() * 100 < percent
        ]
        channels = {channel for channel, available in channels_available().items() if available}
        spec = all_forms().get(form_key)
        sent = 0
        for case in chosen:
            if case.contact is not None and case.contact[0] in channels and by is not None and spec is not None:
                new = create_invitation(
                    form_key=form_key, team_id=case.team_id, stage=STAGE, case_reference=case.reference, by=by
                )
                send_link(new, *case.contact, minutes=spec.minutes)
                sent += 1
            else:
                db.session.add(
                    PostClosureDue(
                        case_import_id=import_id,
                        case_reference=case.reference,
                        team_id=case.team_id,
                        closed_on=case.closed_on,
                        form_key=form_key,
                    )
                )
        found = len(self.cases)
        self.cases.clear()  # the contacts go with them
        return PostClosureDraw(percent, seed, found=found, chosen=len(chosen), sent=sent)


def due_for(team_ids: Collection[int], most: int = 200) -> list[PostClosureDue]:
    """The newly closed cases of these teams waiting for their workers to make the link, longest closed first."""
    query = (
        select(PostClosureDue)
        .where(PostClosureDue.team_id.in_(team_ids))
        .order_by(PostClosureDue.closed_on, PostClosureDue.case_reference)
        .limit(most)
    )
    return list(db.session.scalars(query))


def make_due_link(due_id: int, by: User) -> NewInvitation | None:
    """Make the link a listed case waits for, in the caller's transaction; None if someone made it first."""
    due = db.session.get(PostClosureDue, due_id)
    if due is None:
        return None
    form_key, team_id, case_reference = due.form_key, due.team_id, due.case_reference
    taken = db.session.execute(delete(PostClosureDue).where(PostClosureDue.id == due_id))
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # made by someone else since it was read
        return None
    return create_invitation(form_key=form_key, team_id=team_id, stage=STAGE, case_reference=case_reference, by=by)
