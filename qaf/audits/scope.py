"""Where an auditor may audit: their own part of the organisation, and the cases allocated to them.

A team manager audits their own team, a service manager their service and the QA team anywhere
(``qaf.policy.works_in``); outside that, only a case someone has allocated to them.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import ActivityWork, Allocation, Case, Team, User, WorkAudit
from qaf.organisation import TeamChoice, people_options, team_choices
from qaf.policy import Action, can, works_in
from qaf.programme.samples import works_on


@dataclass(frozen=True)
class CaseToAudit:
    """The audit about to be started, as the policy checks it: a case in a team, maybe for someone's due work."""

    team: Team
    case_reference: str
    work_id: int | None = None


def for_work(user: User, target: object) -> bool:
    """Whether the audit (or the one about to be started) is for due work assigned to ``user``, in its teams.

    A person's own work (seed 004: evaluations inside and outside their line) lets them audit any
    team the activity is for, and a team's work that team, as an allocation does for one case.
    """
    if isinstance(target, CaseToAudit):
        work = db.session.get(ActivityWork, target.work_id) if target.work_id else None
    else:
        link = db.session.get(WorkAudit, getattr(target, "id", None)) if getattr(target, "id", None) else None
        work = link.work if link is not None else None
    if work is None or not any(person.id == user.id for person in work.assignees):
        return False
    team = getattr(target, "team", None)
    return team is not None and team.id in work_teams(work)


def work_teams(work: ActivityWork) -> set[int]:
    """The teams audited for a piece of due work: a team's own work (a unit meeting peer audit of
    that unit) is about that team; a person's own work, or the scope's, about any team it is for
    (a person's, within the activity's line rule)."""
    from qaf.programme.schedule import teams_in_scope
    from qaf.programme.targets import inside_line

    if work.person_id is None and work.team_id is not None:
        return {work.team_id}
    teams = teams_in_scope(work.activity)
    line = work.activity.allocation_line
    if work.person is not None and line != "any":
        # A person's own work within the activity's line rule: only inside, or only outside, their line.
        teams = [team for team in teams if inside_line(work.person, team) == (line == "own_line")]
    return {team.id for team in teams}


def allocated(user: User, team_id: int, case_reference: str) -> bool:
    """Whether a live allocation gives ``user`` this case of this team to audit."""
    query = select(Allocation.id).where(
        Allocation.auditor_id == user.id,
        Allocation.cancelled_at.is_(None),
        Allocation.team_id == team_id,
        func.upper(Allocation.case_reference) == case_reference.upper(),
    )
    return db.session.scalar(query.limit(1)) is not None


def _allocated_teams(user: User) -> set[int]:
    query = select(Allocation.team_id).where(Allocation.auditor_id == user.id, Allocation.cancelled_at.is_(None))
    return set(db.session.scalars(query.distinct()))


def audit_teams(user: User, work: ActivityWork | None = None) -> list[TeamChoice]:
    """The teams the new-audit form offers: for due work assigned to the user, only the teams it may be
    done in (``start_problems`` refuses the rest); otherwise their own part and teams of cases allocated to them."""
    if work is not None:
        offered = work_teams(work)
        return [team for team in team_choices() if team.id in offered]
    allocated_teams = _allocated_teams(user)
    return [team for team in team_choices() if team.id in allocated_teams or works_in(user, team)]


def audit_practitioner_options(user: User, teams: list[TeamChoice]) -> list[tuple[str, str]]:
    """The people of the offered teams, but not the auditor: nobody audits their own practice."""
    return people_options(excluding=user.id, teams={team.id for team in teams})


_WHERE = {
    "any": "in any team it is for, inside or outside your own line",
    "own_line": "in a team it is for inside your own line",
    "outside_line": "in a team it is for outside your own line",
}


def work_guidance(work: ActivityWork, subject: str) -> str:
    """What the work lets its assignee audit, in the words of the template's subject and the activity's line rule."""
    if work.person_id is None and work.team is not None:
        where = f"in {work.team.name}, the team this work is for"
    else:
        where = _WHERE.get(work.activity.allocation_line if work.person_id else "any", _WHERE["any"])
    if subject == "team":
        return f"You audit the team, centre or hub itself {where}, with no case reference."
    if subject == "person":
        return f"You observe a practitioner {where}."
    return f"You audit a case {where}: not a case you work on."


def _listed_case(case_reference: str) -> Case | None:
    """The case as the imported case list has it; None for a case not in the list."""
    query = select(Case).where(func.upper(Case.reference) == case_reference.strip().upper())
    return db.session.scalar(query.limit(1))


def case_worker(team_id: int, case_reference: str) -> int | None:
    """The practitioner an audit of the case is about unless the auditor names another: the case's worker
    in the case list, if they have an active account in the team that holds it."""
    case = _listed_case(case_reference) if case_reference else None
    worker = case.worker if case is not None and case.team_id == team_id else None
    return worker.id if worker is not None and worker.active and worker.team_id == team_id else None


def subject_problems(
    subject: str, *, team_id: int, case_reference: str, practitioner_id: int | None
) -> list[tuple[str, str]]:
    """What the template's subject needs: a case reference for a case; none for a team or a person,
    and the person observed for a person."""
    if subject == "case" and not case_reference:
        return [("case_reference", "Enter the case reference")]
    if subject != "case" and case_reference:
        about = "a team, centre or hub" if subject == "team" else "a person"
        return [("case_reference", f"Leave the case reference empty: this audit is about {about}, not a case")]
    if subject == "person" and practitioner_id is None:
        return [("practitioner", "Select the person whose practice you are observing")]
    return []


def start_problems(
    user: User, *, team_id: int, case_reference: str, practitioner_id: int | None, work_id: int | None = None
) -> list[tuple[str, str]]:
    """Why this audit may not be started, as (question id, message) pairs; none when it may."""
    team = db.session.get(Team, team_id)
    if team is None:
        return [("team", "Select the team that holds the case from the list")]
    work = db.session.get(ActivityWork, work_id) if work_id else None
    if work is not None and team.id not in work_teams(work):
        return [("team", f"Select a team this work is for: {work.activity.name} is not done in {team.name}")]
    if not can(user, Action.START_AUDIT, CaseToAudit(team, case_reference, work_id)):
        # The team is offered for the cases allocated there, and this is not one of them.
        return [("case_reference", f"Enter a case in {team.name} that has been allocated to you")]
    case = _listed_case(case_reference) if case_reference else None
    if case is not None and case.team_id != team.id:
        # Which team holds it is not said: the auditor may have no right to know.
        return [("case_reference", f"Enter a case held by {team.name}: the case list has this case in another team")]
    if case is not None and works_on(user, case):
        return [("case_reference", "You work on this case. Choose a case you do not work on.")]
    if practitioner_id == user.id:
        return [("practitioner", "Select a practitioner other than yourself: nobody audits their own practice")]
    if practitioner_id is not None:
        practitioner = db.session.get(User, practitioner_id)
        if practitioner is None or practitioner.team_id != team.id:
            return [("practitioner", f"Select a practitioner in {team.name}, the team that holds the case")]
    return []
