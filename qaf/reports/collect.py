"""Gathering a report: the workbook's data, and the dashboard's and team summary's measures.

The workbook and the pages compute the headline measures with the same calls
(``count_everything``, ``tallies``, ``scope_measures``), so their numbers agree exactly.
"""

import time
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pandas as pd
from flask import current_app

from qaf.complaints.log import complaints_data
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.reports import data
from qaf.reports import rows as sheet_rows
from qaf.reports.breakdown_counts import added_tallies, answered_versions, count_groups, report_breakdowns
from qaf.reports.breakdowns import GroupTally
from qaf.reports.data import Window
from qaf.reports.measures import (
    CURRENT,
    FIXED,
    PEER_AGREEMENT_TEXT,
    PEER_KAPPA_TEXT,
    STAFF_INDEX_TEXT,
    STANDARD_TEXT,
    Definition,
    Tallies,
    definitions_for,
    peer_form_keys,
    scope_measures,
    tallies,
)
from qaf.reports.not_shown import count_not_shown
from qaf.reports.periods import UK, Period, uk_today
from qaf.reports.report import (
    NO_TEAM,
    STAFF_AUDIENCES,
    STAGE_HEADER,
    Column,
    FormData,
    ReportData,
    ScopeMeasures,
    TeamInfo,
    VersionInfo,
)
from qaf.reports.response_rate_counts import response_rates
from qaf.reports.summary import FormVersions, form_summaries
from qaf.reports.tables import actions_table, audits_table, standards_table
from qaf.reports.versions import teams as organisation_teams

AUDIENCE_ORDER = {"family": 0, "child": 1, "partner": 2, "staff": 3, "auditor": 5}


@dataclass
class Measured:
    """A period's tallies and what is needed to turn them into measures for any scope."""

    window: Window
    counts: data.Counts
    teams: dict[int, TeamInfo]
    definitions: list[Definition]
    tallies: Tallies
    # The breakdowns' tallies of the period, once the dashboard has asked for them (``breakdowns_for_page``):
    # kept with the measures, and new responses added to them in the same way.
    group_tallies: list[GroupTally] | None = None

    @property
    def found(self) -> dict[int, VersionInfo]:
        return self.counts.found

    @property
    def totals(self) -> pd.DataFrame:
        return self.counts.totals

    @property
    def values(self) -> pd.DataFrame:
        return self.counts.values

    def measures(self, team_ids: Collection[int] | None = None, label: str = "All services and teams") -> ScopeMeasures:
        return scope_measures(label, self.definitions, self.tallies, team_ids)

    def service_measures(self) -> list[ScopeMeasures]:
        services: dict[tuple[str, int], list[int]] = defaultdict(list)
        for team in self.teams.values():
            services[(team.service, team.service_id)].append(team.id)
        return [
            scope_measures(name, self.definitions, self.tallies, ids, service=name)
            for (name, _service_id), ids in sorted(services.items())
        ]

    def team_measures(self) -> list[ScopeMeasures]:
        present = self.tallies.teams()
        ordered = sorted(present, key=lambda team_id: _team_order(self.teams, team_id))
        scopes = []
        for team_id in ordered:
            team = self.teams.get(team_id)
            service, name = (team.service, team.name) if team else ("", NO_TEAM)
            scopes.append(scope_measures(name, self.definitions, self.tallies, [team_id], service=service, team=name))
        return scopes


def _team_order(teams: dict[int, TeamInfo], team_id: int) -> tuple[int, str, str]:
    team = teams.get(team_id)
    return (0, team.service, team.name) if team else (1, "", "")


def measure(
    period: Period,
    *,
    today: date | None = None,
    questions: Callable[[VersionInfo], set[str]] = data.headline_questions,
    team_ids: Collection[int] | None = None,
    by_team: bool = True,
    side_by_side: bool = False,
    responses_up_to: int | None = None,
    hidden_audits: Collection[int] = (),
) -> Measured:
    """Count what the headline measures need (or, with ``choice_questions``, every answer too).

    With ``team_ids``, only those teams are read; with ``by_team`` False their counts come back
    added together (the dashboard's one scope): the same sums, sooner. ``side_by_side`` runs
    the queries at once on their own connections (for pages; an export wants one snapshot).
    ``responses_up_to`` leaves out responses with later ids; ``hidden_audits`` leaves out those audits
    (and their actions and peer review pairs) from every count.
    """
    window = replace(Window.of(period, team_ids, by_team=by_team), hidden_audits=tuple(sorted(hidden_audits)))
    if responses_up_to is not None:
        window = replace(window, responses_up_to=responses_up_to)
    return _measured(window, data.count_everything(window, questions, today or uk_today(), side_by_side=side_by_side))


def _measured(window: Window, counts: data.Counts) -> Measured:
    return Measured(
        window=window,
        counts=counts,
        teams=organisation_teams(),
        definitions=definitions_for(counts.found.values(), peer_form_keys(counts.found, counts.pairs)),
        tallies=tallies(counts.found, counts.totals, counts.values, counts.grades, counts.actions, counts.pairs),
    )


PAGE_CACHE_SECONDS = 600


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[Any, ...]
    made: float
    measured: Measured


def measure_for_page(
    period: Period,
    *,
    team_ids: Collection[int] | None = None,
    by_team: bool = False,
    questions: Callable[[VersionInfo], set[str]] = data.headline_questions,
    today: date | None = None,
    hidden_audits: Collection[int] = (),
) -> Measured:
    """``measure`` for the pages, kept while nothing it counts has changed, for ten minutes at most.

    A county's quarter takes about half a second to count; looking again, or at the same
    figures from another page, should not. The kept counts are used only while ``data.stamp``
    (newest response, audit changes, action changes) is the same as when they were made. When
    only responses have been added since, just those are counted and added to the kept counts:
    on a busy day a new response arrives between most looks at the dashboard.
    """
    today = today or uk_today()
    hidden = tuple(sorted(hidden_audits))
    key = (period, None if team_ids is None else tuple(sorted(team_ids)), by_team, questions.__name__, today, hidden)
    cache: dict[Any, _Kept] = current_app.extensions.setdefault("qaf_report_cache", {})
    # One snapshot for the stamp and, when only responses were added, for counting those.
    repeatable_read()
    now, current = time.monotonic(), data.stamp()
    kept = cache.get(key)
    if kept is not None and now - kept.made < PAGE_CACHE_SECONDS:
        if kept.stamp == current:
            return kept.measured
        added = _with_new_responses(kept, current, questions, today)
        if added is not None:
            cache[key] = added
            return added.measured
    measured = measure(
        period,
        today=today,
        questions=questions,
        team_ids=team_ids,
        by_team=by_team,
        side_by_side=True,
        responses_up_to=current[0] or 0,
        hidden_audits=hidden,
    )
    if len(cache) >= 64:
        cache.clear()
    cache[key] = _Kept(current, now, measured)
    return measured


def _with_new_responses(
    kept: _Kept, current: tuple[Any, ...], questions: Callable[[VersionInfo], set[str]], today: date
) -> _Kept | None:
    """The kept counts with the responses stored since added, or None if anything else changed.

    Read in the snapshot ``current`` (the stamp) was read in: a check that every response up to
    the kept newest one was counted then (ids are taken before a response is stored, so one can
    appear after a later one), and the new responses' counts.
    """
    before = kept.stamp
    parts = data.RESPONSE_PARTS
    if current[parts:] != before[parts:] or before[0] is None or current[0] is None:
        return None
    if data.responses_up_to(before[0]) != before[1]:
        return None
    window = replace(kept.measured.window, responses_after=before[0], responses_up_to=current[0])
    new = data.count_everything(window, questions, today)
    merged = _measured(replace(window, responses_after=None), data.with_new_responses(kept.measured.counts, new))
    if kept.measured.group_tallies is not None:
        added = count_groups(window, answered_versions(new.found, new.totals))
        merged.group_tallies = added_tallies(kept.measured.group_tallies, added)
    return _Kept(current, kept.made, merged)


def definitions() -> list[tuple[str, str]]:
    return [(definition.name, definition.text) for definition in FIXED] + [
        ("Staff survey index", STAFF_INDEX_TEXT),
        ("Peer review agreement", PEER_AGREEMENT_TEXT),
        ("Peer review kappa", PEER_KAPPA_TEXT),
        ("Standards most often not met", STANDARD_TEXT),
    ]


def forms_of(measured: Measured) -> list[FormVersions]:
    """The forms given against in the period or the one before, each with its versions, newest first."""
    grouped: dict[str, list[VersionInfo]] = defaultdict(list)
    for version in sorted(measured.found.values(), key=lambda version: -version.id):
        grouped[version.form_key].append(version)
    forms = []
    for key, versions in grouped.items():
        title = next((version.title for version in versions if version.spec), versions[0].title)
        forms.append(FormVersions(key, title, versions[0].audience, tuple(versions)))
    return sorted(forms, key=lambda form: (AUDIENCE_ORDER.get(form.audience, 4), form.key))


def _current_counts(measured: Measured) -> dict[int, int]:
    current = measured.totals[measured.totals["bucket"] == CURRENT]
    return {int(version_id): int(count) for version_id, count in current.groupby("version_id")["count"].sum().items()}


def _form_data(measured: Measured, form: FormVersions, counts: dict[int, int]) -> FormData | None:
    versions = tuple(version for version in form.versions if counts.get(version.id))
    if not versions:
        return None
    period = measured.window.period
    held = 0
    if form.audience == "auditor":
        extra = (
            Column("Case reference", "text", 16),
            Column("Auditor", "text", 20),
            Column("Practitioner", "text", 20),
            Column("Final grade", "text", 18),
            Column("Moderation", "text", 22),
            Column("Version", "text", 9),
        )
        rows = sheet_rows.audit_rows(form.key, period, measured.found, measured.teams)
    else:
        with_round = form.audience in ("partner", "staff") or sheet_rows.rounds_for(form.key)
        with_case = any(version.spec is not None and version.spec.keep_case_reference for version in versions)
        hidden: set[sheet_rows.StaffGroup] | None = None
        if form.audience in STAFF_AUDIENCES:
            groups = sheet_rows.staff_groups(form.key, period)
            hidden = sheet_rows.held_back_groups(groups, measured.teams)
            held = sum(count for group, count in groups.items() if group in hidden)
        extra = (
            Column(STAGE_HEADER, "text", 12),
            Column("Respondent", "text", 22),
            *((Column("Round or wave", "text", 18),) if with_round else ()),
            *((Column("Case reference", "text", 16),) if with_case else ()),
            Column("Version", "text", 9),
        )
        rows = sheet_rows.response_rows(
            form.key, period, measured.found, measured.teams, hidden, with_round=with_round, with_case=with_case
        )
    return FormData(
        key=form.key,
        title=form.title,
        audience=form.audience,
        versions=tuple(version for version in versions if version.spec is not None),
        count=sum(counts.get(version.id, 0) for version in versions),
        extra_context=extra,
        rows=rows,
        held_back=held,
    )


def collect_report(period: Period, *, made_by: str, today: date | None = None) -> ReportData:
    """Everything the workbook shows for ``period``, read in one consistent snapshot of the database."""
    repeatable_read()
    today = today or uk_today()
    measured = measure(period, today=today, questions=data.choice_questions)
    forms = forms_of(measured)
    counts = _current_counts(measured)
    not_shown = count_not_shown(measured.window, measured.found)
    form_data = [found for form in forms if (found := _form_data(measured, form, counts)) is not None]
    current_versions = [version for version in measured.found.values() if counts.get(version.id)]
    breakdowns, equality = report_breakdowns(
        measured.window, measured.found, measured.totals, measured.definitions, measured.teams
    )
    return ReportData(
        period=period,
        previous=measured.window.previous,
        made_at=datetime.now(UK).replace(tzinfo=None, microsecond=0),
        made_by=made_by,
        forms=form_data,
        headline=measured.measures(),
        by_service=measured.service_measures(),
        by_team=measured.team_measures(),
        summaries=form_summaries(forms, measured.totals, measured.values, measured.teams, not_shown),
        audits=audits_table(measured.window, measured.found, measured.teams),
        standards=standards_table(measured.window, measured.found, measured.values, not_shown),
        actions=actions_table(measured.window, measured.teams, today),
        definitions=definitions(),
        versions=sorted(current_versions, key=lambda version: (version.form_key, -version.id)),
        version_counts={version.id: counts[version.id] for version in current_versions},
        unreadable_versions=[version for version in current_versions if version.spec is None],
        notes=voided_notes(data.voided_in(measured.window)),
        breakdowns=breakdowns,
        equality=equality,
        complaints=complaints_data(period, measured.window.previous),
        response_rates=response_rates(period),
    )


def voided_notes(voided: int) -> list[str]:
    if not voided:
        return []
    responses = "1 response" if voided == 1 else f"{voided} responses"
    return [
        f"{responses} of this period voided by the QA team (who, when and why are in the audit log) "
        "are left out of every figure and sheet."
    ]


def collect_forms(period: Period) -> list[FormData]:
    """Just the form sheets' rows (for the CSV files): no summary is counted."""
    repeatable_read()
    window = Window.of(period)
    found = data.count_everything(window, data.choice_questions, uk_today(), totals_only=True)
    measured = Measured(window, found, organisation_teams(), [], Tallies())
    counts = _current_counts(measured)
    return [form_data for form in forms_of(measured) if (form_data := _form_data(measured, form, counts)) is not None]


def repeatable_read() -> None:
    """One snapshot for the whole export, so the Summary and the sheets count the same rows.

    SQLite's read transaction is a snapshot already; PostgreSQL needs REPEATABLE READ asked for
    before the transaction's first statement.
    """
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def record_export(description: str, actor: object = None, actor_email: str = "") -> None:
    """Write the export to the audit log, in its own transaction."""
    from qaf.audit_log import record_event

    run_write_transaction(lambda: record_event("export", description, actor=actor, actor_email=actor_email))
