"""The schedule's due work: made from the activities, and how much of it was done on time."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import selectinload

from qaf.extensions import db
from qaf.models import Activity, ActivityWork, Sample, Service, Team, User, WorkAudit, utc_now
from qaf.models.programme import work_assignee
from qaf.organisation import works_in_services
from qaf.programme.periods import financial_quarter, periods
from qaf.programme.targets import inside_line

HORIZON_DAYS = 366


def year_start_month() -> int:
    return int(current_app.config.get("FINANCIAL_YEAR_START_MONTH", 4))


def teams_in_scope(activity: Activity) -> list[Team]:
    if activity.team_id is not None:
        return [activity.team] if activity.team else []
    query = select(Team).order_by(Team.name)
    if activity.services:
        query = query.where(Team.service_id.in_(activity.service_ids))
    return list(db.session.scalars(query))


def assignees_for(activity: Activity, team: Team | None) -> list[User]:
    """The named people, and everyone with the activity's role in the team, services or council it is for."""
    people = {person.id: person for person in activity.people if person.active}
    if activity.who_role:
        query = select(User).where(User.active.is_(True), User.role == activity.who_role)
        if team is not None:
            query = query.where(User.team_id == team.id)
        elif activity.services:
            query = query.where(works_in_services(activity.service_ids))
        for person in db.session.scalars(query):
            people.setdefault(person.id, person)
    return sorted(people.values(), key=lambda person: person.name)


def make_due_work(activity: Activity, until: date) -> int:
    """Add the due work for every period up to ``until`` that has none yet; returns how many were added.

    One piece for the activity's scope, one for each team in scope, or one for each person who does
    it (their own, with them as its only assignee, in their team). Nobody is given work that was due
    before the activity was added to QAF, nor before they were.
    """
    existing = set(
        db.session.execute(
            select(ActivityWork.period_start, ActivityWork.team_id, ActivityWork.person_id).where(
                ActivityWork.activity_id == activity.id
            )
        )
    )
    added_on = (activity.created_at or utc_now()).date()
    pieces = _pieces(activity, added_on)
    added = 0
    for number, (start, end) in enumerate(
        periods(
            activity.frequency, activity.starts_on, until, ends_on=activity.ends_on, year_start_month=year_start_month()
        )
    ):
        for piece in pieces:
            if end < piece.from_day or (start, piece.team_id, piece.person_id) in existing:
                continue
            db.session.add(
                ActivityWork(
                    activity_id=activity.id,
                    period_start=start,
                    period_end=end,
                    due_date=end,
                    team_id=piece.team_id,
                    service_id=piece.service_id,
                    person_id=piece.person_id,
                    assignees=piece.assignees_for_period(number),
                )
            )
            added += 1
    db.session.flush()
    return added


@dataclass
class _Piece:
    """What one piece of an activity's work is made for, each period, and who does it."""

    team_id: int | None
    service_id: int | None
    person_id: int | None
    assignees: list[User]
    from_day: date
    # People taking the work in turn, one a period (from ``offset``), instead of ``assignees``.
    rotation: list[User] = field(default_factory=list)
    offset: int = 0

    def assignees_for_period(self, number: int) -> list[User]:
        if not self.rotation:
            return list(self.assignees)
        return [self.rotation[(self.offset + number) % len(self.rotation)]]


def _pieces(activity: Activity, added_on: date) -> list[_Piece]:
    if activity.each_person:
        return [
            _Piece(
                person.team_id,
                person.service_id,
                person.id,
                [person],
                max(added_on, (person.created_at or utc_now()).date()),
            )
            for person in assignees_for(activity, activity.team)
        ]
    scope: list[Team | None] = list(teams_in_scope(activity)) if activity.each_team else [activity.team]
    if activity.each_team and activity.allocation_line == "outside_line":
        # Peer audit across teams (Kent: a unit meeting is audited by another unit): each team's work
        # goes to one person from outside its line, a different one each period where there are several.
        pool = assignees_for(activity, None)
        return [
            _Piece(
                team.id,
                team.service_id,
                None,
                [],
                added_on,
                rotation=[person for person in pool if not inside_line(person, team)],
                offset=index,
            )
            for index, team in enumerate(scope)
            if team is not None
        ]
    return [
        _Piece(
            team.id if team is not None else None,
            team.service_id if team is not None else _only_service(activity),
            None,
            assignees_for(activity, team),
            added_on,
        )
        for team in scope
    ]


def _only_service(activity: Activity) -> int | None:
    """The service whole-scope work counts under: the activity's service, if it has just one."""
    return activity.services[0].id if len(activity.services) == 1 else None


def replan(activity: Activity, today: date) -> int:
    """After an activity changes: future work not yet done is made again from the new schedule.

    Work already done, past work and work with a sample drawn or an audit started for it are kept as they are.
    """
    sampled = select(Sample.work_id).where(Sample.work_id.is_not(None))
    audited = select(WorkAudit.work_id)
    replaced = list(
        db.session.scalars(
            select(ActivityWork.id).where(
                ActivityWork.activity_id == activity.id,
                ActivityWork.completed_on.is_(None),
                ActivityWork.due_date >= today,
                ActivityWork.id.not_in(sampled),
                ActivityWork.id.not_in(audited),
            )
        )
    )
    if replaced:
        db.session.execute(delete(work_assignee).where(work_assignee.c.work_id.in_(replaced)))
        db.session.execute(
            delete(ActivityWork).where(ActivityWork.id.in_(replaced)).execution_options(synchronize_session=False)
        )
    db.session.expire_all()
    return make_due_work(activity, today + timedelta(days=HORIZON_DAYS))


def make_all_due_work(today: date) -> int:
    """Top up every activity's due work to a year ahead (run daily by send-reminders)."""
    until = today + timedelta(days=HORIZON_DAYS)
    return sum(make_due_work(activity, until) for activity in db.session.scalars(select(Activity)))


def current_work(activity: Activity, today: date) -> ActivityWork | None:
    """The activity's work for the period holding ``today`` (or, after its last period, its latest work)."""
    query = (
        select(ActivityWork)
        .where(ActivityWork.activity_id == activity.id, ActivityWork.period_start <= today)
        .order_by(ActivityWork.period_start.desc(), ActivityWork.team_id)
        .limit(1)
    )
    return db.session.scalar(query)


@dataclass
class Completion:
    """Work due in a period: done on time, done late, not done, and still to come."""

    label: str
    on_time: int = 0
    late: int = 0
    not_done: int = 0
    to_come: int = 0

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.not_done

    @property
    def percent_on_time(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None

    def add(self, other: "Completion") -> None:
        self.on_time += other.on_time
        self.late += other.late
        self.not_done += other.not_done
        self.to_come += other.to_come


@dataclass
class PeriodCompletion:
    name: str
    start: date
    end: date
    total: Completion
    by_activity: list[Completion] = field(default_factory=list)
    by_service: list[Completion] = field(default_factory=list)
    by_team: list[Completion] = field(default_factory=list)


def completion(start: date, end: date, name: str, today: date) -> PeriodCompletion:
    """How much of the work due from ``start`` to ``end`` was done on time, by activity, service and team.

    Work counts once it is due (its due date has passed) or done; work due later is "to come".
    """
    done_on_time = case((ActivityWork.completed_on <= ActivityWork.due_date, 1), else_=0)
    done_late = case((ActivityWork.completed_on > ActivityWork.due_date, 1), else_=0)
    missed = case((ActivityWork.completed_on.is_(None) & (ActivityWork.due_date < today), 1), else_=0)
    coming = case((ActivityWork.completed_on.is_(None) & (ActivityWork.due_date >= today), 1), else_=0)
    query = (
        select(
            Activity.name,
            func.coalesce(Service.name, "Every service"),
            func.coalesce(Team.name, "Whole service or council"),
            func.sum(done_on_time),
            func.sum(done_late),
            func.sum(missed),
            func.sum(coming),
        )
        .select_from(ActivityWork)
        .join(Activity, ActivityWork.activity_id == Activity.id)
        .outerjoin(Service, ActivityWork.service_id == Service.id)
        .outerjoin(Team, ActivityWork.team_id == Team.id)
        .where(ActivityWork.due_date >= start, ActivityWork.due_date <= end)
        .group_by(Activity.name, Service.name, Team.name)
    )
    total = Completion("All activities")
    groups: list[dict[str, Completion]] = [{}, {}, {}]
    for activity_name, service_name, team_name, *counts in db.session.execute(query):
        part = Completion("", *(int(count or 0) for count in counts))
        total.add(part)
        for index, label in enumerate((activity_name, service_name, team_name)):
            groups[index].setdefault(label, Completion(label)).add(part)
    by_activity, by_service, by_team = ([group[label] for label in sorted(group)] for group in groups)
    return PeriodCompletion(name, start, end, total, by_activity, by_service, by_team)


def current_and_previous_quarter(today: date) -> list[PeriodCompletion]:
    name, start, end = financial_quarter(today, year_start_month())
    previous_name, previous_start, previous_end = financial_quarter(start - timedelta(days=1), year_start_month())
    return [completion(start, end, name, today), completion(previous_start, previous_end, previous_name, today)]


def overdue_work(today: date, limit: int = 50) -> tuple[list[ActivityWork], int]:
    """The most recently overdue work, and how much is overdue in all."""
    condition = (ActivityWork.completed_on.is_(None), ActivityWork.due_date < today)
    count = db.session.scalar(select(func.count()).select_from(ActivityWork).where(*condition)) or 0
    rows = db.session.scalars(
        select(ActivityWork)
        .where(*condition)
        .options(
            selectinload(ActivityWork.activity), selectinload(ActivityWork.team), selectinload(ActivityWork.assignees)
        )
        .order_by(ActivityWork.due_date.desc(), ActivityWork.id)
        .limit(limit)
    ).all()
    return list(rows), count


def next_due_by_activity(today: date) -> dict[int, Any]:
    """Each activity's next due date for work not done yet, and how much of its work is overdue."""
    query = (
        select(
            ActivityWork.activity_id,
            func.min(case((ActivityWork.due_date >= today, ActivityWork.due_date))),
            func.sum(case((ActivityWork.due_date < today, 1), else_=0)),
        )
        .where(ActivityWork.completed_on.is_(None))
        .group_by(ActivityWork.activity_id)
    )
    return {activity_id: (next_due, int(overdue or 0)) for activity_id, next_due, overdue in db.session.execute(query)}
