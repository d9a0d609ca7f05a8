"""Services and the teams within them."""

import re

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from qaf.admin import bp
from qaf.admin.forms import SERVICE, TEAM
from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import build_form_class
from qaf.models import Service, Team
from qaf.objects import get_or_404
from qaf.organisation import forget_team_choices, service_options
from qaf.policy import Action, requires


def unique_slug(model: type[Service] | type[Team], name: str) -> str:
    """A link-safe name, unique in its table; never changed later, so links keep working."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "team"
    slug, number = base, 1
    while db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


@bp.get("/organisation")
@requires(Action.MANAGE_ORGANISATION)
def organisation() -> str:
    services = db.session.scalars(select(Service).order_by(Service.name)).all()
    return render_template("admin/organisation.html", services=services)


def _name_taken(model: type[Service] | type[Team], name: str, ignore_id: int | None, **scope: int) -> bool:
    query = select(model.id).where(func.lower(model.name) == name.lower())
    for column, value in scope.items():
        query = query.where(getattr(model, column) == value)
    found = db.session.scalar(query)
    return found is not None and found != ignore_id


@bp.route("/services/new", methods=["GET", "POST"], defaults={"service_id": None})
@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_ORGANISATION)
def service(service_id: int | None):  # type: ignore[no-untyped-def]
    existing = get_or_404(Service, service_id) if service_id else None
    data = {"name": existing.name} if existing and request.method == "GET" else None
    form = build_form_class(SERVICE)(data=data)
    if form.validate_on_submit():
        name = form.name.data
        if _name_taken(Service, name, service_id):
            form.add_error("name", "There is already a service with that name")
        else:

            def work() -> None:
                if service_id is None:
                    db.session.add(Service(name=name, slug=unique_slug(Service, name)))
                    record_event("service_created", name)
                else:
                    get_or_404(Service, service_id).name = name
                    record_event("service_changed", name)

            run_write_transaction(work)
            forget_team_choices()
            flash(f"{name} has been saved.")
            return redirect(url_for("admin.organisation"))
    return render_template("admin/service-form.html", form=form, service=existing)


@bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_ORGANISATION)
def team(team_id: int | None):  # type: ignore[no-untyped-def]
    existing = get_or_404(Team, team_id) if team_id else None
    data = None
    if existing and request.method == "GET":
        data = {"name": existing.name, "service": str(existing.service_id), "district": existing.district}
    form = build_form_class(TEAM)(data=data)
    form.set_options("service", service_options())
    if form.validate_on_submit():
        name, service_id, district = form.name.data, int(form.service.data), form.district.data or ""
        if _name_taken(Team, name, team_id, service_id=service_id):
            form.add_error("name", "That service already has a team with that name")
        else:

            def work() -> None:
                if team_id is None:
                    slug = unique_slug(Team, name)
                    db.session.add(Team(name=name, slug=slug, service_id=service_id, district=district))
                    record_event("team_created", name)
                else:
                    found = get_or_404(Team, team_id)
                    found.name, found.service_id, found.district = name, service_id, district
                    record_event("team_changed", name)

            run_write_transaction(work)
            forget_team_choices()
            flash(f"{name} has been saved.")
            return redirect(url_for("admin.organisation"))
    return render_template("admin/team-form.html", form=form, team=existing)
