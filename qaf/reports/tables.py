"""The Audits, Standards and Actions sheets, as plain tables read from the database."""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import aliased

from qaf.extensions import db
from qaf.formspec.conditions import Hidden
from qaf.models import ACTION_STATUSES, Audit, AuditAction, FormVersion, ThematicEvaluation, User
from qaf.models.audits import action_worker
from qaf.reports.columns import merge_columns
from qaf.reports.data import Window, as_at
from qaf.reports.measures import CURRENT, PREVIOUS
from qaf.reports.not_shown import not_shown_counts
from qaf.reports.periods import uk_date
from qaf.reports.report import STANDARDS_NOT_APPLICABLE_TEXT, Column, Table, TeamInfo, VersionInfo
from qaf.reports.rows import grade_label, local_time, moderation_state, team_cells

STANDARD_VALUES = ("met", "partly_met", "not_met", "not_applicable")


def audits_table(window: Window, found: dict[int, VersionInfo], known: dict[int, TeamInfo]) -> Table:
    """One row an audit submitted in the period."""
    auditor, practitioner, moderator = aliased(User), aliased(User), aliased(User)
    actions = (
        select(func.count()).where(AuditAction.audit_id == Audit.id).correlate(Audit).scalar_subquery().label("actions")
    )
    query = (
        select(
            Audit.id,
            Audit.form_version_id,
            Audit.case_reference,
            Audit.team_id,
            auditor.name,
            practitioner.name,
            Audit.submitted_at,
            Audit.grade,
            Audit.moderated_grade,
            Audit.moderated_at,
            moderator.name,
            Audit.scaling,
            actions,
        )
        .join(auditor, Audit.auditor_id == auditor.id)
        .outerjoin(practitioner, Audit.practitioner_id == practitioner.id)
        .outerjoin(moderator, Audit.moderator_id == moderator.id)
        .where(Audit.status == "submitted", window.current(Audit.submitted_at))
        .order_by(Audit.submitted_at, Audit.id)
    )
    rows = []
    for (
        audit_id,
        version_id,
        case_reference,
        team_id,
        by,
        about,
        submitted_at,
        grade,
        moderated,
        moderated_at,
        moderator_name,
        scaling,
        raised,
    ) in db.session.execute(query):
        assert submitted_at is not None
        version = found.get(version_id)
        team, service = team_cells(team_id, known)
        final = moderated or grade
        positive = version.grade_positive if version else ()
        rows.append(
            (
                audit_id,
                version.title if version else f"Form version #{version_id}",
                version.label if version else "",
                case_reference,
                team,
                service,
                known[team_id].district if team_id in known else "",
                by,
                about,
                local_time(submitted_at),
                grade_label(version, grade),
                grade_label(version, moderated) if moderated and moderated != grade else None,
                grade_label(version, final),
                ("Yes" if final in positive else "No") if final and positive else None,
                scaling,
                moderation_state(grade, moderated, moderated_at),
                moderator_name,
                raised,
            )
        )
    columns = (
        Column("Audit ID", "int", 9),
        Column("Template", "text", 36),
        Column("Version", "text", 9),
        Column("Case reference", "text", 16),
        Column("Team", "text", 28),
        Column("Service", "text", 24),
        Column("District", "text", 14),
        Column("Auditor", "text", 20),
        Column("Practitioner", "text", 20),
        Column("Submitted", "datetime", 17),
        Column("Grade given", "text", 18),
        Column("Moderated grade", "text", 18),
        Column("Final grade", "text", 18),
        Column("Good or better", "text", 10),
        Column("Scaling", "int", 9),
        Column("Moderation", "text", 22),
        Column("Moderated by", "text", 20),
        Column("Actions raised", "int", 10),
    )
    return Table("Audits", "Audits submitted in the period", columns, rows, "No audits were submitted in this period.")


def standards_table(
    window: Window, found: dict[int, VersionInfo], values: pd.DataFrame, not_shown: pd.DataFrame | None = None
) -> Table:
    """For each quality standard: how often it was met, partly met and not met in the period.

    Where a template lets the auditor mark a section not applicable (or shows a section or standard
    only after certain answers), the audits that did not show the standard are counted in a column of
    their own (``not_shown``: ``qaf.reports.not_shown.count_not_shown``); they have no answer, so the
    shares leave them out.
    """
    templates: dict[str, list[VersionInfo]] = defaultdict(list)
    for version in sorted(found.values(), key=lambda version: -version.id):
        if version.is_audit and version.spec is not None:
            templates[version.form_key].append(version)
    counts: dict[tuple[str, str, int, str], int] = defaultdict(int)
    audit_values = values[values["version_id"].isin([version.id for version in found.values() if version.is_audit])]
    for bucket, version_id, question, value, count in zip(
        audit_values["bucket"],
        audit_values["version_id"],
        audit_values["question"],
        audit_values["value"],
        audit_values["count"],
        strict=True,
    ):
        counts[(found[int(version_id)].form_key, str(question), int(bucket), str(value))] += int(count)
    reasons = _standard_reasons([version for versions in templates.values() for version in versions])
    rows = []
    for form_key, versions in sorted(templates.items(), key=lambda item: item[1][0].title):
        hidden = not_shown_counts(not_shown, [version.id for version in versions]) if not_shown is not None else {}
        sections = {
            question.id: section.title
            for version in reversed(versions)
            if version.spec is not None
            for section in version.spec.sections
            for question in section.questions
        }
        for column in merge_columns(versions):
            if column.type != "standard":
                continue

            def count(bucket: int, value: str, key: str = form_key, question_id: str = column.id) -> int:
                return counts.get((key, question_id, bucket, value), 0)

            met, partly, not_met, not_applicable = (count(CURRENT, value) for value in STANDARD_VALUES)
            previous_not_met = count(PREVIOUS, "not_met")
            previous_applicable = sum(count(PREVIOUS, value) for value in STANDARD_VALUES[:3])
            applicable = met + partly + not_met
            not_shown_now = hidden.get((CURRENT, column.id), {})
            skipped = [not_shown_now.get(reason, 0) for reason in reasons]
            if not applicable + not_applicable + previous_applicable + sum(skipped):
                continue
            rows.append(
                (
                    versions[0].title,
                    sections.get(column.id, ""),
                    column.header,
                    applicable + not_applicable,
                    met,
                    partly,
                    not_met,
                    not_applicable,
                    *skipped,
                    met / applicable if applicable else None,
                    partly / applicable if applicable else None,
                    not_met / applicable if applicable else None,
                    previous_not_met / previous_applicable if previous_applicable else None,
                )
            )
    columns = (
        Column("Template", "text", 36),
        Column("Section", "text", 24),
        Column("Standard", "text", 60),
        Column("Audits answering", "int", 10),
        Column("Met", "int", 8),
        Column("Partly met", "int", 8),
        Column("Not met", "int", 8),
        Column("Not applicable", "int", 10),
        *(Column(reason.label, "int", 12) for reason in reasons),
        Column("Met (share)", "share", 10),
        Column("Partly met (share)", "share", 10),
        Column("Not met (share)", "share", 10),
        Column("Not met, previous period (share)", "share", 12),
    )
    intro = "Shares are of the audits answering the standard, leaving out ‘Not applicable’."
    if Hidden.SECTION_NOT_APPLICABLE in reasons:
        intro += " " + STANDARDS_NOT_APPLICABLE_TEXT
    if Hidden.CONDITION in reasons:
        intro += " ‘Not shown’: audits whose earlier answers meant the standard was not asked; left out too."
    return Table(
        "Standards",
        "Quality standards in audits submitted in the period",
        columns,
        rows,
        "No audits with quality standards were submitted in this period.",
        intro,
    )


def _standard_reasons(versions: list[VersionInfo]) -> list[Hidden]:
    """Why an audit of these versions could leave a standard unasked, in ``Hidden``'s order."""
    possible = set()
    for version in versions:
        for section in version.spec.sections if version.spec is not None else ():
            for question in section.questions:
                if question.type != "standard":
                    continue
                if section.may_not_apply:
                    possible.add(Hidden.SECTION_NOT_APPLICABLE)
                if section.show_if is not None or question.show_if is not None:
                    possible.add(Hidden.CONDITION)
    return [reason for reason in Hidden if reason in possible]


def open_in(window: Window) -> list[ColumnElement[bool]]:
    """Actions raised in the period or still open during it (for the window's teams)."""
    start, end = window.period.utc_bounds()
    return [
        AuditAction.created_at < end,
        or_(AuditAction.completed_at.is_(None), AuditAction.completed_at >= start),
        *window.of_teams(Audit.team_id),
        *window.shown_audits(Audit.id),
    ]


def days_overdue(due: date, completed_at: datetime | None, day: date) -> int:
    """How many days past its due date an action was on ``day``, if it was not done by then."""
    done_day = uk_date(completed_at) if completed_at else None
    return (day - due).days if due < day and (done_day is None or done_day > day) else 0


def actions_table(window: Window, known: dict[int, TeamInfo], today: date) -> Table:
    """Every action raised in the period or still open during it, with its days overdue."""
    day = as_at(window.period, today)
    owner, raiser = aliased(User), aliased(User)
    query = (
        select(
            AuditAction.id,
            AuditAction.target,
            AuditAction.action,
            ThematicEvaluation.title,
            AuditAction.outcome,
            Audit.id,
            Audit.case_reference,
            Audit.form_version_id,
            Audit.team_id,
            owner.name,
            raiser.name,
            AuditAction.created_at,
            AuditAction.due_date,
            AuditAction.status,
            AuditAction.completed_at,
        )
        .outerjoin(Audit, AuditAction.audit_id == Audit.id)
        .outerjoin(ThematicEvaluation, AuditAction.thematic_id == ThematicEvaluation.id)
        .join(owner, AuditAction.owner_id == owner.id)
        .join(raiser, AuditAction.created_by_id == raiser.id)
        .where(*open_in(window))
        .order_by(AuditAction.due_date, AuditAction.id)
    )
    found_titles = _template_titles()
    found = list(db.session.execute(query))
    workers = _workers_named([row[0] for row in found])
    rows: list[tuple[Any, ...]] = []
    for (
        action_id,
        target,
        text,
        thematic,
        outcome,
        audit_id,
        case_ref,
        version_id,
        team_id,
        owned_by,
        raised_by,
        created,
        due,
        status,
        done,
    ) in found:
        team, service = team_cells(team_id, known) if team_id is not None else ("", "")
        rows.append(
            (
                action_id,
                target,
                text,
                thematic or "",
                audit_id,
                case_ref,
                found_titles.get(version_id, ""),
                team,
                service,
                owned_by,
                workers.get(action_id, ""),
                raised_by,
                uk_date(created),
                due,
                ACTION_STATUSES.get(status, status),
                uk_date(done) if done else None,
                days_overdue(due, done, day),
                outcome,
            )
        )
    columns = (
        Column("Action ID", "int", 9),
        Column("Target", "free_text", 40),
        Column("Action", "free_text", 50),
        Column("Thematic evaluation", "text", 30),
        Column("Audit ID", "int", 9),
        Column("Case reference", "text", 16),
        Column("Template", "text", 30),
        Column("Team", "text", 28),
        Column("Service", "text", 24),
        Column("Owner", "text", 20),
        Column("Workers involved", "text", 30),
        Column("Raised by", "text", 20),
        Column("Raised on", "date", 12),
        Column("Due", "date", 12),
        Column("Status now", "text", 12),
        Column("Completed on", "date", 12),
        Column(f"Days overdue on {day.day} {day:%B %Y}", "int", 12),
        Column("Outcome", "free_text", 40),
    )
    return Table(
        "Actions",
        "Actions raised in the period or open during it",
        columns,
        rows,
        "No actions were raised in or open during this period.",
    )


def _workers_named(action_ids: list[int]) -> dict[int, str]:
    """The workers involved in each action, their names in one cell."""
    names: dict[int, list[str]] = defaultdict(list)
    query = (
        select(action_worker.c.action_id, User.name)
        .join(User, action_worker.c.user_id == User.id)
        .where(action_worker.c.action_id.in_(action_ids))
        .order_by(User.name)
    )
    for action_id, name in db.session.execute(query) if action_ids else ():
        names[action_id].append(name)
    return {action_id: ", ".join(people) for action_id, people in names.items()}


def _template_titles() -> dict[int, str]:
    return dict(db.session.execute(select(FormVersion.id, FormVersion.title)).all())
