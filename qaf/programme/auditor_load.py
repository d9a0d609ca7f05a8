"""Who may be given allocations, and how loaded each is: their allocations due in a month against their quota.

Auditors and service managers receive work; so does a QA administrator named on an activity or a
thematic evaluation, or already given allocations (the QA team often audits too).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import selectinload

from qaf.extensions import db
from qaf.models import Allocation, User
from qaf.models.programme import activity_person, thematic_person
from qaf.policy import Role
from qaf.programme.periods import month_start
from qaf.programme.samples import ALLOCATING_ROLES, audits_in_month, quotas


def receives_work() -> ColumnElement[bool]:
    """For a query on User: who may be chosen to audit an allocated case."""
    return or_(
        User.role.in_(ALLOCATING_ROLES),
        and_(
            User.role == Role.QA_ADMIN.value,
            or_(
                User.id.in_(select(activity_person.c.user_id)),
                User.id.in_(select(thematic_person.c.user_id)),
                User.id.in_(select(Allocation.auditor_id)),
            ),
        ),
    )


def allocating_people() -> list[User]:
    """Active staff who receive work, by name, with their teams."""
    query = (
        select(User)
        .where(User.active.is_(True), receives_work())
        .options(selectinload(User.team))
        .order_by(User.name, User.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Load:
    person: User
    due: int
    quota: int | None

    @property
    def full(self) -> bool:
        return self.quota is not None and self.due >= self.quota


def loads(people: list[User], month: date) -> list[Load]:
    """Each person's allocations due in the month holding ``month``, and their monthly quota (None: no limit)."""
    due, limits = audits_in_month(month), quotas()
    return [Load(person, due[person.id], limits.get(person.id)) for person in people]


def month_words(month: date, today: date) -> str:
    return "this month" if month_start(month) == month_start(today) else f"in {month:%B %Y}"


def load_words(load: Load, month: date, today: date) -> str:
    """'3 of 4 this month', '2 due in May 2027': what an auditor has due against their quota."""
    when = month_words(month, today)
    if load.quota is None:
        return f"{load.due} {when}, no quota" if when == "this month" else f"{load.due} due {when}, no quota"
    return f"{load.due} of {load.quota} {when}" if when == "this month" else f"{load.due} of {load.quota} due {when}"


def auditor_options(month: date, today: date, people: list[User] | None = None) -> list[tuple[str, str]]:
    """Who may be given work (or of them, ``people``), as (id, "Name, Team (3 of 4 this month)") options: the
    load in ``month``."""
    return [
        (
            str(load.person.id),
            f"{load.person.name}, {load.person.team.name if load.person.team else 'no team'}"
            f" ({load_words(load, month, today)})",
        )
        for load in loads(allocating_people() if people is None else people, month)
    ]
