"""Per-person targets: each person's own due work, the audits they did for it, and their year.

Seed 004 (3.2, 3.3): every manager completes one collaborative practice evaluation a month, in
areas both inside and outside their direct line of responsibility. An activity done by each
person makes one piece of due work per person per period (``qaf.programme.schedule``). The
person starts the audit from their work (``/audits/new?work=<id>``): that records the audit
against the work, and whether its team was inside their line (``inside_line``). The first audit
recorded against the work that is submitted completes it, on the day it is submitted. Nothing
here uses samples, allocations or monthly quotas.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Activity, ActivityWork, Audit, Team, User, WorkAudit
from qaf.policy import works_in
from qaf.reports.periods import period_containing


def inside_line(person: User, team: Team) -> bool:
    """Whether ``team`` is inside ``person``'s direct line of responsibility (seed 004, 3.3).

    Their own team; any team of their service for a service manager; anywhere for a QA
    administrator: the same part of the organisation they audit without an allocation.
    """
    return works_in(person, team)


def work_for_audit(person: User, work_id: int) -> ActivityWork | None:
    """The person's own work, not yet done, that an audit may be started for; None if it is not theirs."""
    work = db.session.get(ActivityWork, work_id)
    if work is None or work.completed_on is not None:
        return None
    spec = all_forms().get(work.activity.form_key or "")
    if spec is None or spec.audience != "auditor":
        return None
    if not any(assignee.id == person.id for assignee in work.assignees):
        return None
    return work


def record_work_audit(work: ActivityWork, audit: Audit, auditor: User) -> WorkAudit:
    """Record the audit against the work, in the caller's write transaction."""
    link = WorkAudit(audit_id=audit.id, work_id=work.id, inside_line=inside_line(auditor, audit.team))
    db.session.add(link)
    db.session.flush()
    return link


def complete_work_of(audit: Audit, on: date) -> None:
    """When an audit recorded against work is submitted, the work (if not done yet) is done that day."""
    link = db.session.get(WorkAudit, audit.id)
    if link is not None and link.work.completed_on is None:
        link.work.completed_on = on


@dataclass
class PersonYear:
    """One person's own work in a year: each period's piece (None where they had none), and their audits."""

    person: User
    work: list[ActivityWork | None]
    inside: int = 0
    outside: int = 0

    @property
    def done(self) -> int:
        return sum(1 for piece in self.work if piece is not None and piece.completed_on is not None)

    @property
    def due(self) -> int:
        return sum(1 for piece in self.work if piece is not None)

    @property
    def both_lines(self) -> bool:
        return self.inside > 0 and self.outside > 0


@dataclass
class TargetYear:
    name: str
    periods: list[tuple[date, date]] = field(default_factory=list)
    people: list[PersonYear] = field(default_factory=list)


def target_year(activity: Activity, today: date, year_start_month: int) -> TargetYear:
    """Who has done their own work for each period of the financial year holding ``today``, and whether
    their submitted audits for it were both inside and outside their line."""
    year = period_containing(today, year_start_month, "year")
    work = db.session.scalars(
        select(ActivityWork)
        .where(
            ActivityWork.activity_id == activity.id,
            ActivityWork.person_id.is_not(None),
            ActivityWork.period_start >= year.first_day,
            ActivityWork.period_start <= year.last_day,
        )
        .options(
            selectinload(ActivityWork.person),
            selectinload(ActivityWork.audits).selectinload(WorkAudit.audit),
        )
        .order_by(ActivityWork.period_start)
    ).all()
    periods = sorted({(piece.period_start, piece.period_end) for piece in work})
    column = {period: index for index, period in enumerate(periods)}
    people: dict[int, PersonYear] = {}
    for piece in work:
        assert piece.person is not None
        row = people.setdefault(piece.person.id, PersonYear(piece.person, [None] * len(periods)))
        row.work[column[(piece.period_start, piece.period_end)]] = piece
        for link in piece.audits:
            if link.audit.status == "submitted":
                if link.inside_line:
                    row.inside += 1
                else:
                    row.outside += 1
    return TargetYear(year.name, periods, sorted(people.values(), key=lambda row: row.person.name))
