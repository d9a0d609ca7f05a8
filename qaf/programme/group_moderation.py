"""Group moderation (seed 004, 4.6 and 4.7): each month, one collaborative practice evaluation of each
service, drawn at random, is moderated together by the service's managers; the outcome is the audit's
moderation, so the practitioner and their team manager read it where they read the audit.
"""

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.audit_log import record_event
from qaf.audits.workflow import moderate_audit
from qaf.extensions import db
from qaf.models import Allocation, Audit, GroupModeration, PeerReview, Service, Team, User
from qaf.organisation import works_in_service
from qaf.policy import Action, Role, can
from qaf.programme.periods import add_months, month_start
from qaf.reports.periods import local_midnight_utc, uk_date

# The collaborative practice evaluation (forms/audits/practice-evaluation.yaml): what groups moderate
# unless the QA team picks another template.
GROUP_TEMPLATE = "practice-evaluation"
# The list shows this month and the months before it.
MONTHS_SHOWN = 6


def month_name(month: date) -> str:
    return f"{month:%B %Y}"


def candidate_audits(service_id: int, form_key: str, month: date) -> list[Audit]:
    """The service's audits of ``form_key`` submitted in ``month`` (in England) that a group may moderate:
    not moderated, not in a peer review (settled side by side instead) and not drawn for a group already."""
    first_audits = select(PeerReview.first_audit_id)
    second_audits = select(Allocation.audit_id).where(
        Allocation.kind == "peer_review", Allocation.audit_id.is_not(None)
    )
    query = (
        select(Audit)
        .join(Team)
        .where(
            Team.service_id == service_id,
            Audit.form_key == form_key,
            Audit.status == "submitted",
            Audit.moderated_at.is_(None),
            Audit.submitted_at >= local_midnight_utc(month),
            Audit.submitted_at < local_midnight_utc(add_months(month, 1)),
            Audit.id.not_in(first_audits),
            Audit.id.not_in(second_audits),
            Audit.id.not_in(select(GroupModeration.audit_id)),
        )
        .order_by(Audit.id)
    )
    return list(db.session.scalars(query))


def group_moderation_for(service_id: int, month: date) -> GroupModeration | None:
    return db.session.scalar(
        select(GroupModeration).where(GroupModeration.service_id == service_id, GroupModeration.month == month)
    )


def choose_evaluation(
    service: Service, month: date, *, form_key: str, seed: int, by: User | None
) -> GroupModeration | None:
    """Draw the month's audit for the service's group at random with ``seed``, from those submitted in
    ``month``, or in the month before if there were none; store it in the caller's write transaction.
    None when there is nothing to draw from."""
    drawn_from = month
    candidates = candidate_audits(service.id, form_key, month)
    if not candidates:
        drawn_from = add_months(month, -1)
        candidates = candidate_audits(service.id, form_key, drawn_from)
    if not candidates:
        return None
    rng = random.Random(seed)  # noqa: S311 (a draw must be reproducible from its seed; not for security)
    audit = rng.choice(candidates)
    moderation = GroupModeration(
        service_id=service.id,
        month=month,
        form_key=form_key,
        audit_id=audit.id,
        drawn_from=drawn_from,
        seed=seed,
        candidates=len(candidates),
        chosen_by_id=by.id if by else None,
    )
    db.session.add(moderation)
    db.session.flush()
    record_event(
        "group_moderation_chosen",
        f"{service.name}, {month_name(month)}: audit {audit.id} of {len(candidates)} from "
        f"{month_name(drawn_from)} (seed {seed})",
    )
    return moderation


def possible_members(moderation: GroupModeration) -> list[User]:
    """Who may be in the group: the service's managers and the QA team, never the audit's own auditor."""
    query = (
        select(User)
        .where(
            User.active.is_(True),
            User.id != moderation.audit.auditor_id,
            (User.role == Role.QA_ADMIN.value)
            | ((User.role == Role.SERVICE_MANAGER.value) & works_in_service(moderation.service_id)),
        )
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


def held_on_problem(moderation: GroupModeration, held_on: date, today: date) -> str | None:
    if held_on > today:
        return "The date the group met must be today or in the past"
    submitted = uk_date(moderation.audit.submitted_at) if moderation.audit.submitted_at else None
    if submitted is not None and held_on < submitted:
        return f"The date the group met must be on or after {submitted:%-d %B %Y}, when the evaluation was submitted"
    return None


def record_group_moderation(
    moderation: GroupModeration, by: User, *, member_ids: list[int], held_on: date, grade: str, comment: str
) -> None:
    """The group's outcome becomes the audit's moderation (recorded by ``by``; a moderated Inadequate
    alerts as any moderation does), with who was in the group and when it met."""
    assert not moderation.is_recorded
    audit = moderation.audit
    moderate_audit(audit, audit.form_version.as_spec(), by, grade=grade, comment=comment)
    moderation.members = list(db.session.scalars(select(User).where(User.id.in_(member_ids))))
    moderation.held_on = held_on
    moderation.recorded_by_id = by.id
    moderation.recorded_at = audit.moderated_at
    record_event(
        "group_moderation_recorded",
        f"{moderation.service.name}, {month_name(moderation.month)}: audit {audit.id}",
    )


@dataclass(frozen=True)
class GroupModerationRow:
    """One service in one month on the list: not chosen yet, chosen and waiting, or moderated."""

    service: Service
    month: date
    moderation: GroupModeration | None

    @property
    def status(self) -> str:
        if self.moderation is None:
            return "Not chosen yet"
        return "Moderated" if self.moderation.is_recorded else "Chosen, waiting"


def list_months(today: date) -> list[date]:
    this_month = month_start(today)
    return [add_months(this_month, -back) for back in range(MONTHS_SHOWN)]


def services_for(user: User) -> list[Service]:
    """The services whose group moderation ``user`` may run: every one for the QA team, their own otherwise."""
    services = db.session.scalars(select(Service).order_by(Service.name))
    return [service for service in services if can(user, Action.RUN_GROUP_MODERATION, service)]


def moderation_rows(user: User, today: date) -> list[tuple[date, list[GroupModerationRow]]]:
    """Each month shown, newest first, with a row for each of the user's services."""
    months = list_months(today)
    services = services_for(user)
    stored = db.session.scalars(
        select(GroupModeration)
        .where(
            GroupModeration.service_id.in_([service.id for service in services]),
            GroupModeration.month >= months[-1],
        )
        .options(
            selectinload(GroupModeration.audit).selectinload(Audit.form_version),
            selectinload(GroupModeration.audit).selectinload(Audit.team),
            selectinload(GroupModeration.members),
        )
    )
    found = {(moderation.service_id, moderation.month): moderation for moderation in stored}
    return [
        (month, [GroupModerationRow(service, month, found.get((service.id, month))) for service in services])
        for month in months
    ]


def waiting_for(user: User) -> list[GroupModeration]:
    """The chosen group moderations of the user's own service they may record: a service manager's due work."""
    if user.service_id is None:
        return []
    query = (
        select(GroupModeration)
        .where(GroupModeration.service_id == user.service_id, GroupModeration.recorded_at.is_(None))
        .options(selectinload(GroupModeration.service), selectinload(GroupModeration.audit))
        .order_by(GroupModeration.month)
    )
    moderations = db.session.scalars(query)
    return [moderation for moderation in moderations if can(user, Action.RECORD_GROUP_MODERATION, moderation)]
