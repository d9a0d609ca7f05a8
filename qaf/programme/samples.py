"""Drawing samples of cases by rule and storing them with their seed, and allocating them to auditors."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from qaf.audit_log import record_event
from qaf.extensions import db
from qaf.models import (
    Activity,
    ActivityWork,
    Allocation,
    Audit,
    AuditorQuota,
    Case,
    PeerReview,
    Sample,
    SampleCase,
    User,
    utc_now,
)
from qaf.organisation import works_in_services
from qaf.policy import Role
from qaf.programme.cases import case_rows, recently_audited
from qaf.programme.periods import add_months, month_start
from qaf.programme.sampling import BY_HAND, THEMES, draw
from qaf.programme.schedule import teams_in_scope
from qaf.programme.targets import inside_line

ALLOCATING_ROLES = (Role.AUDITOR.value, Role.SERVICE_MANAGER.value)
# Who may be named to audit: the roles given cases, and the QA team, who often audit too.
AUDITING_ROLES = (*ALLOCATING_ROLES, Role.QA_ADMIN.value)


class SampleError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def rule_problems(rule: str, parameters: dict[str, Any]) -> list[tuple[str, str]]:
    """What a rule still needs, as (question id, message) pairs."""
    needed: list[tuple[str, str]] = []

    def need(name: str, message: str) -> None:
        if parameters.get(name) in (None, "", []):
            needed.append((name, message))

    if rule == "percentage_active":
        need("percent", "Enter the percentage of cases")
        need("months", "Enter how many months")
    elif rule == "fixed_count":
        need("count", "Enter the number of cases")
        theme = parameters.get("theme") or ""
        if theme == "agency_type":
            need("agency_type", "Enter the agency type")
        elif theme in THEMES and theme != "step_down":
            need("theme_months", "Enter the months for the theme")
    elif rule == "flagged_previous_month":
        need("flags", "Select the flags")
    elif rule == "per_supervisor":
        need("months", "Enter how many months")
    return needed


def rule_parameters(rule: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Only the answers the rule uses, so what is stored says exactly how the cases were chosen."""
    used = {
        "percentage_active": ("percent", "months"),
        "fixed_count": ("count", "months", "theme", "theme_months", "agency_type"),
        "flagged_previous_month": ("flags",),
        "per_supervisor": ("per_supervisor", "months", "count"),
        BY_HAND: ("references",),
    }.get(rule, ())
    parameters = {name: answers[name] for name in used if answers.get(name) not in (None, "", [])}
    if rule == "fixed_count" and parameters.get("theme") not in (
        "open_longer_than",
        "plan_open_longer_than",
        "drifting",
    ):
        parameters.pop("theme_months", None)
    if rule == "fixed_count" and parameters.get("theme") != "agency_type":
        parameters.pop("agency_type", None)
    if answers.get("exclude_audited_days"):
        parameters["exclude_audited_days"] = answers["exclude_audited_days"]
    return parameters


def samples_for_period(activity: Activity, work: ActivityWork | None, today: date) -> list[Sample]:
    """The activity's samples drawn already for the work's period (with no work, drawn as of this month)."""
    query = select(Sample).where(Sample.activity_id == activity.id).order_by(Sample.id)
    if work is not None:
        query = query.join(ActivityWork, Sample.work_id == ActivityWork.id).where(
            ActivityWork.period_start == work.period_start
        )
    else:
        start = month_start(today)
        query = query.where(Sample.as_of >= start, Sample.as_of < add_months(start, 1))
    return list(db.session.scalars(query))


def draw_sample(
    *,
    rule: str,
    parameters: dict[str, Any],
    seed: int,
    as_of: date,
    due_date: date,
    form_key: str,
    by: User | None,
    activity: Activity | None = None,
    work: ActivityWork | None = None,
    thematic_id: int | None = None,
) -> Sample:
    """Draw and store a sample inside the caller's write transaction. Raises ``SampleError`` (by hand only)."""
    days = parameters.get("exclude_audited_days")
    exclude = recently_audited(as_of, int(days)) if days else set()
    teams = teams_in_scope_of(activity, work)
    cases = [case for case in case_rows() if teams is None or case.team_id in teams]
    result = draw(rule, parameters, cases, seed=seed, as_of=as_of, exclude=exclude)
    if result.problems:
        raise SampleError(result.problems)
    sample = Sample(
        activity_id=activity.id if activity else None,
        work_id=work.id if work else None,
        thematic_id=thematic_id,
        rule=rule,
        parameters=parameters,
        seed=seed,
        as_of=as_of,
        due_date=due_date,
        form_key=form_key,
        candidates=result.candidates,
        excluded=result.excluded,
        drawn_by_id=by.id if by else None,
    )
    db.session.add(sample)
    db.session.flush()
    if result.picked:
        db.session.execute(
            insert(SampleCase),
            [
                {"sample_id": sample.id, "case_id": case.id, "position": position, "reason": reason}
                for position, (case, reason) in enumerate(result.picked, start=1)
            ],
        )
    record_event("sample_drawn", f"sample {sample.id}: {len(result.picked)} cases, {result.description}, seed {seed}")
    return sample


@dataclass
class AllocationOutcome:
    allocated: int = 0
    not_allocated: list[str] = field(default_factory=list)


def teams_in_scope_of(activity: Activity | None, work: ActivityWork | None = None) -> set[int] | None:
    """The teams whose cases and staff the work is about (its team, else its activity's team or services).

    None for work across the whole council.
    """
    if work is not None and work.team_id is not None:
        return {work.team_id}
    if activity is None or (activity.team_id is None and not activity.services):
        return None
    return {team.id for team in teams_in_scope(activity)}


def auditor_pool(activity: Activity | None, work: ActivityWork | None = None) -> list[User]:
    """Who may be given the cases: the activity's named people and role, else every auditor and service manager.

    Within the activity's services (or team), a role means the people with it there, and a service
    manager of one of those services counts even with no team.
    """
    people = {person.id: person for person in (activity.people if activity else []) if person.active}
    role_query = select(User).where(User.active.is_(True))
    if activity is not None and activity.services:
        role_query = role_query.where(works_in_services(activity.service_ids))
    elif activity is not None and activity.team_id is not None:
        role_query = role_query.where(User.team_id == activity.team_id)
    if activity is not None and activity.who_role:
        people |= {person.id: person for person in db.session.scalars(role_query.where(User.role == activity.who_role))}
    if not people:
        people = {person.id: person for person in db.session.scalars(role_query.where(User.role.in_(ALLOCATING_ROLES)))}
    return sorted(people.values(), key=lambda person: person.id)


def audits_in_month(month: date) -> Counter[int]:
    """How many live sampled-case allocations each auditor has due in the month holding ``month``."""
    start = month_start(month)
    query = (
        select(Allocation.auditor_id, func.count())
        .where(
            Allocation.kind == "audit",
            Allocation.cancelled_at.is_(None),
            Allocation.due_date >= start,
            Allocation.due_date < add_months(start, 1),
        )
        .group_by(Allocation.auditor_id)
    )
    return Counter(dict(db.session.execute(query).all()))


def quotas() -> dict[int, int]:
    return dict(db.session.execute(select(AuditorQuota.user_id, AuditorQuota.per_month)).all())


def works_on(person: User, case: Case) -> bool:
    """Nobody audits their own cases."""
    return case.worker_id == person.id or (bool(case.worker_email) and case.worker_email == person.email.lower())


OWN_CASE = "own_case"


def excluded_by(person: User, case: Case, line: str) -> str:
    """The rule that keeps ``person`` from auditing ``case`` (``OWN_CASE`` or the line rule), or nothing.

    Never their own case; within the line rule, inside or outside their line as the per-person targets count it.
    """
    if works_on(person, case):
        return OWN_CASE
    if line == "own_line" and not inside_line(person, case.team):
        return line
    if line == "outside_line" and inside_line(person, case.team):
        return line
    return ""


def may_audit(person: User, case: Case, line: str) -> bool:
    return not excluded_by(person, case, line)


def sample_pool(sample: Sample) -> list[User]:
    """Who may be given the sample's cases: for a thematic evaluation, only the people named to undertake it."""
    if sample.thematic is not None:
        return sorted((person for person in sample.thematic.people if person.active), key=lambda person: person.id)
    return auditor_pool(sample.activity, sample.work)


def sample_line(sample: Sample) -> str:
    """The activity's line rule for the sample's cases ("any" for a thematic evaluation's)."""
    return sample.activity.allocation_line if sample.activity and sample.thematic is None else "any"


NOBODY_REASONS = {
    "any": "nobody who may audit it",
    "own_line": "nobody who may audit it inside their own line",
    "outside_line": "nobody who may audit it from outside its line",
}
# How many of the sample's people each rule kept from a case, for the reason a case was not allocated.
EXCLUDED_WORDS = {
    OWN_CASE: ("{} works on it", "{} work on it", " (nobody audits their own case)"),
    "own_line": ("{} is outside its line", "{} are outside its line", " (the activity is set to own line)"),
    "outside_line": ("{} is inside its line", "{} are inside its line", " (the activity is set to outside line)"),
}


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def nobody_reason(pool: list[User], case: Case, line: str, whose: str = "activity's") -> str:
    """Why none of the sample's people (``whose``: the activity's, the evaluation's) may audit ``case``, naming
    each rule that excluded them."""
    reason = NOBODY_REASONS.get(line, NOBODY_REASONS["any"])
    if not pool:
        return f"{reason}: nobody is among the activity's people (its named people and role, in its scope)"
    excluded = Counter(excluded_by(person, case, line) for person in pool)
    parts = []
    for rule, (one, many, why) in EXCLUDED_WORDS.items():
        if excluded[rule]:
            parts.append((one if excluded[rule] == 1 else many).format(_people(excluded[rule])) + why)
    return f"{reason}: of the {whose} {_people(len(pool))}, " + "; ".join(parts)


def allocate_sample(sample: Sample, by: User | None) -> AllocationOutcome:
    """Give each unallocated case in the sample to an auditor, in the caller's write transaction.

    Never a case the auditor works on; within the activity's line rule; never over anyone's monthly
    quota (counted by due date). The least-loaded auditor is chosen, ties broken at random with the
    sample's seed, so the same sample is allocated the same way.
    """
    line = sample_line(sample)
    pool = sample_pool(sample)
    load = audits_in_month(sample.due_date)
    limits = quotas()
    rng = random.Random(sample.seed)  # noqa: S311 (reproducible tie-breaks, not security)
    outcome = AllocationOutcome()
    for sample_case in sample_cases(sample.id):
        if sample_case.allocation is not None:
            continue
        case = sample_case.case
        eligible = [person for person in pool if may_audit(person, case, line)]
        if not pool and sample.thematic is not None:
            outcome.not_allocated.append(
                f"{case.reference}: nobody is named to undertake the evaluation: name them in its terms of reference"
            )
            continue
        if not eligible:
            whose = "activity's" if sample.thematic is None else "evaluation's"
            outcome.not_allocated.append(f"{case.reference}: {nobody_reason(pool, case, line, whose)}")
            continue
        within_quota = [person for person in eligible if load[person.id] < limits.get(person.id, 1_000_000)]
        if not within_quota:
            outcome.not_allocated.append(f"{case.reference}: everyone who may audit it has reached their monthly quota")
            continue
        ties = {person.id: rng.random() for person in within_quota}
        chosen = min(within_quota, key=lambda person: (load[person.id], ties[person.id]))
        allocate(sample_case, chosen, sample.due_date, by)
        load[chosen.id] += 1
        outcome.allocated += 1
    record_event(
        "cases_allocated",
        f"sample {sample.id}: {outcome.allocated} allocated, {len(outcome.not_allocated)} not allocated",
    )
    return outcome


def allocate(sample_case: SampleCase, auditor: User, due_date: date, by: User | None) -> Allocation:
    case = sample_case.case
    allocation = Allocation(
        kind="audit",
        sample_case_id=sample_case.id,
        case_reference=case.reference,
        team_id=case.team_id,
        practitioner_id=case.worker_id,
        auditor_id=auditor.id,
        form_key=sample_case.sample.form_key,
        due_date=due_date,
        created_by_id=by.id if by else None,
    )
    db.session.add(allocation)
    sample_case.allocations.append(allocation)
    db.session.flush()
    return allocation


def quota_problem(auditor: User, due_date: date, allocation: Allocation | None = None) -> str:
    """Why ``auditor`` cannot take one more case due on ``due_date``, or nothing."""
    limit = quotas().get(auditor.id)
    if limit is None:
        return ""
    used = audits_in_month(due_date)[auditor.id]
    if (
        allocation is not None
        and allocation.auditor_id == auditor.id
        and month_start(allocation.due_date) == month_start(due_date)
    ):
        used -= 1
    if used >= limit:
        return f"{auditor.name} already has {used} of their {limit} cases a month due in {due_date:%B %Y}"
    return ""


CHANGE_PROBLEMS = {
    OWN_CASE: "{} works on this case: nobody audits their own cases",
    "own_line": "{} is outside this case's line: the activity's cases are audited in the auditor's own line",
    "outside_line": "{} is inside this case's line: the activity's cases are audited from outside the auditor's line",
}


def change_problem(allocation: Allocation, auditor: User, due_date: date) -> str:
    """Why ``auditor`` may not be given the allocation instead, or nothing.

    The checks of automatic allocation: one of the sample's people (the activity's named people and
    role, in its scope; a thematic evaluation's named people), its line rule, never their own case,
    and the monthly quota. Keeping the auditor (a new due date) is checked against the quota only.
    """
    from qaf.programme.peer_review import may_review

    if allocation.kind == "peer_review":
        review = db.session.scalar(select(PeerReview).where(PeerReview.allocation_id == allocation.id))
        if review is not None and not may_review(auditor, review.first_audit):
            return f"{auditor.name} may not review this audit: choose someone from another team with no part in it"
        return ""
    if auditor.id != allocation.auditor_id:
        problem = _person_problem(allocation, auditor)
        if problem:
            return problem
    return quota_problem(auditor, due_date, allocation)


def _person_problem(allocation: Allocation, auditor: User, pool: set[int] | None = None) -> str:
    """Why ``auditor`` may not audit the allocation's case (``pool``: the ids of its sample's people), or nothing."""
    sample_case = allocation.sample_case
    if auditor.id == allocation.practitioner_id or (sample_case is not None and works_on(auditor, sample_case.case)):
        return CHANGE_PROBLEMS[OWN_CASE].format(auditor.name)
    if sample_case is None:
        return ""
    sample = sample_case.sample
    if pool is None:
        pool = {person.id for person in sample_pool(sample)}
    if auditor.id not in pool:
        if sample.thematic is not None:
            return f"{auditor.name} is not named to undertake the evaluation: name them in its terms of reference"
        return f"{auditor.name} is not one of the activity's people (its named people and role, in its scope)"
    rule = excluded_by(auditor, sample_case.case, sample_line(sample))
    return CHANGE_PROBLEMS[rule].format(auditor.name) if rule else ""


def may_be_given(allocation: Allocation, people: list[User]) -> list[User]:
    """Of ``people``, the allocation's auditor and those it may be changed to (leaving the quota to be checked)."""
    from qaf.programme.peer_review import may_review

    if allocation.kind == "peer_review":
        review = db.session.scalar(select(PeerReview).where(PeerReview.allocation_id == allocation.id))
        if review is None:
            return people
        return [p for p in people if p.id == allocation.auditor_id or may_review(p, review.first_audit)]
    pool = {person.id for person in sample_pool(allocation.sample_case.sample)} if allocation.sample_case else None
    return [p for p in people if p.id == allocation.auditor_id or not _person_problem(allocation, p, pool)]


def change_allocation(allocation: Allocation, auditor_id: int, due_date: date, *, cancel: bool) -> None:
    if cancel:
        allocation.cancelled_at = utc_now()
    else:
        allocation.auditor_id = auditor_id
        allocation.due_date = due_date
    record_event("allocation_changed", f"allocation {allocation.id}: " + ("cancelled" if cancel else "changed"))


@dataclass
class MoveOutcome:
    moved: list[str] = field(default_factory=list)
    not_moved: list[str] = field(default_factory=list)


def move_allocations(allocation_ids: list[int], auditor: User | None) -> MoveOutcome:
    """Give each allocation to ``auditor`` (or cancel it, with None) in the caller's write transaction.

    Each is checked as one change is (``change_problem``), keeping its due date, and counted against
    the quota as it moves, so the third of three cases for someone with one place left is refused.
    """
    outcome = MoveOutcome()
    query = select(Allocation).where(Allocation.id.in_(allocation_ids)).order_by(Allocation.due_date, Allocation.id)
    for allocation in db.session.scalars(query):
        case = f"{allocation.case_reference} (due {allocation.due_date:%-d %B %Y})"
        if allocation.status == "cancelled":
            problem = "it is cancelled already"
        elif allocation.audit_id is not None:
            problem = "its audit has been started"
        elif auditor is not None and auditor.id == allocation.auditor_id:
            problem = f"it is {auditor.name}'s already"
        else:
            problem = change_problem(allocation, auditor, allocation.due_date) if auditor is not None else ""
        if problem:
            outcome.not_moved.append(f"{case}: {problem}")
            continue
        change_allocation(
            allocation, auditor.id if auditor else allocation.auditor_id, allocation.due_date, cancel=auditor is None
        )
        outcome.moved.append(case)
    return outcome


def sample_cases(sample_id: int) -> list[SampleCase]:
    """A sample's cases with their teams and allocations, loaded together (a sample can hold thousands)."""
    allocations = selectinload(SampleCase.allocations)
    query = (
        select(SampleCase)
        .where(SampleCase.sample_id == sample_id)
        .options(
            selectinload(SampleCase.case).selectinload(Case.team),
            allocations.selectinload(Allocation.auditor),
            allocations.selectinload(Allocation.audit),
        )
        .order_by(SampleCase.position)
    )
    return list(db.session.scalars(query))


def sample_progress(sample_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each sample: how many cases it holds, and how many of their allocated audits are submitted."""
    if not sample_ids:
        return {}
    sizes = select(SampleCase.sample_id, func.count()).where(SampleCase.sample_id.in_(sample_ids))
    done = (
        select(SampleCase.sample_id, func.count())
        .join(Allocation, Allocation.sample_case_id == SampleCase.id)
        .join(Audit, Allocation.audit_id == Audit.id)
        .where(SampleCase.sample_id.in_(sample_ids), Allocation.cancelled_at.is_(None), Audit.status == "submitted")
    )
    counts = dict(db.session.execute(sizes.group_by(SampleCase.sample_id)).all())
    submitted = dict(db.session.execute(done.group_by(SampleCase.sample_id)).all())
    return {sample_id: (counts.get(sample_id, 0), submitted.get(sample_id, 0)) for sample_id in sample_ids}
