"""The allocations list, and moving or cancelling many allocations at once."""

from datetime import date
from typing import Any

from flask import redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import ALLOCATION_STATUSES, Allocation, User
from qaf.policy import Action, requires
from qaf.programme import bp
from qaf.programme.allocation_messages import flash_moves
from qaf.programme.auditor_load import allocating_people, auditor_options
from qaf.programme.samples import move_allocations
from qaf.query_args import id_arg, record_id, text_arg

SHOWN = 500


def _page(status: str, auditor_id: int | None, *, errors: list[dict[str, str]] | None = None, **form: Any) -> Any:
    query = (
        select(Allocation)
        .options(selectinload(Allocation.audit), selectinload(Allocation.auditor), selectinload(Allocation.team))
        .order_by(Allocation.due_date.desc(), Allocation.id.desc())
        .limit(SHOWN)
    )
    if auditor_id:
        query = query.where(Allocation.auditor_id == auditor_id)
    found = [allocation for allocation in db.session.scalars(query) if not status or allocation.status == status]
    today = date.today()
    people = allocating_people()
    return render_template(
        "programme/allocations.html",
        allocations=found,
        statuses=ALLOCATION_STATUSES,
        status=status,
        auditor=str(auditor_id or ""),
        auditors=[(str(person.id), person.name) for person in people],
        move_to=auditor_options(today, today),
        page_errors=errors or [],
        ticked=form.get("ticked", frozenset()),
        to=form.get("to", ""),
        today=today,
    )


@bp.get("/allocations")
@requires(Action.MANAGE_PROGRAMME)
def allocations() -> Any:
    return _page(text_arg("status", 20), id_arg("auditor"))


@bp.post("/allocations/move")
@requires(Action.MANAGE_PROGRAMME)
def move() -> Any:
    status, auditor_id = request.form.get("status", "")[:20], record_id(request.form.get("auditor", ""))
    ids = [number for value in request.form.getlist("allocation") if (number := record_id(value)) is not None]
    cancelling = request.form.get("intent") == "cancel"
    to_id = record_id(request.form.get("to", ""))
    receivers = {person.id: person for person in allocating_people()}
    errors = []
    if not ids:
        errors.append({"text": "Select the allocations to move or cancel", "href": "#choose-allocations"})
    if not cancelling and to_id not in receivers:
        errors.append({"text": "Select who to move the allocations to", "href": "#to"})
    if errors:
        return _page(status, auditor_id, errors=errors, ticked=frozenset(ids), to=request.form.get("to", ""))
    to = None if cancelling or to_id is None else receivers[to_id]
    outcome = run_write_transaction(lambda: move_allocations(ids, db.session.get(User, to.id) if to else None))
    flash_moves(outcome, f"moved to {to.name}" if to else "cancelled", cancelling=cancelling)
    return redirect(url_for("programme.allocations", status=status or None, auditor=auditor_id or None))
