"""The reports pages: the QA dashboard, the downloads, and team summaries for managers."""

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask import Response as HttpResponse
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from qaf.complaints.log import kind_counts
from qaf.extensions import db
from qaf.models import Team
from qaf.policy import Action, Role, allowed_or_403, can, requires
from qaf.programme.blind import audits_hidden_from
from qaf.query_args import id_arg
from qaf.reports import display, versions
from qaf.reports.breakdown_counts import breakdowns_for_page
from qaf.reports.collect import Measured, measure_for_page
from qaf.reports.exports import export_csv_bytes, export_workbook_bytes, period_from
from qaf.reports.measures import CURRENT
from qaf.reports.periods import Period, PeriodError, period_containing, recent_periods, uk_today
from qaf.reports.report import SUPPRESSED, TeamInfo
from qaf.reports.response_rate_counts import response_rates
from qaf.reports.response_rates import cell_text, rate_tables
from qaf.reports.team_summary import team_summary

bp = Blueprint("reports", __name__, url_prefix="/reports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "value_text": display.value_text,
    "change_text": display.change_text,
    "base_text": display.base_text,
    "number_text": display.number_text,
}


def _start_month() -> int:
    return int(current_app.config["FINANCIAL_YEAR_START_MONTH"])


def _chosen_period(values: Mapping[str, str]) -> tuple[Period, list[dict[str, str]]]:
    """The period asked for (dates win over a name); this quarter, with an error, if it cannot be read."""
    start, end = values.get("start", "").strip(), values.get("end", "").strip()
    try:
        if start or end:
            return period_from("", start, end, _start_month()), []
        if values.get("period", "").strip():
            return period_from(values["period"], "", "", _start_month()), []
    except PeriodError as error:
        return period_containing(uk_today(), _start_month()), [{"text": str(error), "href": "#period"}]
    return period_containing(uk_today(), _start_month()), []


def _period_choices(period: Period) -> list[tuple[str, list[Period]]]:
    recent = recent_periods(uk_today(), _start_month())
    groups = [
        ("Quarters", [p for p in recent if p.kind == "quarter"]),
        ("Half-years", [p for p in recent if p.kind == "half"]),
        ("Financial years", [p for p in recent if p.kind == "year"]),
        ("Months", [p for p in recent if p.kind == "month"]),
    ]
    if period not in recent and period.kind != "custom":
        groups.insert(0, ("Chosen", [period]))
    return groups


def _scope(teams: dict[int, TeamInfo], service_id: int | None, team_id: int | None) -> tuple[list[int] | None, str]:
    """The teams the dashboard counts, and what to call them: a team, a service's teams, or all."""
    if team_id in teams:
        return [team_id], f"{teams[team_id].name} ({teams[team_id].service})"
    in_service = [team for team in teams.values() if team.service_id == service_id]
    if in_service:
        return [team.id for team in in_service], in_service[0].service
    return None, "All services and teams"


@bp.get("")
@requires(Action.VIEW_DASHBOARD)
def dashboard() -> str:
    period, errors = _chosen_period(request.args)
    teams = versions.teams()
    service_id, team_id = id_arg("service"), id_arg("team")
    scope, label = _scope(teams, service_id, team_id)
    # Counted for the chosen scope only, teams together: the same sums as the workbook's, sooner.
    measured = measure_for_page(period, team_ids=scope)
    breakdowns, equality = breakdowns_for_page(measured)
    return render_template(
        "reports/dashboard.html",
        period=period,
        previous=measured.window.previous,
        measures=measured.measures(None, label),
        label=label,
        forms=_form_counts(measured),
        breakdowns=breakdowns,
        equality=equality,
        suppressed=SUPPRESSED,
        complaints=(kind_counts(period, scope), kind_counts(measured.window.previous, scope)),
        choices=_period_choices(period),
        services=sorted({(team.service_id, team.service) for team in teams.values()}, key=lambda item: item[1]),
        teams=sorted(teams.values(), key=lambda team: (team.service, team.name)),
        filters={"service": service_id, "team": team_id},
        page_errors=errors,
        rates=response_rates(period, scope, label),
        **FORMATS,
    )


@bp.get("/response-rates")
@requires(Action.VIEW_DASHBOARD)
def response_rates_page() -> str:
    period, errors = _chosen_period(request.args)
    rates = response_rates(period)
    return render_template(
        "reports/response-rates.html",
        period=period,
        rates=rates,
        tables=rate_tables(rates),
        cell_text=cell_text,
        choices=_period_choices(period),
        page_errors=errors,
    )


def _form_counts(measured: Measured) -> list[dict[str, Any]]:
    totals = measured.totals
    counts: dict[str, dict[str, Any]] = {}
    for bucket, version_id, count in zip(totals["bucket"], totals["version_id"], totals["count"], strict=True):
        version = measured.found.get(int(version_id))
        if version is None:
            continue
        row = counts.setdefault(
            version.form_key, {"key": version.form_key, "title": version.title, "current": 0, "previous": 0}
        )
        row["current" if bucket == CURRENT else "previous"] += int(count)
    return sorted(counts.values(), key=lambda row: (-row["current"], row["title"]))


def _attachment(content: bytes, mimetype: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _back_to_dashboard() -> WerkzeugResponse:
    """The dashboard, asked for the same period: it shows why the period could not be read."""
    asked: dict[str, Any] = {name: request.form[name] for name in ("period", "start", "end") if request.form.get(name)}
    return redirect(url_for("reports.dashboard", **asked))


@bp.post("/download")
@requires(Action.EXPORT_REPORTS)
def download() -> Any:
    period, errors = _chosen_period(request.form)
    if errors:
        return _back_to_dashboard()
    content = export_workbook_bytes(period, user=current_user)
    return _attachment(content, XLSX, f"qaf-{period.slug}.xlsx")


@bp.post("/download/<form_key>")
@requires(Action.EXPORT_REPORTS)
def download_csv(form_key: str) -> Any:
    period, errors = _chosen_period(request.form)
    if errors:
        return _back_to_dashboard()
    content = export_csv_bytes(period, form_key, user=current_user)
    if content is None:
        flash(f"Nothing was given against ‘{form_key}’ in {period.name}, so there is no CSV file to download.")
        return redirect(url_for("reports.dashboard", period=period.name))
    return _attachment(content, "text/csv", f"{form_key}-{period.slug}.csv")


def _teams_in_scope() -> list[Team]:
    teams = db.session.scalars(db.select(Team).join(Team.service).order_by(Team.name)).all()
    return sorted(
        (team for team in teams if can(current_user, Action.VIEW_TEAM_SUMMARY, team)),
        key=lambda team: (team.service.name, team.name),
    )


@bp.get("/teams")
@requires(Action.VIEW_TEAM_SUMMARY)
def team_summaries() -> Any:
    teams = _teams_in_scope()
    if current_user.role == Role.AUDITOR and len(teams) == 1:
        return redirect(url_for("reports.team_summary_page", team_id=teams[0].id))
    return render_template("reports/team-summaries.html", teams=teams)


@bp.get("/teams/<int:team_id>")
@requires(Action.VIEW_TEAM_SUMMARY)
def team_summary_page(team_id: int) -> str | WerkzeugResponse:
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    allowed_or_403(Action.VIEW_TEAM_SUMMARY, team)
    period, errors = _chosen_period(request.args)
    info = versions.teams()[team.id]
    return render_template(
        "reports/team-summary.html",
        summary=team_summary(info, period, hidden_audits=audits_hidden_from(current_user)),
        period=period,
        choices=_period_choices(period),
        page_errors=errors,
        **FORMATS,
    )
