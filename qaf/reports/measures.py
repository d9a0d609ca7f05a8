"""The headline measures, computed one way for the workbook's Summary, the dashboard and team summaries.

Every measure is a sum of whole numbers per team and period (``tallies``): a numerator,
a denominator and the responses behind them. Any scope (everything, a service, a team) is
the sum of its teams' tallies, so the dashboard and the workbook cannot disagree: they
call ``scope_measures`` on the same tallies.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from qaf.programme.agreement import kappa
from qaf.reports.report import (
    FAMILIES_NOT_SURE,
    STAFF_AUDIENCES,
    SUPPRESS_BELOW,
    MeasureValue,
    ScopeMeasures,
    VersionInfo,
)

TOP_STANDARDS = 5
NOT_MET, NOT_APPLICABLE = "not_met", "not_applicable"
# The answer "I'm not sure yet" (or "I don't know") to the families_helped question: neither yes nor no,
# so it is counted as its own figure, beside the share who said the help helped.
NOT_SURE = "not_sure"

CURRENT, PREVIOUS = 1, 0


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    unit: str  # share, mean, count, or kappa (Cohen's kappa, -1 to 1)
    group: str
    text: str  # what it means, for the About sheet and the dashboard
    suppress: bool = False


FIXED = (
    Definition(
        "feedback_responses",
        "Feedback responses",
        "count",
        "Activity",
        "Responses to the feedback forms and surveys (families, children, partners, staff) sent in the period.",
    ),
    Definition(
        "audits_submitted",
        "Audits submitted",
        "count",
        "Activity",
        "Audits and practice evaluations submitted in the period (drafts are not counted).",
    ),
    Definition(
        "families_helped",
        "Families saying the help helped",
        "share",
        "Feedback",
        "Of family and child responses answering ‘Has the help made things better?’, the share giving one of "
        "the question's positive answers (for example ‘Yes, a lot’ or ‘Yes, a little’). Every other answer, "
        "‘I'm not sure yet’ too, is not positive; how many were not sure is the next measure.",
    ),
    Definition(
        FAMILIES_NOT_SURE,
        "Families not sure yet whether the help helped",
        "share",
        "Feedback",
        "Of the same answers, the share that said ‘I'm not sure yet’ (‘I don't know’ on the children's form): "
        "counted apart, neither as helped nor as not helped.",
    ),
    Definition(
        "partner_satisfaction",
        "Partner satisfaction",
        "share",
        "Feedback",
        "Of partner responses answering ‘Overall, how satisfied are you...?’, the share that were satisfied or "
        "very satisfied (the question's positive answers).",
    ),
    Definition(
        "audits_good",
        "Audits graded Good or better",
        "share",
        "Audits",
        "Of submitted audits with a grade, the share whose final grade (the moderated grade if it was "
        "changed) is one of the grade question's positive answers: Good or Outstanding, or Gold or Silver "
        "for unit meeting peer audits.",
    ),
    Definition(
        "audit_scaling",
        "Mean audit scaling",
        "mean",
        "Audits",
        "The mean of the impact scaling (0 to 10) given in submitted audits that ask for it.",
    ),
    Definition(
        "actions_raised",
        "Actions raised",
        "count",
        "Actions",
        "Actions raised by audits in the period.",
    ),
    Definition(
        "actions_completed",
        "Actions completed",
        "count",
        "Actions",
        "Actions marked done in the period.",
    ),
    Definition(
        "actions_overdue",
        "Actions overdue",
        "count",
        "Actions",
        "Actions not done at the end of the period (or today, if the period has not ended) whose due date had passed.",
    ),
)
STAFF_INDEX_TEXT = (
    "For each section of a staff survey: of staff answers to the section's questions that have positive "
    "answers defined, the share that were positive. Not shown for fewer than 5 responses."
)
STANDARD_TEXT = (
    "The five quality standards with the highest share of audits saying ‘Not met’ in the period (of the audits "
    "answering the standard, leaving out ‘Not applicable’), highest first; at the same share, the one not met in "
    "more audits first. The Notes say in how many audits each was not met."
)


PEER_AGREEMENT_TEXT = (
    "For each template with random peer reviews: of the audits submitted in the period whose blind second "
    "audit has been submitted, the share where both auditors gave the same overall grade (the first "
    "auditor's own grade, before any moderation). Counted for the team of the first audit."
)
PEER_KAPPA_TEXT = (
    "Cohen's kappa for the same pairs of grades: agreement beyond what chance would give. 1 is perfect "
    "agreement, 0 no better than chance, below 0 worse than chance. Blank when every grade given was the same, "
    "where kappa is not defined."
)


PEER_MEASURES = (
    ("agreement", "Peer review agreement", "share", PEER_AGREEMENT_TEXT),
    ("kappa", "Peer review kappa", "kappa", PEER_KAPPA_TEXT),
)


def peer_key(kind: str, form_key: str) -> str:
    """``peer_agreement:<template>`` and ``peer_kappa:<template>`` name the measures. The tallies hold
    ``peer_agreement`` (pairs agreed, pairs) and, per grade, ``peer_first:<template>:<grade>`` and
    ``peer_second:...``: how often it was given first and second, from which kappa is worked out."""
    return f"peer_{kind}:{form_key}"


def staff_index_key(form_key: str, section: str) -> str:
    return f"staff_index:{form_key}:{section}"


def standard_key(form_key: str, question_id: str) -> str:
    return f"standard:{form_key}:{question_id}"


def definitions_for(versions: Iterable[VersionInfo], peer_reviewed: Collection[str] = ()) -> list[Definition]:
    """The fixed measures, one staff index per staff survey section, peer review agreement and kappa for
    each template in ``peer_reviewed``, then one per quality standard."""
    staff: dict[str, Definition] = {}
    standards: dict[str, Definition] = {}
    peer_titles: dict[str, str] = {}  # template key: title of its newest version
    for version in sorted(versions, key=lambda version: -version.id):
        if version.spec is None:
            continue
        if version.audience in STAFF_AUDIENCES:
            for section in version.spec.sections:
                if any(question.positive for question in section.questions):
                    key = staff_index_key(version.form_key, section.title)
                    name = f"Staff survey index: {section.title} ({version.title})"
                    staff.setdefault(key, Definition(key, name, "share", "Staff", STAFF_INDEX_TEXT, suppress=True))
        if version.is_audit:
            for question in version.spec.questions:
                if question.type == "standard":
                    key = standard_key(version.form_key, question.id)
                    label = " ".join(question.label.split())
                    name = f"Not met: {label} ({version.title})"
                    standards.setdefault(key, Definition(key, name, "share", "Standards", STANDARD_TEXT))
            if version.form_key in peer_reviewed:
                peer_titles.setdefault(version.form_key, version.title)
    fixed = list(FIXED)
    audits_start = next(index for index, definition in enumerate(fixed) if definition.group == "Audits")
    audits_end = next(index for index, definition in enumerate(fixed) if definition.group == "Actions")
    return (
        fixed[:audits_start]
        + list(staff.values())
        + fixed[audits_start:audits_end]
        + [
            Definition(peer_key(kind, form_key), f"{name} ({title})", unit, "Peer review", text)
            for form_key, title in sorted(peer_titles.items(), key=lambda item: (item[1], item[0]))
            for kind, name, unit, text in PEER_MEASURES
        ]
        + fixed[audits_end:]
        + list(standards.values())
    )


class Tallies:
    """Whole numbers per measure, period (bucket) and team: a numerator, a denominator, responses.

    Any scope is the sum of its teams' tallies; team 0 holds responses given with no team.
    """

    def __init__(self) -> None:
        self.by_team: dict[int, dict[tuple[str, int], list[int]]] = defaultdict(dict)

    def add(self, measure: str, bucket: int, team_id: int, numerator: int, denominator: int, responses: int) -> None:
        tally = self.by_team[int(team_id)].setdefault((measure, int(bucket)), [0, 0, 0])
        tally[0] += int(numerator)
        tally[1] += int(denominator)
        tally[2] += int(responses)

    def teams(self) -> set[int]:
        return set(self.by_team)

    def sums(self, team_ids: Collection[int] | None = None) -> dict[tuple[str, int], tuple[int, int, int]]:
        totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for team_id, tallies_of_team in self.by_team.items():
            if team_ids is not None and team_id not in team_ids:
                continue
            for key, (numerator, denominator, responses) in tallies_of_team.items():
                total = totals[key]
                total[0] += numerator
                total[1] += denominator
                total[2] += responses
        return {key: (total[0], total[1], total[2]) for key, total in totals.items()}


def tallies(
    versions: dict[int, VersionInfo],
    totals: pd.DataFrame,
    values: pd.DataFrame,
    grades: pd.DataFrame,
    actions: pd.DataFrame,
    pairs: pd.DataFrame | None = None,
) -> Tallies:
    """Every measure's numerator, denominator and responses per period (bucket) and team.

    ``totals``: bucket, version_id, team_id, count. ``values``: bucket, version_id, team_id,
    question, value, count (one row per distinct stored answer). ``grades``: bucket,
    version_id, team_id, grade, count, scaling_sum, scaling_n. ``actions``: bucket, team_id,
    raised, completed, overdue. ``pairs``: bucket, version_id, team_id, first, second, count
    (peer reviews: the first and second auditor's grades). Each answer is judged by the
    version it was given against.
    """
    counted = Tallies()
    form_responses: dict[tuple[str, int, int], int] = defaultdict(int)
    for bucket, version_id, team_id, count in _columns(totals, "bucket", "version_id", "team_id", "count"):
        version = versions.get(int(version_id))
        measure = "audits_submitted" if version is not None and version.is_audit else "feedback_responses"
        counted.add(measure, bucket, team_id, count, count, count)
        if version is not None:
            form_responses[(version.form_key, int(bucket), int(team_id))] += int(count)

    rules = _rules(versions)
    staff: set[tuple[str, int, int]] = set()
    for bucket, version_id, team_id, question, value, count in _columns(
        values, "bucket", "version_id", "team_id", "question", "value", "count"
    ):
        rule = rules.get((int(version_id), str(question)))
        if rule is None:
            continue
        measure, positives = rule
        if measure.startswith("standard:"):
            counted.add(
                measure,
                bucket,
                team_id,
                count if value == NOT_MET else 0,
                0 if value == NOT_APPLICABLE else count,
                count,
            )
        else:
            counted.add(measure, bucket, team_id, count if value in positives else 0, count, 0)
            if measure == "families_helped":
                counted.add(FAMILIES_NOT_SURE, bucket, team_id, count if value == NOT_SURE else 0, count, 0)
            if measure.startswith("staff_index:"):
                staff.add((measure, int(bucket), int(team_id)))
    for measure, bucket, team_id in staff:
        # A staff index is hidden by how many people answered the survey, not how many answers it counts.
        form_key = measure.split(":")[1]
        counted.add(measure, bucket, team_id, 0, 0, form_responses[(form_key, bucket, team_id)])

    for bucket, version_id, team_id, grade, count, scaling_sum, scaling_n in _columns(
        grades, "bucket", "version_id", "team_id", "grade", "count", "scaling_sum", "scaling_n"
    ):
        graded = count if grade is not None else 0
        good = count if grade is not None and grade in grade_positives(versions, int(version_id)) else 0
        counted.add("audits_good", bucket, team_id, good, graded, graded)
        counted.add("audit_scaling", bucket, team_id, scaling_sum, scaling_n, scaling_n)

    for bucket, team_id, raised, completed, overdue in _columns(
        actions, "bucket", "team_id", "raised", "completed", "overdue"
    ):
        for name, count in (("raised", raised), ("completed", completed), ("overdue", overdue)):
            counted.add(f"actions_{name}", bucket, team_id, count, count, count)

    if pairs is not None:
        for bucket, version_id, team_id, first, second, count in _columns(
            pairs, "bucket", "version_id", "team_id", "first", "second", "count"
        ):
            version = versions.get(int(version_id))
            if version is None:
                continue
            agreed = count if first == second else 0
            counted.add(peer_key("agreement", version.form_key), bucket, team_id, agreed, count, count)
            for side, grade in (("first", first), ("second", second)):
                counted.add(f"{peer_key(side, version.form_key)}:{grade}", bucket, team_id, count, count, count)
    return counted


def peer_form_keys(versions: dict[int, VersionInfo], pairs: pd.DataFrame) -> set[str]:
    """The templates with a peer review pair in the period or the one before."""
    found = (versions.get(int(version_id)) for (version_id,) in _columns(pairs, "version_id"))
    return {version.form_key for version in found if version is not None}


def _columns(frame: pd.DataFrame, *names: str) -> Iterable[tuple[Any, ...]]:
    if frame.empty:
        return []
    return zip(*(frame[name] for name in names), strict=True)


def grade_positives(versions: dict[int, VersionInfo], version_id: int) -> tuple[str, ...]:
    """The grades that count as Good or better in this version of a template (none if it has no grade)."""
    version = versions.get(version_id)
    return version.grade_positive if version is not None else ()


def question_measures(version: VersionInfo) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Which measure each of the version's questions counts towards, with the answers that count as
    positive; questions no measure reads are left out."""
    measures: dict[str, tuple[str, tuple[str, ...]]] = {}
    if version.spec is None:
        return measures
    for section in version.spec.sections:
        for question in section.questions:
            measure = ""
            if question.headline:
                measure = question.headline  # the loader checked its audience and positive answers
            elif version.audience in STAFF_AUDIENCES and question.positive and not question.allows_many:
                measure = staff_index_key(version.form_key, section.title)
            elif version.is_audit and question.type == "standard":
                measure = standard_key(version.form_key, question.id)
            if measure:
                measures[question.id] = (measure, question.positive)
    return measures


def _rules(versions: dict[int, VersionInfo]) -> dict[tuple[int, str], tuple[str, tuple[str, ...]]]:
    """``question_measures`` for every version, by (version, question)."""
    return {
        (version_id, question_id): rule
        for version_id, version in versions.items()
        for question_id, rule in question_measures(version).items()
    }


def scope_measures(
    label: str,
    definitions: list[Definition],
    counted: Tallies,
    team_ids: Collection[int] | None = None,
    *,
    service: str = "",
    team: str = "",
    top_standards: int = TOP_STANDARDS,
) -> ScopeMeasures:
    """The measures for the teams ``team_ids`` (None: everything, including responses with no team).

    Standards appear only as the ``top_standards`` with the highest share of Not met in the period.
    """
    lookup = counted.sums(None if team_ids is None else set(team_ids))
    values: list[MeasureValue] = []
    standards: list[MeasureValue] = []
    for definition in definitions:
        value = _measure_value(definition, lookup)
        if definition.group == "Standards":
            if value.current is not None and lookup.get((definition.key, CURRENT), (0, 0, 0))[0] > 0:
                standards.append(value)
        else:
            values.append(value)
    # By the share shown, highest first; then by how many audits said Not met (the Notes give it).
    standards.sort(key=lambda value: (-(value.current or 0), -_not_met_count(value, lookup), value.name))
    actions_at = next((index for index, value in enumerate(values) if value.group == "Actions"), len(values))
    chosen = standards[:top_standards]
    return ScopeMeasures(label, service, team, tuple(values[:actions_at] + chosen + values[actions_at:]))


def _not_met_count(value: MeasureValue, lookup: dict[tuple[str, int], tuple[int, int, int]]) -> int:
    return lookup.get((value.key, CURRENT), (0, 0, 0))[0]


def _kappa(
    key: str, bucket: int, lookup: dict[tuple[str, int], tuple[int, int, int]]
) -> tuple[float | None, int, bool]:
    """Cohen's kappa for a scope and the pairs it rests on, from the scope's summed agreement tally
    and counts of each grade given first and second."""
    form_key = key.split(":", 1)[1]
    agreed, pairs, _responses = lookup.get((peer_key("agreement", form_key), bucket), (0, 0, 0))
    margins: dict[str, dict[str, int]] = {"first": {}, "second": {}}
    for side, counts in margins.items():
        prefix = f"{peer_key(side, form_key)}:"
        for (measure, measure_bucket), (count, _denominator, _responses) in lookup.items():
            if measure_bucket == bucket and measure.startswith(prefix):
                counts[measure[len(prefix) :]] = count
    return kappa(pairs, agreed, margins["first"], margins["second"]), pairs, False


def _measure_value(definition: Definition, lookup: dict[tuple[str, int], tuple[int, int, int]]) -> MeasureValue:
    sides: list[tuple[float | None, int, bool]] = []
    for bucket in (CURRENT, PREVIOUS):
        numerator, denominator, responses = lookup.get((definition.key, bucket), (0, 0, 0))
        if definition.unit == "count":
            sides.append((float(numerator), numerator, False))
            continue
        if definition.unit == "kappa":
            sides.append(_kappa(definition.key, bucket, lookup))
            continue
        suppressed = definition.suppress and 0 < responses < SUPPRESS_BELOW
        value = numerator / denominator if denominator else None
        sides.append((None if suppressed else value, denominator, suppressed))
    (current, current_base, current_hidden), (previous, previous_base, previous_hidden) = sides
    note = ""
    if definition.unit == "kappa" and current is None and current_base:
        note = "Not defined: every grade given was the same"
    if definition.group == "Standards":
        note = f"Not met in {int(lookup.get((definition.key, CURRENT), (0, 0, 0))[0])} audit(s)"
    return MeasureValue(
        key=definition.key,
        name=definition.name,
        unit=definition.unit,
        group=definition.group,
        current=current,
        previous=previous,
        current_base=current_base,
        previous_base=previous_base,
        current_suppressed=current_hidden,
        previous_suppressed=previous_hidden,
        note=note,
    )
