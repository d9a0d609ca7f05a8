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
    """The teams the new-audit form offers: the user's own part, teams of cases allocated to them,
    and, for due work assigned to them, the teams it is about."""
    offered = _allocated_teams(user) | (work_teams(work) if work else set())
    return [team for team in team_choices() if team.id in offered or works_in(user, team)]


def audit_practitioner_options(teams: list[TeamChoice]) -> list[tuple[str, str]]:
    return people_options(teams={team.id for team in teams})


def _held_elsewhere(team: Team, case_reference: str) -> bool:
    """Whether the imported case list puts this case in another team (a case not in the list is not checked)."""
    query = select(Case.team_id).where(func.upper(Case.reference) == case_reference.strip().upper())
    holder = db.session.scalar(query.limit(1))
    return holder is not None and holder != team.id


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
    if case_reference and _held_elsewhere(team, case_reference):
        # Which team holds it is not said: the auditor may have no right to know.
        return [("case_reference", f"Enter a case held by {team.name}: the case list has this case in another team")]
    if practitioner_id is not None:
        practitioner = db.session.get(User, practitioner_id)
        if practitioner is None or practitioner.team_id != team.id:
            return [("practitioner", f"Select a practitioner in {team.name}, the team that holds the case")]
    return []
