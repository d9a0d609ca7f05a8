"""Where an auditor may audit: their own part of the organisation, and the cases allocated to them.

A team manager audits their own team, a service manager their service and the QA team anywhere
(``qaf.policy.works_in``); outside that, only a case someone has allocated to them.
"""

from dataclasses import dataclass

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Allocation, Case, Team, User
from qaf.organisation import TeamChoice, people_options, team_choices
from qaf.policy import Action, can, works_in


@dataclass(frozen=True)
class CaseToAudit:
    """The audit about to be started, as the policy checks it: a case in a team."""

    team: Team
    case_reference: str


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


def audit_teams(user: User) -> list[TeamChoice]:
    """The teams the new-audit form offers: the user's own part, and teams of cases allocated to them."""
    allocated_teams = _allocated_teams(user)
    return [team for team in team_choices() if team.id in allocated_teams or works_in(user, team)]


def audit_practitioner_options(teams: list[TeamChoice]) -> list[tuple[str, str]]:
    return people_options(teams={team.id for team in teams})


def _held_elsewhere(team: Team, case_reference: str) -> bool:
    """Whether the imported case list puts this case in another team (a case not in the list is not checked)."""
    query = select(Case.team_id).where(func.upper(Case.reference) == case_reference.strip().upper())
    holder = db.session.scalar(query.limit(1))
    return holder is not None and holder != team.id


def start_problems(
    user: User, *, team_id: int, case_reference: str, practitioner_id: int | None
) -> list[tuple[str, str]]:
    """Why this audit may not be started, as (question id, message) pairs; none when it may."""
    team = db.session.get(Team, team_id)
    if team is None:
        return [("team", "Select the team that holds the case from the list")]
    if not can(user, Action.START_AUDIT, CaseToAudit(team, case_reference)):
        # The team is offered for the cases allocated there, and this is not one of them.
        return [("case_reference", f"Enter a case in {team.name} that has been allocated to you")]
    if _held_elsewhere(team, case_reference):
        # Which team holds it is not said: the auditor may have no right to know.
        return [("case_reference", f"Enter a case held by {team.name}: the case list has this case in another team")]
    if practitioner_id is not None:
        practitioner = db.session.get(User, practitioner_id)
        if practitioner is None or practitioner.team_id != team.id:
            return [("practitioner", f"Select a practitioner in {team.name}, the team that holds the case")]
    return []
