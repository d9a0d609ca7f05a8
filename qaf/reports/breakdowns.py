"""The headline measures broken down: by stage, round or wave, partner agency type, district and
respondent, and by the answers to the equality monitoring questions.

Plain Python, no Flask and no database: ``qaf.reports.breakdown_counts`` counts the period's
responses per form version and group (``GroupTally``); here they become tables of groups, each
with the responses behind every measure, how many answered its question and the share positive.

Two rules keep people from being picked out. A staff measure of a group with fewer than 5
responses reads "Fewer than 5: not shown", as everywhere in QAF. An equality group (the people
giving one answer to an equality question) with fewer than 5 responses is not shown on its own:
such groups are counted together in one row, "Fewer than 5: not shown".
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qaf.formspec.spec import STAGES, FormSpec
from qaf.reports.measures import Definition, question_measures
from qaf.reports.report import (
    STAFF_AUDIENCES,
    SUPPRESS_BELOW,
    SUPPRESSED,
    Breakdown,
    GroupRow,
    TeamInfo,
    VersionInfo,
)

STAGE, ROUND, AGENCY, DISTRICT, RESPONDENT = "stage", "round", "agency", "district", "respondent"
EQUALITY = "equality:"
# The question of a partner form whose answer is the partner's district (a choice of Team.district names).
DISTRICT_QUESTION = "district"
DIMENSIONS = (
    (STAGE, "By stage of intervention", "Family and child feedback by the stage it was given at."),
    (ROUND, "By round or wave", "Partner feedback rounds and staff survey waves; ‘Ad hoc’ is the always-open link."),
    (AGENCY, "By partner agency type", "Partner feedback by the type of organisation answering."),
    (
        DISTRICT,
        "By district",
        "Family, child and staff feedback by the district of the team it was given for; partner feedback by "
        "the district the partner said they work in (or their team's, if they did not say).",
    ),
    (RESPONDENT, "By respondent", "Family, child and staff feedback by who answered (a parent or carer, a child...)."),
)
NOT_GIVEN, AD_HOC, NOT_ANSWERED = "Not given", "Ad hoc (no round)", "Not answered"
STAGE_LABELS = dict(STAGES)
# Every family, child and partner response counts here; staff responses only in their survey's
# indices, where groups under 5 are hidden.
RESPONSES = Definition(
    "breakdown_responses",
    "Responses from families, children and partners",
    "count",
    "Activity",
    "Responses to the family, child and partner forms in the group.",
)


@dataclass(frozen=True)
class GroupTally:
    """One form version's responses in one group of one dimension, this period.

    ``group`` is the stored value ('' when none was given; the team id for a district, unless a
    partner named one). ``measures`` holds (measure key, positive answers, answers) per measure.
    """

    version_id: int
    dimension: str
    group: str
    responses: int
    measures: tuple[tuple[str, int, int], ...]
    team_district: bool = False


def measures_of(version: VersionInfo) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """The measures a feedback version's answers count towards: measure key -> (question, positives).

    Family, child and partner versions also count towards RESPONSES, which reads no question.
    """
    measures: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    if version.audience not in STAFF_AUDIENCES:
        measures[RESPONSES.key] = []
    for question_id, (measure, positives) in question_measures(version).items():
        if not measure.startswith("standard:"):
            measures[measure].append((question_id, positives))
    return dict(measures)


def dimensions_of(version: VersionInfo) -> list[str]:
    """The dimensions a version's responses are broken down by."""
    spec = version.spec
    if spec is None or version.is_audit:
        return []
    partner = version.audience == "partner"
    found = [] if partner or version.audience in STAFF_AUDIENCES else [STAGE]
    if spec.rounds:
        found.append(ROUND)
    if spec.respondent_question or spec.respondent_type:
        found.append(AGENCY if partner else RESPONDENT)
    found.append(DISTRICT)
    found += [EQUALITY + question.id for question in spec.questions if question.equality]
    return found


def _group_label(
    tally: GroupTally, version: VersionInfo | None, teams: dict[int, TeamInfo], rounds: dict[str, str]
) -> str:
    value = tally.group
    spec = version.spec if version is not None else None
    if tally.dimension == STAGE:
        return STAGE_LABELS.get(value, value) if value else NOT_GIVEN
    if tally.dimension == ROUND:
        return rounds.get(value, value) if value else AD_HOC
    if tally.dimension == DISTRICT:
        if tally.team_district:
            team = teams.get(int(value)) if value.isdigit() else None
            return team.district if team is not None and team.district else NOT_GIVEN
        return _option_label(spec, DISTRICT_QUESTION, value) if value else NOT_GIVEN
    if tally.dimension in (AGENCY, RESPONDENT):
        if not value:
            return NOT_GIVEN
        return _option_label(spec, spec.respondent_question, value) if spec and spec.respondent_question else value
    return _option_label(spec, tally.dimension[len(EQUALITY) :], value) if value else NOT_ANSWERED


def _option_label(spec: FormSpec | None, question_id: str, value: str) -> str:
    if spec is None:
        return value
    try:
        return spec.question(question_id).option_label(value)
    except KeyError:
        return value


@dataclass
class _Sums:
    responses: int = 0
    positive: int = 0
    answered: int = 0

    def add(self, responses: int, positive: int, answered: int) -> None:
        self.responses += responses
        self.positive += positive
        self.answered += answered


def breakdowns(
    tallies: Iterable[GroupTally],
    versions: dict[int, VersionInfo],
    definitions: Sequence[Definition],
    teams: dict[int, TeamInfo],
    rounds: dict[str, str],
) -> list[Breakdown]:
    """One table a dimension that has any responses, rows by measure (in the measures' order), then group."""
    sums: dict[str, dict[tuple[str, str], _Sums]] = defaultdict(lambda: defaultdict(_Sums))
    order: dict[str, list[str]] = defaultdict(list)
    for tally in tallies:
        if tally.dimension.startswith(EQUALITY):
            continue
        label = _group_label(tally, versions.get(tally.version_id), teams, rounds)
        if label not in order[tally.dimension]:
            order[tally.dimension].append(label)
        for measure, positive, answered in tally.measures:
            sums[tally.dimension][(measure, label)].add(tally.responses, positive, answered)
    found = []
    for key, title, intro in DIMENSIONS:
        if key not in sums:
            continue
        groups = sorted(order[key], key=lambda label: _group_order(key, label))
        rows = [
            _row(definition, label, sums[key][(definition.key, label)])
            for definition in (RESPONSES, *definitions)
            for label in groups
            if (definition.key, label) in sums[key]
        ]
        if rows:
            found.append(Breakdown(key, title, intro, tuple(rows)))
    return found


def _group_order(dimension: str, label: str) -> tuple[int, int, str]:
    last = label in (NOT_GIVEN, AD_HOC, NOT_ANSWERED)
    stage = [name for _value, name in STAGES]
    position = stage.index(label) if dimension == STAGE and label in stage else len(stage)
    return (int(last), position, label)


def _row(definition: Definition, label: str, counted: _Sums) -> GroupRow:
    if definition.suppress and counted.responses < SUPPRESS_BELOW:
        return GroupRow(definition.name, label, None, None, None, hidden=True)
    if definition.unit == "count":
        return GroupRow(definition.name, label, counted.responses, None, None)
    share = counted.positive / counted.answered if counted.answered else None
    return GroupRow(definition.name, label, counted.responses, counted.answered, share)


def equality_breakdowns(
    tallies: Iterable[GroupTally], versions: dict[int, VersionInfo], definitions: Sequence[Definition]
) -> list[Breakdown]:
    """One table an equality question: its answers as groups, each with its responses and measures.

    A group with fewer than 5 responses is counted with the other small groups of the same
    question, in one row "Fewer than 5: not shown"; so is "Not answered", like any group.
    """
    labels: dict[str, str] = {}  # question id -> label, newest version first
    options: dict[str, list[str]] = defaultdict(list)
    for version in sorted(versions.values(), key=lambda version: -version.id):
        for question in version.spec.questions if version.spec is not None else ():
            if question.equality:
                labels.setdefault(question.id, " ".join(question.label.split()))
                options[question.id] += [o.label for o in question.options if o.label not in options[question.id]]
    responses: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sums: dict[str, dict[tuple[str, str], _Sums]] = defaultdict(lambda: defaultdict(_Sums))
    for tally in tallies:
        if not tally.dimension.startswith(EQUALITY):
            continue
        question_id = tally.dimension[len(EQUALITY) :]
        label = _group_label(tally, versions.get(tally.version_id), {}, {})
        responses[question_id][label] += tally.responses
        for measure, positive, answered in tally.measures:
            sums[question_id][(measure, label)].add(tally.responses, positive, answered)
    found = []
    for question_id, title in labels.items():
        if question_id not in responses:
            continue
        shown = [label for label, count in responses[question_id].items() if count >= SUPPRESS_BELOW]
        known = [*options[question_id], NOT_ANSWERED]
        shown.sort(key=lambda label: (known.index(label) if label in known else len(known), label))
        merged = {label: (label if label in shown else SUPPRESSED) for label in responses[question_id]}
        groups = shown + ([SUPPRESSED] if len(merged) > len(shown) else [])
        combined: dict[tuple[str, str], _Sums] = defaultdict(_Sums)
        for (measure, label), counted in sums[question_id].items():
            combined[(measure, merged[label])].add(counted.responses, counted.positive, counted.answered)
        rows = [
            _row(definition, group, combined[(definition.key, group)])
            for definition in (RESPONSES, *definitions)
            for group in groups
            if (definition.key, group) in combined
        ]
        intro = (
            "Answers to an optional equality monitoring question. Groups with fewer than 5 responses are counted "
            f"together as ‘{SUPPRESSED}’."
        )
        found.append(Breakdown(EQUALITY + question_id, title, intro, tuple(rows)))
    return found
