"""Reading the response rates of a period from the database (the figures are in response_rates)."""

from collections.abc import Collection

from sqlalchemy import case, func, select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec.spec import STAGES
from qaf.models import FeedbackRound, Invitation, Response
from qaf.reports.periods import Period
from qaf.reports.report import NO_TEAM
from qaf.reports.response_rates import InvitationRate, ResponseRates, RoundResponses, WaveRate
from qaf.reports.versions import teams as organisation_teams

NOT_GIVEN = "Not given"
ALL_TEAMS = "All services and teams"
STAGE_ORDER = {label: number for number, (_value, label) in enumerate(STAGES)}

# Whether an invitation was answered, read from the invitation alone: never from the response.
# Only whether an invitation was answered is known, never by which response.
ANSWERED = Invitation.answered.is_(True)


def response_rates(period: Period, team_ids: Collection[int] | None = None, scope: str = ALL_TEAMS) -> ResponseRates:
    """The period's response rates; with ``team_ids``, invitations of those teams only (rounds and
    waves are not for one team)."""
    return ResponseRates(period, scope, invitation_rates(period, team_ids), round_responses(period), wave_rates(period))


def invitation_rates(period: Period, team_ids: Collection[int] | None = None) -> tuple[InvitationRate, ...]:
    start, end = period.utc_bounds()
    query = (
        select(
            Invitation.form_key,
            Invitation.team_id,
            Invitation.stage,
            func.count(),
            func.coalesce(func.sum(case((ANSWERED, 1), else_=0)), 0),
        )
        # A cancelled link (re-issued, or made by mistake) was never the family's to answer.
        .where(Invitation.created_at >= start, Invitation.created_at < end, Invitation.cancelled_at.is_(None))
        .group_by(Invitation.form_key, Invitation.team_id, Invitation.stage)
    )
    if team_ids is not None:
        query = query.where(Invitation.team_id.in_(sorted(team_ids)))
    forms, teams, stages = all_forms(), organisation_teams(), dict(STAGES)
    rates = []
    for form_key, team_id, stage, made, answered in db.session.execute(query):
        team, spec = teams.get(team_id), forms.get(form_key)
        rates.append(
            InvitationRate(
                form=spec.title if spec else form_key,
                service=team.service if team else "",
                team=team.name if team else NO_TEAM,
                stage=stages.get(stage, stage),
                made=int(made),
                answered=int(answered),
            )
        )
    return tuple(sorted(rates, key=lambda rate: (rate.form, rate.service, rate.team, STAGE_ORDER.get(rate.stage, 9))))


def _rounds_open_in(period: Period, audience: str) -> list[FeedbackRound]:
    keys = [key for key, spec in all_forms().items() if spec.rounds and spec.audience == audience]
    query = (
        select(FeedbackRound)
        .where(
            FeedbackRound.form_key.in_(keys),
            FeedbackRound.opens_on <= period.last_day,
            FeedbackRound.closes_on >= period.first_day,
        )
        .order_by(FeedbackRound.opens_on, FeedbackRound.id)
    )
    return list(db.session.scalars(query))


def _counted(round_ids: list[int], *by: object) -> dict[tuple[object, ...], int]:
    """Responses (not voided) through each round, and by each of ``by``."""
    query = (
        select(Response.round_id, *by, func.count())  # type: ignore[call-overload]
        .where(Response.round_id.in_(round_ids), Response.void_id.is_(None))
        .group_by(Response.round_id, *by)
    )
    return {tuple(row[:-1]): int(row[-1]) for row in db.session.execute(query)}


def round_responses(period: Period) -> tuple[RoundResponses, ...]:
    """Each partner round open in the period, with every type of organisation its form offers."""
    found = _rounds_open_in(period, "partner")
    counts = _counted([item.id for item in found], Response.respondent_type)
    forms, results = all_forms(), []
    for item in found:
        spec = forms[item.form_key]
        question = next((q for q in spec.questions if q.id == spec.respondent_question), None)
        options = [(option.value, option.label) for option in question.options] if question else []
        known = {value for value, _label in options}
        others = sorted(
            str(value)
            for (round_id, value) in counts
            if round_id == item.id and value is not None and value not in known
        )
        by_agency = [(label, counts.get((item.id, value), 0)) for value, label in options]
        by_agency += [(value, counts[(item.id, value)]) for value in others]
        if counts.get((item.id, None)):
            by_agency.append((NOT_GIVEN, counts[(item.id, None)]))
        results.append(RoundResponses(item.name, spec.title, item.opens_on, item.closes_on, tuple(by_agency)))
    return tuple(results)


def wave_rates(period: Period) -> tuple[WaveRate, ...]:
    """Each staff survey wave open in the period, its responses against the staff asked."""
    found = _rounds_open_in(period, "staff")
    counts = _counted([item.id for item in found])
    forms = all_forms()
    return tuple(
        WaveRate(
            item.name,
            forms[item.form_key].title,
            item.opens_on,
            item.closes_on,
            item.staff_count,
            counts.get((item.id,), 0),
        )
        for item in found
    )
