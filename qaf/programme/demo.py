"""A demo QA schedule drawn from the seeds' schedules, with pseudonymous demo cases. Never for real data.

Safe to run again: activities are added by name if missing, cases and the thematic evaluation
only into an empty programme, and past work is marked done only for activities added now.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import Activity, ActivityWork, Case, Sample, Service, Team, ThematicEvaluation, User
from qaf.policy import Role
from qaf.programme.activities import save_activity
from qaf.programme.periods import add_months, financial_quarter
from qaf.programme.samples import allocate_sample, draw_sample
from qaf.programme.schedule import current_work, year_start_month

# (method, purpose, frequency, service or services, each, role or roles, template, sample rule, parameters, line).
# "each" is "team" (due work for each team), "person" (for each person who does it) or None (for the whole scope);
# with several roles, the first is the activity's role and the people with the others are named on it.
DEMO_SCHEDULE: list[tuple[Any, ...]] = [
    (
        "RFP practice audit",
        "Camden, Appendix 1: a deep dive into cases to understand whether RFP principles learned in training are "
        "applied, whether practice has a positive impact, and whether the helping process helped. Cases selected at "
        "random; a minimum of one deep audit per supervisor; includes the worker's own reflections.",
        "bi_monthly",
        "Early Help Units",
        None,
        "auditor",
        "rfp-practice-audit",
        "per_supervisor",
        {"per_supervisor": 1, "months": 6},
        "any",
    ),
    (
        "Step up / step down audit",
        "Camden, Appendix 1: the decision making on step ups and step downs between early help and social work. "
        "All step ups and downs from the previous month.",
        "monthly",
        "Early Help Units",
        None,
        "service_manager",
        "step-up-step-down-audit",
        "flagged_previous_month",
        {"flags": ["step_up", "step_down"]},
        "any",
    ),
    (
        "Returning cases audit",
        "Camden, Appendix 1: the factors which led a family to return into the system, and the quality and impact "
        "of the help offered before. All returning families from the previous month.",
        "monthly",
        "Early Help Units",
        None,
        "service_manager",
        "returning-case-audit",
        "flagged_previous_month",
        {"flags": ["returning"]},
        "any",
    ),
    (
        "Audit of intensive case work",
        "Kent EHPS, Appendix B: a six-weekly audit programme of 10% of cases in the last six months, focused on "
        "process and practice, following the journey of the child, young person and family.",
        "six_weekly",
        "Early Help Units",
        None,
        "auditor",
        "ehat-quality-audit",
        "percentage_active",
        {"percent": 10, "months": 6},
        "own_line",
    ),
    (
        "Early Help Assessment dip sample",
        "Cumbria: each month eight Early Help Assessments are audited from across the county, on a theme when asked.",
        "monthly",
        None,
        None,
        "auditor",
        "ehat-quality-audit",
        "fixed_count",
        {"count": 8, "months": 1},
        "any",
    ),
    (
        "Collaborative practice evaluation",
        "Seed 004, 3.2 and 3.3: every manager completes one collaborative practice evaluation a month, in areas "
        "both inside and outside their direct line of responsibility. Each manager has their own piece of work "
        "each month, and starts the evaluation from it.",
        "monthly",
        None,
        "person",
        ("auditor", "service_manager"),
        "practice-evaluation",
        None,
        {},
        "any",
    ),
    (
        "Unit meeting peer audit",
        "Kent EHPS, Appendix B: a monthly peer audit of unit meetings against the framework standard, graded "
        "bronze, silver or gold.",
        "monthly",
        "Early Help Units",
        "team",
        "practitioner",
        "unit-meeting-peer-audit",
        None,
        {},
        # Kent: each unit's meeting is peer audited by another unit.
        "outside_line",
    ),
    (
        "Practice observation",
        "Camden, Appendix 1: practice observations every three months, one per supervisor, by service and team "
        "managers and peers.",
        "quarterly",
        "Early Help Units",
        "team",
        "auditor",
        "practice-observation",
        None,
        {},
        "any",
    ),
    (
        "Safeguarding audit of each centre",
        "Kent EHPS, Appendix B: a yearly safeguarding audit of each children's centre and youth hub, with a checklist.",
        "yearly",
        ("Children's Centres", "Youth Hubs"),
        "team",
        "auditor",
        "safeguarding-checklist",
        None,
        {},
        "any",
    ),
    (
        "Observation and evaluation of group activities",
        "Kent EHPS, Appendix B: a six-monthly audit of each centre and hub, with evaluation feedback of activities.",
        "six_monthly",
        ("Children's Centres", "Youth Hubs"),
        "team",
        "auditor",
        "group-activity-observation",
        None,
        {},
        "any",
    ),
    (
        "Multi-agency audit",
        "Camden, Appendix 1: at least six-monthly, to explore a practice area or theme with other services.",
        "six_monthly",
        None,
        None,
        "service_manager",
        None,
        None,
        {},
        "any",
    ),
    (
        "Partner feedback round",
        "Kent EHPS: partner feedback at least every six months, plus ad hoc.",
        "six_monthly",
        None,
        None,
        "qa_admin",
        None,
        None,
        {},
        "any",
    ),
    (
        "Staff survey",
        "Kent EHPS and Camden: staff surveys that measure change in staff opinion over time.",
        "six_monthly",
        None,
        None,
        "qa_admin",
        None,
        None,
        {},
        "any",
    ),
]

AGENCY_TYPES = ["Early Help Unit", "Health visiting", "School", "Children's centre", "Youth hub"]


def _as_of(day: date, closed: date | None, today: date) -> date | None:
    """A demo case's date of assessment or review: the closing day if it came after, none if it is to come."""
    if closed is not None:
        return min(day, closed)
    return day if day <= today else None


def _demo_cases(rng: random.Random, today: date) -> list[Case]:
    teams = list(db.session.scalars(select(Team).order_by(Team.id)))
    practitioner = db.session.scalar(select(User).where(User.role == "practitioner").order_by(User.id))
    cases = []
    for number in range(1, 401):
        opened = today - timedelta(days=rng.randint(0, 900))
        closed = opened + timedelta(days=rng.randint(30, 500)) if rng.random() < 0.55 else None
        team = rng.choice(teams)
        worker = practitioner if practitioner is not None and team.id == practitioner.team_id else None
        closed = closed if closed is None or closed <= today else None
        assessed = opened + timedelta(days=rng.randint(5, 45))
        reviewed = opened + timedelta(days=rng.randint(50, 200)) if rng.random() < 0.7 else None
        cases.append(
            Case(
                reference=f"DEMO-{number:05d}",
                team_id=team.id,
                worker_id=worker.id if worker else None,
                worker_email=worker.email if worker else "",
                opened_on=opened,
                # As a case system has them: not yet assessed or reviewed if that day is still to come,
                # and a case that closed first was assessed or last reviewed at closing.
                assessed_on=_as_of(assessed, closed, today),
                last_reviewed_on=_as_of(reviewed, closed, today) if reviewed else None,
                closed_on=closed,
                step_up=rng.random() < 0.06,
                step_down=rng.random() < 0.1,
                returning=rng.random() < 0.08,
                agency_type=rng.choice(AGENCY_TYPES),
            )
        )
    return cases


def add_schedule_row(row: tuple[Any, ...], starts_on: date, today: date) -> Activity:
    """One row of a schedule like DEMO_SCHEDULE saved as an activity, its due work made up to ``today``."""
    name, purpose, frequency, services, each, roles, form_key, rule, parameters, line = row
    service_names = (services,) if isinstance(services, str) else services or ()
    service_ids = list(db.session.scalars(select(Service.id).where(Service.name.in_(service_names))))
    role, *named_roles = (roles,) if roles is None or isinstance(roles, str) else roles
    named = select(User.id).where(User.active.is_(True), User.role.in_(named_roles)).order_by(User.id)
    values = {
        "name": name,
        "purpose": purpose,
        "frequency": frequency,
        "starts_on": starts_on,
        "ends_on": None,
        "services": service_ids,
        "team_id": None,
        "each_team": each == "team",
        "each_person": each == "person",
        "who_role": role,
        "people": list(db.session.scalars(named)) if named_roles else [],
        "form_key": form_key,
        "sample_rule": rule,
        "sample_parameters": parameters,
        "allocation_line": line,
        # Added when it started, so the demo has a history of work done, late and missed.
        "created_at": datetime.combine(starts_on, time(9)),
    }
    return save_activity(None, values, today)


def _add_activity(row: tuple[Any, ...], starts_on: date, today: date, rng: random.Random) -> Activity:
    activity = add_schedule_row(row, starts_on, today)
    # A history to show: most past work done on time, some late, a little missed.
    for work in db.session.scalars(
        select(ActivityWork).where(ActivityWork.activity_id == activity.id, ActivityWork.due_date < today)
    ):
        chance = rng.random()
        if chance < 0.75:
            work.completed_on = work.due_date - timedelta(days=rng.randint(0, 10))
        elif chance < 0.9:
            work.completed_on = min(today, work.due_date + timedelta(days=rng.randint(1, 20)))
        if work.completed_on is not None and rng.random() < 0.6:
            work.reviewed_on = min(today, work.completed_on + timedelta(days=rng.randint(1, 14)))
            work.next_steps = "Findings shared at the practice mirror group; learning added to the team's plan."
    return activity


def load_demo_programme(today: date | None = None) -> str:
    """Add the demo schedule, cases, a sample with its allocations and a thematic evaluation, where missing."""
    today = today or date.today()
    rng = random.Random(8)  # noqa: S311 (demo data only)
    _name, quarter_start, _end = financial_quarter(today, year_start_month())
    starts_on = add_months(quarter_start, -3)

    def work() -> tuple[int, list[int]]:
        if not db.session.scalar(select(func.count()).select_from(Case)):
            db.session.add_all(_demo_cases(rng, today))
            db.session.flush()
        existing = set(db.session.scalars(select(Activity.name)))
        added = [_add_activity(row, starts_on, today, rng) for row in DEMO_SCHEDULE if row[0] not in existing]
        if not db.session.scalar(select(func.count()).select_from(ThematicEvaluation)):
            db.session.add(
                ThematicEvaluation(
                    title="Voice of the child, young person and family",
                    why="Kent EHPS schedules six-monthly thematic audits on the voice of the child, young person and "
                    "family. Family feedback this year says some families did not feel listened to at assessment.",
                    scope="Cases open in the last six months in the Early Help Units. Criteria: the Early Help "
                    "Assessment standards on the child's voice, and the family's own feedback.",
                    who="Practice Development Leaders with two unit leaders from outside the teams audited.",
                    how="A desk-top audit of the sampled cases, then a conversation with each practitioner.",
                    timescale="Audits within six weeks; report to the Quality, Performance and Impact Board after.",
                    due_on=today + timedelta(days=60),
                    form_key="ehat-quality-audit",
                    people=list(
                        db.session.scalars(select(User).where(User.active.is_(True), User.role == Role.AUDITOR))
                    ),
                )
            )
        return len(added), [activity.id for activity in added if activity.name == "Early Help Assessment dip sample"]

    added, dip_sample = run_write_transaction(work)
    for activity_id in dip_sample:

        def draw(activity_id: int = activity_id) -> None:
            activity = db.session.get(Activity, activity_id)
            assert activity is not None
            if db.session.scalar(select(func.count()).select_from(Sample).where(Sample.activity_id == activity_id)):
                return
            current = current_work(activity, today)
            sample = draw_sample(
                rule="fixed_count",
                parameters=dict(activity.sample_parameters),
                seed=2026,
                as_of=today,
                due_date=current.due_date if current else today + timedelta(days=28),
                form_key=activity.form_key or "ehat-quality-audit",
                by=None,
                activity=activity,
                work=current,
            )
            allocate_sample(sample, None)

        run_write_transaction(draw)
    return f"{added} demo QA activities added"
