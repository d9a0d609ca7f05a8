"""A team summary for a team manager: strengths, areas for development, actions and progress.

From the practice evaluation framework (seed 004, 4.10): "a summary report for the Team
Manager to share with their team ... areas of strength; areas that were identified for
development; what practice improvements have been proposed and how progress has been
evidenced". The headline measures are the dashboard's, for one team.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from qaf.extensions import db
from qaf.models import Audit, AuditAction
from qaf.reports import data
from qaf.reports.collect import Measured, forms_of, measure_for_page
from qaf.reports.data import as_at
from qaf.reports.measures import CURRENT
from qaf.reports.periods import Period, uk_today
from qaf.reports.report import SUPPRESS_BELOW, ScopeMeasures, TeamInfo
from qaf.reports.summary import form_summaries
from qaf.reports.tables import days_overdue, open_in

STRONG = 0.7  # a share of positive answers (or standards met) at or above this is a strength
SHOWN = 3  # from feedback, and again from audits


@dataclass(frozen=True)
class Finding:
    what: str
    where: str
    share: float
    based_on: int
    detail: str


@dataclass(frozen=True)
class ActionLine:
    action: AuditAction
    days_overdue: int
    raised_in_period: bool
    completed_in_period: bool


@dataclass(frozen=True)
class TeamSummary:
    team: TeamInfo
    period: Period
    previous: Period
    measures: ScopeMeasures
    strengths: list[Finding]
    development: list[Finding]
    actions: list[ActionLine]
    as_at: date
    left_out: int = 0  # audits the viewer is peer reviewing blind, in none of the figures

    @property
    def raised(self) -> list[ActionLine]:
        return [line for line in self.actions if line.raised_in_period]

    @property
    def completed(self) -> list[ActionLine]:
        return [line for line in self.actions if line.completed_in_period]


def team_summary(
    team: TeamInfo, period: Period, today: date | None = None, *, hidden_audits: Collection[int] = ()
) -> TeamSummary:
    """The team's summary for ``period``. ``hidden_audits`` (the first audits of blind peer reviews the
    viewer has still to do) are in none of it: not their grade, scaling, standards nor actions."""
    today = today or uk_today()
    measured = measure_for_page(
        period,
        today=today,
        questions=data.choice_questions,
        team_ids=[team.id],
        by_team=True,
        hidden_audits=hidden_audits,
    )
    strengths: list[Finding] = []
    development: list[Finding] = []
    for findings in (_feedback_findings(measured), _standard_findings(measured)):
        strong = sorted((f for f in findings if f.share >= STRONG), key=lambda f: (-f.share, -f.based_on, f.what))
        weak = sorted((f for f in findings if f.share < STRONG), key=lambda f: (f.share, -f.based_on, f.what))
        strengths += strong[:SHOWN]
        development += weak[:SHOWN]
    return TeamSummary(
        team=team,
        period=period,
        previous=measured.window.previous,
        measures=measured.measures([team.id], label=team.name),
        strengths=strengths,
        development=development,
        actions=_actions(measured, today),
        as_at=as_at(period, today),
        left_out=len(hidden_audits),
    )


def _feedback_findings(measured: Measured) -> list[Finding]:
    """Each feedback question's share of positive answers this period (never from under 5 staff).

    A baseline question (how things were when the help started) says nothing of the service: left out.
    """
    findings = []
    for summary in form_summaries(forms_of(measured), measured.totals, measured.values, measured.teams):
        if summary.audience == "auditor":
            continue
        for question in summary.questions:
            if question.positive is None or question.baseline:
                continue
            if summary.suppressed and question.answered < SUPPRESS_BELOW:
                continue
            findings.append(
                Finding(
                    question.label,
                    summary.title,
                    question.positive,
                    question.answered,
                    f"positive ({'; '.join(question.positive_labels)}) in {question.answered} answer(s)",
                )
            )
    return findings


def _standard_findings(measured: Measured) -> list[Finding]:
    """Each quality standard's share met this period, leaving out ‘Not applicable’."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    labels: dict[tuple[str, str], tuple[str, str]] = {}
    for version in measured.found.values():
        if version.is_audit and version.spec is not None:
            for question in version.spec.questions:
                if question.type == "standard":
                    label = " ".join(question.label.split())
                    labels.setdefault((version.form_key, question.id), (label, version.title))
    values = measured.values[measured.values["bucket"] == CURRENT]
    for version_id, question, value, count in zip(
        values["version_id"], values["question"], values["value"], values["count"], strict=True
    ):
        found = measured.found.get(int(version_id))
        if found is None or (found.form_key, question) not in labels:
            continue
        tally = counts.setdefault((found.form_key, str(question)), {})
        tally[str(value)] = tally.get(str(value), 0) + int(count)
    findings = []
    for key, tally in counts.items():
        applicable = tally.get("met", 0) + tally.get("partly_met", 0) + tally.get("not_met", 0)
        if applicable:
            label, template = labels[key]
            detail = (
                f"met in {tally.get('met', 0)}, partly met in {tally.get('partly_met', 0)} and not met in "
                f"{tally.get('not_met', 0)} audit(s)"
            )
            findings.append(Finding(label, template, tally.get("met", 0) / applicable, applicable, detail))
    return findings


def _actions(measured: Measured, today: date) -> list[ActionLine]:
    start, end = measured.window.period.utc_bounds()
    day = as_at(measured.window.period, today)
    actions = db.session.scalars(
        select(AuditAction)
        .join(Audit, AuditAction.audit_id == Audit.id)
        .where(*open_in(measured.window))
        .options(joinedload(AuditAction.owner), joinedload(AuditAction.audit))
        .order_by(AuditAction.due_date, AuditAction.id)
    )
    return [
        ActionLine(
            action,
            days_overdue(action.due_date, action.completed_at, day),
            start <= action.created_at < end,
            action.completed_at is not None and start <= action.completed_at < end,
        )
        for action in actions
    ]
