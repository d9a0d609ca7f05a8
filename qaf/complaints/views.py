"""Complaints and compliments: the list, logging one, changing one, and a period's CSV file."""

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from qaf.complaints import bp
from qaf.complaints.forms import COMPLAINT
from qaf.complaints.log import (
    change_entry,
    entries_csv_bytes,
    entry_from,
    entry_problems,
    form_data,
    log_entry,
    visible_entries,
)
from qaf.database import run_write_transaction
from qaf.formspec import SpecForm, build_form_class
from qaf.models import ComplaintOrCompliment
from qaf.objects import get_or_404
from qaf.organisation import team_options
from qaf.policy import Action, requires, works_in
from qaf.reports.periods import Period, PeriodError, parse_period, period_containing, recent_periods, uk_today


def _start_month() -> int:
    return int(current_app.config["FINANCIAL_YEAR_START_MONTH"])


def _period(values: Mapping[str, str]) -> tuple[Period, list[dict[str, str]]]:
    """The period asked for by name; this quarter, with an error, if it cannot be read."""
    try:
        if values.get("period", "").strip():
            return parse_period(values["period"], _start_month()), []
    except PeriodError as error:
        return period_containing(uk_today(), _start_month()), [{"text": str(error), "href": "#period"}]
    return period_containing(uk_today(), _start_month()), []


def _form(record: ComplaintOrCompliment | None = None) -> SpecForm:
    form = build_form_class(COMPLAINT)(data=form_data(record) if record and request.method == "GET" else None)
    form.set_options("team", team_options(lambda team: works_in(current_user, team)))
    return form


def _checked(form: SpecForm) -> bool:
    """Whether the form passed its own checks and the log's (scope, outcome, identifiers)."""
    if not form.validate_on_submit():
        return False
    for name, message in entry_problems(current_user, entry_from(form), uk_today()):
        form.add_error(name, message)
    return not form.errors


def _listed(entry_date: Any) -> Any:
    return redirect(url_for("complaints.complaints", period=period_containing(entry_date, _start_month()).name))


@bp.get("/complaints")
@requires(Action.VIEW_COMPLAINTS)
def complaints() -> str:
    period, errors = _period(request.args)
    quarters = [choice for choice in recent_periods(uk_today(), _start_month()) if choice.kind == "quarter"]
    return render_template(
        "complaints/complaints.html",
        entries=visible_entries(current_user, period),
        period=period,
        choices=[("Quarters", quarters if period in quarters else [period, *quarters])],
        page_errors=errors,
    )


@bp.route("/complaints/new", methods=["GET", "POST"])
@requires(Action.LOG_COMPLAINTS)
def new_complaint():  # type: ignore[no-untyped-def]
    form = _form()
    if _checked(form):
        entry = entry_from(form)
        run_write_transaction(lambda: log_entry(entry, current_user))
        flash(f"{entry.kind.capitalize()} logged.")
        return _listed(entry.received_on)
    return render_template("complaints/complaint-form.html", form=form, record=None)


@bp.route("/complaints/<int:complaint_id>/edit", methods=["GET", "POST"])
@requires(Action.LOG_COMPLAINTS)
def edit_complaint(complaint_id: int):  # type: ignore[no-untyped-def]
    record = get_or_404(ComplaintOrCompliment, complaint_id, Action.LOG_COMPLAINTS)
    form = _form(record)
    if _checked(form):
        entry = entry_from(form)
        run_write_transaction(
            lambda: change_entry(get_or_404(ComplaintOrCompliment, complaint_id, Action.LOG_COMPLAINTS), entry)
        )
        flash(f"The {entry.kind} has been saved.")
        return _listed(entry.received_on)
    return render_template("complaints/complaint-form.html", form=form, record=record)


@bp.post("/complaints/download")
@requires(Action.EXPORT_REPORTS)
def download_complaints() -> Any:
    period, errors = _period(request.form)
    if errors:
        return redirect(url_for("complaints.complaints", period=request.form.get("period", "")))
    return Response(
        entries_csv_bytes(period, current_user),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="complaints-and-compliments-{period.slug}.csv"',
            "Cache-Control": "no-store",
        },
    )
