"""The teams a feedback form offers, read with one light query and kept briefly.

Every feedback page and submission needs the team list; it changes a few times a year.
Each process keeps it for ORGANISATION_CACHE_SECONDS (default 10), so a new or renamed
team appears on the public forms within that time.
"""

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select

from qaf.extensions import db
from qaf.models import Service, Team, User


@dataclass(frozen=True)
class TeamChoice:
    id: int
    slug: str
    name: str
    service_name: str
    service_id: int
    # Where the team works ("" if not set): the options of a question with ``options_from: districts``.
    district: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.service_name})"


def forget_team_choices() -> None:
    """After a change to services or teams: this process reads them again at once."""
    current_app.extensions.pop("qaf_team_choices", None)


def team_choices() -> tuple[TeamChoice, ...]:
    """Every team with its service, in service then team order."""
    lifetime = current_app.config["ORGANISATION_CACHE_SECONDS"]
    cached: tuple[float, tuple[TeamChoice, ...]] | None = current_app.extensions.get("qaf_team_choices")
    now = time.monotonic()
    if cached is not None and now - cached[0] < lifetime:
        return cached[1]
    rows = db.session.execute(
        select(Team.id, Team.slug, Team.name, Service.name, Service.id, Team.district)
        .join(Service)
        .order_by(Service.name, Team.name)
    )
    choices = tuple(TeamChoice(*row) for row in rows)
    current_app.extensions["qaf_team_choices"] = (now, choices)
    return choices


def team_options(only: Callable[[TeamChoice], bool] | None = None) -> list[tuple[str, str]]:
    """Teams (those ``only`` keeps, if given) as (id, "Team (Service)") options for a staff form."""
    return [(str(team.id), team.label) for team in team_choices() if only is None or only(team)]


def service_options() -> list[tuple[str, str]]:
    return [(str(service.id), service.name) for service in db.session.scalars(select(Service).order_by(Service.name))]


def works_in_service(service_id: int | None) -> ColumnElement[bool]:
    """Staff of a service, for a query on User: in one of its teams, or given the service without a team."""
    return works_in_services([service_id] if service_id is not None else [])


def works_in_services(service_ids: Collection[int]) -> ColumnElement[bool]:
    """Staff of any of the services (an activity's scope), for a query on User."""
    return or_(
        User.team_id.in_(select(Team.id).where(Team.service_id.in_(service_ids))),
        and_(User.team_id.is_(None), User.home_service_id.in_(service_ids)),
    )


def people_options(
    excluding: int | None = None, roles: tuple[str, ...] = (), teams: Collection[int] | None = None
) -> list[tuple[str, str]]:
    """Active staff (with one of ``roles``, in one of ``teams``, if given) as (id, "Name (Team)") options."""
    query = select(User).where(User.active.is_(True)).order_by(User.name)
    if roles:
        query = query.where(User.role.in_(roles))
    if teams is not None:
        query = query.where(User.team_id.in_(teams))
    return [
        (str(person.id), f"{person.name} ({person.team.name if person.team else 'no team'})")
        for person in db.session.scalars(query)
        if person.id != excluding
    ]


def people_with_ids(ids: Collection[int]) -> list[User]:
    """The staff ticked on a form (``people_options``), to be named on a record."""
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def services_with_ids(ids: Collection[int]) -> list[Service]:
    """The services ticked on a form (``service_options``): an activity's scope."""
    return list(db.session.scalars(select(Service).where(Service.id.in_(ids)).order_by(Service.name))) if ids else []


def team_ids_by_name() -> dict[str, int]:
    """Each team's id under its slug and its name, casefolded: the ways an uploaded file names a team."""
    lookup: dict[str, int] = {}
    for slug, name, team_id in db.session.execute(select(Team.slug, Team.name, Team.id)):
        lookup[slug.casefold()] = team_id
        lookup.setdefault(name.casefold(), team_id)
    return lookup
