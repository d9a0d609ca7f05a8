"""The sample rules the seeds name, as plain functions over a list of cases: no Flask, no database.

Random but reproducible: candidates are put in order of reference and drawn with a generator
seeded with the recorded seed, so the same seed over the same cases gives the same sample, and
each picked case carries the reason it was picked.
"""

import math
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qaf.programme.periods import add_months, previous_month

# A draw's seed: recorded beside what it drew, so the same seed over the same cases draws the same again.
MAX_SEED = 2_000_000_000


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED)


RULES = {
    "percentage_active": "A percentage of the cases active in the last few months",
    "fixed_count": "A fixed number of cases, on a theme if you choose one",
    "flagged_previous_month": "Every case with a flag in the previous month",
    "per_supervisor": "At random, with at least one case for each supervisor",
}
RULE_HINTS = {
    "percentage_active": "Kent: 10% of the cases active in the last six months",
    "fixed_count": "Cumbria: eight a month from across the county",
    "flagged_previous_month": "Camden: every step up and step down, every returning family",
    "per_supervisor": "Camden: at least one deep audit for each supervisor",
}
BY_HAND = "by_hand"
THEMES = {
    "open_longer_than": "Open for longer than a number of months",
    "agency_type": "Delivered by one agency type",
    "step_down": "Stepped down to early help",
    "plan_open_longer_than": "Plan open for longer than a number of months",
    "drifting": "Drifting: no review for longer than a number of months",
}
FLAGS = {"step_up": "Step up", "step_down": "Step down", "returning": "Returning family"}
# A step-down or a return opens a case and a step-up closes one: each flagged case is taken once, in the
# month of the day its flag happened.
FLAG_DAYS = {"step_up": "closed_on", "step_down": "opened_on", "returning": "opened_on"}
FLAG_DAY_WORDS = {"opened_on": "opened", "closed_on": "closed"}
NO_SUPERVISOR = "no supervisor recorded"


@dataclass(frozen=True)
class CaseRow:
    """What the rules need to know of a case."""

    id: int
    reference: str
    team_id: int
    opened_on: date
    assessed_on: date | None = None
    last_reviewed_on: date | None = None
    closed_on: date | None = None
    step_up: bool = False
    step_down: bool = False
    returning: bool = False
    agency_type: str = ""
    supervisor: str = NO_SUPERVISOR
    worker_id: int | None = None
    worker_email: str = ""

    def active_between(self, start: date, end: date) -> bool:
        return self.opened_on <= end and (self.closed_on is None or self.closed_on >= start)

    def open_on(self, day: date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


@dataclass(frozen=True)
class Draw:
    picked: list[tuple[CaseRow, str]]
    candidates: int
    excluded: int
    description: str
    problems: list[str] = field(default_factory=list)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _active(start: date, end: date) -> str:
    return f"active {_day(start)} to {_day(end)}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _int(parameters: dict[str, Any], name: str, default: int) -> int:
    value = parameters.get(name)
    return int(value) if value not in (None, "") else default


def describe(rule: str, parameters: dict[str, Any]) -> str:
    """The rule in words, as the schedule and the sample page show it."""
    if rule == "percentage_active":
        return f"{_int(parameters, 'percent', 10)}% of the cases active in the last {_months(parameters, 'months', 6)}"
    if rule == "fixed_count":
        text = f"{_plural(_int(parameters, 'count', 8), 'case')} active in the last {_months(parameters, 'months', 1)}"
        theme = parameters.get("theme") or ""
        if theme:
            text += f", theme: {_theme_text(theme, parameters).lower()}"
        return text
    if rule == "flagged_previous_month":
        flags = [
            f"{FLAGS[flag].lower()} ({FLAG_DAY_WORDS[FLAG_DAYS[flag]]} then)"
            for flag in parameters.get("flags") or FLAGS
            if flag in FLAGS
        ]
        return "Every case of the previous month with a flag: " + ", ".join(flags)
    if rule == "per_supervisor":
        text = (
            f"{_plural(_int(parameters, 'per_supervisor', 1), 'case')} for each supervisor, from the cases active in "
            f"the last {_months(parameters, 'months', 6)}"
        )
        if parameters.get("count"):
            text += f", at least {_plural(_int(parameters, 'count', 0), 'case')} in all"
        return text
    if rule == BY_HAND:
        return "Chosen by hand"
    return rule


def _months(parameters: dict[str, Any], name: str, default: int) -> str:
    months = _int(parameters, name, default)
    return "month" if months == 1 else f"{months} months"


def _theme_text(theme: str, parameters: dict[str, Any]) -> str:
    if theme == "agency_type":
        return f"Delivered by {parameters.get('agency_type') or 'an agency type'}"
    months = _plural(_int(parameters, "theme_months", 12), "month")
    return {
        "open_longer_than": f"Open for longer than {months}",
        "step_down": "Stepped down to early help",
        "plan_open_longer_than": f"Plan open for longer than {months}",
        "drifting": f"No review for longer than {months}",
    }.get(theme, theme)


def _theme_filter(theme: str, parameters: dict[str, Any], as_of: date) -> Any:
    cutoff = add_months(as_of, -_int(parameters, "theme_months", 12))
    if theme == "open_longer_than":
        return lambda case: case.open_on(as_of) and case.opened_on <= cutoff
    if theme == "agency_type":
        wanted = str(parameters.get("agency_type", "")).strip().casefold()
        return lambda case: case.agency_type.casefold() == wanted
    if theme == "step_down":
        return lambda case: case.step_down
    if theme == "plan_open_longer_than":
        return lambda case: case.open_on(as_of) and case.assessed_on is not None and case.assessed_on <= cutoff
    if theme == "drifting":

        def drifting(case: CaseRow) -> bool:
            latest = max(day for day in (case.opened_on, case.assessed_on, case.last_reviewed_on) if day is not None)
            return case.open_on(as_of) and latest <= cutoff

        return drifting
    return lambda case: True


def _without_excluded(candidates: list[CaseRow], exclude: set[str]) -> tuple[list[CaseRow], int]:
    kept = [case for case in candidates if case.reference not in exclude]
    return kept, len(candidates) - len(kept)


def draw(
    rule: str,
    parameters: dict[str, Any],
    cases: Iterable[CaseRow],
    *,
    seed: int,
    as_of: date,
    exclude: Iterable[str] = (),
) -> Draw:
    """Apply ``rule`` to ``cases`` as of ``as_of``, leaving out the references in ``exclude``.

    The result depends only on its arguments: the same seed over the same cases gives the same sample.
    """
    rng = random.Random(seed)  # noqa: S311 (a sample must be reproducible from its seed; not for security)
    excluded_references = set(exclude)
    if rule == "percentage_active":
        return _percentage(parameters, cases, rng, seed, as_of, excluded_references)
    if rule == "fixed_count":
        return _fixed_count(parameters, cases, rng, seed, as_of, excluded_references)
    if rule == "flagged_previous_month":
        return _flagged(parameters, cases, as_of, excluded_references)
    if rule == "per_supervisor":
        return _per_supervisor(parameters, cases, rng, seed, as_of, excluded_references)
    if rule == BY_HAND:
        return _by_hand(parameters, cases, excluded_references)
    raise ValueError(f"unknown sample rule {rule!r}")


def _ordered(cases: Iterable[CaseRow]) -> list[CaseRow]:
    return sorted(cases, key=lambda case: case.reference)


def _percentage(
    parameters: dict[str, Any], cases: Iterable[CaseRow], rng: random.Random, seed: int, as_of: date, exclude: set[str]
) -> Draw:
    percent, months = _int(parameters, "percent", 10), _int(parameters, "months", 6)
    start = add_months(as_of, -months)
    active = _ordered(case for case in cases if case.active_between(start, as_of))
    candidates, excluded = _without_excluded(active, exclude)
    size = min(len(candidates), math.ceil(len(active) * percent / 100))
    picked = rng.sample(candidates, size)
    reason = f"Drawn at random with seed {seed}: {percent}% of {_plural(len(active), 'case')} {_active(start, as_of)}"
    return Draw(_by_reference(picked, reason), len(active), excluded, describe("percentage_active", parameters))


def _fixed_count(
    parameters: dict[str, Any], cases: Iterable[CaseRow], rng: random.Random, seed: int, as_of: date, exclude: set[str]
) -> Draw:
    count, months = _int(parameters, "count", 8), _int(parameters, "months", 1)
    start = add_months(as_of, -months)
    theme = str(parameters.get("theme") or "")
    on_theme = _theme_filter(theme, parameters, as_of)
    matching = _ordered(case for case in cases if case.active_between(start, as_of) and on_theme(case))
    candidates, excluded = _without_excluded(matching, exclude)
    picked = rng.sample(candidates, min(count, len(candidates)))
    reason = f"Drawn at random with seed {seed}: {count} of {_plural(len(matching), 'case')} {_active(start, as_of)}"
    if theme:
        reason += f" ({_theme_text(theme, parameters).lower()})"
    return Draw(_by_reference(picked, reason), len(matching), excluded, describe("fixed_count", parameters))


def _flagged(parameters: dict[str, Any], cases: Iterable[CaseRow], as_of: date, exclude: set[str]) -> Draw:
    flags = [flag for flag in (parameters.get("flags") or list(FLAGS)) if flag in FLAGS]
    start, end = previous_month(as_of)

    def in_month(day: date | None) -> bool:
        return day is not None and start <= day <= end

    picked: list[tuple[CaseRow, str]] = []
    matching = 0
    excluded = 0
    for case in _ordered(cases):
        events = [(FLAGS[flag], FLAG_DAYS[flag]) for flag in flags if getattr(case, flag)]
        happened = [(name, day) for name, day in events if in_month(getattr(case, day))]
        if not happened:
            continue
        matching += 1
        if case.reference in exclude:
            excluded += 1
            continue
        days = sorted(dict.fromkeys(day for _name, day in happened), key=lambda day: getattr(case, day))
        when = "; ".join(
            ", ".join([*(name for name, flag_day in happened if flag_day == day), FLAG_DAY_WORDS[day]])
            + f" {_day(getattr(case, day))}"
            for day in days
        )
        picked.append((case, f"{when}: every such case in {start:%B %Y} is audited"))
    return Draw(picked, matching, excluded, describe("flagged_previous_month", parameters))


def _per_supervisor(
    parameters: dict[str, Any], cases: Iterable[CaseRow], rng: random.Random, seed: int, as_of: date, exclude: set[str]
) -> Draw:
    each, months, total = (
        _int(parameters, "per_supervisor", 1),
        _int(parameters, "months", 6),
        _int(parameters, "count", 0),
    )
    start = add_months(as_of, -months)
    active = _ordered(case for case in cases if case.active_between(start, as_of))
    candidates, excluded = _without_excluded(active, exclude)
    groups: dict[str, list[CaseRow]] = {}
    for case in candidates:
        # Cases with no supervisor recorded are nobody's group: they only make up the total.
        if case.supervisor != NO_SUPERVISOR:
            groups.setdefault(case.supervisor, []).append(case)
    picked: list[tuple[CaseRow, str]] = []
    for supervisor in sorted(groups):
        group = groups[supervisor]
        for case in rng.sample(group, min(each, len(group))):
            picked.append((case, f"Drawn at random with seed {seed} for supervisor {supervisor} ({len(group)} cases)"))
    if total > len(picked):
        chosen = {case.id for case, _reason in picked}
        rest = [case for case in candidates if case.id not in chosen]
        for case in rng.sample(rest, min(total - len(picked), len(rest))):
            picked.append((case, f"Drawn at random with seed {seed} to make up {total} cases in all"))
    picked.sort(key=lambda item: item[0].reference)
    return Draw(picked, len(active), excluded, describe("per_supervisor", parameters))


def _by_hand(parameters: dict[str, Any], cases: Iterable[CaseRow], exclude: set[str]) -> Draw:
    wanted = [reference.upper() for reference in parameters.get("references", [])]
    known = {case.reference: case for case in cases}
    problems = [f"There is no case with the reference {reference}" for reference in wanted if reference not in known]
    chosen = [known[reference] for reference in dict.fromkeys(wanted) if reference in known]
    kept, excluded = _without_excluded(chosen, exclude)
    return Draw(
        [(case, "Chosen by hand") for case in kept], len(chosen), excluded, describe(BY_HAND, parameters), problems
    )


def _by_reference(picked: Sequence[CaseRow], reason: str) -> list[tuple[CaseRow, str]]:
    return [(case, reason[:300]) for case in sorted(picked, key=lambda case: case.reference)]
