"""Loading what the admin pages change, answering 404 for anything that is not there."""

from typing import TypeVar

from flask import abort
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Service, Team, User

T = TypeVar("T")


def get_or_404(model: type[T], object_id: int) -> T:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def team_options() -> list[tuple[str, str]]:
    teams = db.session.scalars(select(Team).join(Service).order_by(Service.name, Team.name))
    return [(str(team.id), f"{team.name} ({team.service.name})") for team in teams]


def manager_options(excluding: int | None = None) -> list[tuple[str, str]]:
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [(str(person.id), f"{person.name} ({person.email})") for person in people if person.id != excluding]


def service_options() -> list[tuple[str, str]]:
    return [(str(service.id), service.name) for service in db.session.scalars(select(Service).order_by(Service.name))]


def optional_id(value: str | None) -> int | None:
    return int(value) if value else None
