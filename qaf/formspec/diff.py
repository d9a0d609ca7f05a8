"""What changed between two versions of a form, in sentences a QA officer reads.

Generic over the fields of ``FormSpec``, ``Section`` and ``Question`` (a field added to them is
described without new code: ``FIELD_NAMES`` gives it a readable name, else its own name is used);
hand-written only where generic wording reads badly: options, conditions, stages, yes/no fields,
alerts and alternatives. Questions are matched by id across sections, options by value.
"""

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

from qaf.formspec.conditions import not_applicable_question_id
from qaf.formspec.spec import STAGES, AlertRule, Alternative, Condition, FormSpec, Option, Question, Section

# How a field is named in a sentence; a field not here is named by its own name, _ as spaces.
FIELD_NAMES = {
    "intro": "introduction",
    "context": "details asked first",
    "respondent_type": "respondent type",
    "respondent_question": "question saying who answers",
    "privacy": "privacy notice",
    "grade_question": "grade question",
    "scaling_question": "scaling question",
    "retention_months": "months responses are kept",
    "thing": "name in error messages",
    "positive": "positive answers",
    "min": "lowest number allowed",
    "max": "highest number allowed",
    "max_length": "most characters allowed",
    "low_label": "words for 0",
    "high_label": "words for 10",
    "hidden_label": "words for screen readers",
    "pattern_message": "message when the pattern is not matched",
    "headline": "headline measure",
    "options_from": "options from",
    "earliest": "earliest date",
    "latest": "latest date",
    "id": "short name",
}
# Yes/no fields: what to say when one is turned on, and off.
YES_NO_WORDS = {
    "required": ("now required", "no longer required"),
    "equality": ("now an equality monitoring question", "no longer an equality monitoring question"),
    "may_not_apply": ("may now be marked not applicable", "may no longer be marked not applicable"),
    "keep_case_reference": (
        "now keeps the case reference of the invitation",
        "no longer keeps the case reference of the invitation",
    ),
}
# Fields not described: the version is what is compared; evidence boxes follow their standard.
NOT_DESCRIBED = {"version", "evidence_for"}
STAGE_LABELS = dict(STAGES)

T = TypeVar("T")
K = TypeVar("K")


def describe_changes(old: FormSpec, new: FormSpec) -> list[str]:
    """Every difference between ``old`` and ``new``, one sentence each, in the order of the form."""
    changes = [
        _capitalised(sentence)
        for sentence in _field_changes(
            old, new, skip={"sections", "alerts", "alternatives"}, old_spec=old, new_spec=new
        )
    ]
    changes += _section_changes(old, new)
    changes += _question_changes(old, new)
    changes += _alert_changes(old.alerts, new.alerts)
    changes += _alternative_changes(old.alternatives, new.alternatives)
    return changes


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _name(field_name: str) -> str:
    return FIELD_NAMES.get(field_name, field_name.replace("_", " "))


def _value(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(_value(item) for item in value)
    return str(value)


def _field_changes(old: Any, new: Any, *, skip: set[str], old_spec: FormSpec, new_spec: FormSpec) -> list[str]:
    """A phrase for each compared field of two dataclasses of one kind that differs."""
    phrases: list[str] = []
    for field in fields(old):
        name = field.name
        if not field.compare or name in skip or name in NOT_DESCRIBED:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name in YES_NO_WORDS:
            phrases.append(YES_NO_WORDS[name][0 if after else 1])
        elif name == "options":
            phrases += _option_changes(before, after)
        elif name == "show_if":
            phrases.append(_condition_change(before, after, old_spec, new_spec))
        elif name == "stages":
            phrases.append(f"now asked at {_stages(after)} (was {_stages(before)})")
        elif before in ("", (), None):
            phrases.append(f"{_name(name)} added: {_value(after)}")
        elif after in ("", (), None):
            phrases.append(f"{_name(name)} removed (was {_value(before)})")
        else:
            phrases.append(f"{_name(name)} changed from {_value(before)} to {_value(after)}")
    return phrases


def _stages(stages: tuple[str, ...]) -> str:
    if not stages:
        return "every stage"
    return " and ".join(STAGE_LABELS.get(stage, stage) for stage in stages)


def _option_changes(old: tuple[Option, ...], new: tuple[Option, ...]) -> list[str]:
    before = {option.value: option for option in old}
    after = {option.value: option for option in new}
    phrases = [f"option '{option.label}' added" for option in new if option.value not in before]
    phrases += [f"option '{option.label}' removed" for option in old if option.value not in after]
    for option in new:
        if option.value in before and before[option.value] != option:
            was = before[option.value]
            if was.label != option.label:
                phrases.append(f"option '{was.label}' relabelled '{option.label}'")
            details = _field_changes(was, option, skip={"label"}, old_spec=_NO_SPEC, new_spec=_NO_SPEC)
            phrases += [f"option '{option.label}': {detail}" for detail in details]
    if _moved([option.value for option in old], [option.value for option in new]):
        phrases.append("options reordered: now " + ", ".join(f"'{option.label}'" for option in new))
    return phrases


def _condition(condition: Condition, spec: FormSpec) -> str:
    try:
        question = spec.question(condition.question)
    except KeyError:
        return f"'{condition.question}' is " + " or ".join(f"'{value}'" for value in condition.values)
    answers = " or ".join(f"'{question.option_label(value)}'" for value in condition.values)
    return f"the answer to '{question.label}' is {answers}"


def _condition_change(old: Condition | None, new: Condition | None, old_spec: FormSpec, new_spec: FormSpec) -> str:
    if new is None:
        return "now shown whatever the earlier answers"
    shown = f"now shown only if {_condition(new, new_spec)}"
    return shown if old is None else f"{shown} (was only if {_condition(old, old_spec)})"


def _moved(old_order: Sequence[K], new_order: Sequence[K]) -> list[K]:
    """The items of both orders that moved: those outside the longest run kept in the same order."""
    common = set(old_order) & set(new_order)
    position = {item: index for index, item in enumerate(item for item in old_order if item in common)}
    items = [item for item in new_order if item in common]
    # The longest increasing run of old positions, by the classic quadratic method (forms are short).
    best: list[list[K]] = []
    for index, item in enumerate(items):
        earlier = [best[before] for before in range(index) if position[items[before]] < position[item]]
        best.append([*(max(earlier, key=len) if earlier else []), item])
    longest: list[K] = max(best, key=len) if best else []
    return [item for item in items if item not in longest]


def _match_sections(old: FormSpec, new: FormSpec) -> list[tuple[Section | None, Section | None]]:
    """Pairs of the same section in both (by id, then title, then most questions shared); None where only one has it."""
    pairs: list[tuple[Section | None, Section | None]] = []
    unmatched_old = list(old.sections)
    unmatched_new = list(new.sections)

    def pair_by(same: Callable[[Section, Section], bool]) -> None:
        for section in list(unmatched_new):
            match = next((was for was in unmatched_old if same(was, section)), None)
            if match is not None:
                pairs.append((match, section))
                unmatched_old.remove(match)
                unmatched_new.remove(section)

    def shared(was: Section, now: Section) -> int:
        return len({q.id for q in was.questions} & {q.id for q in now.questions})

    pair_by(lambda was, now: bool(was.id) and was.id == now.id)
    pair_by(lambda was, now: was.title == now.title)
    for section in list(unmatched_new):
        match = max(unmatched_old, key=lambda was: shared(was, section), default=None)
        if match is not None and shared(match, section):
            pairs.append((match, section))
            unmatched_old.remove(match)
            unmatched_new.remove(section)
    pairs += [(None, section) for section in unmatched_new]
    pairs += [(section, None) for section in unmatched_old]
    return pairs


def _section_changes(old: FormSpec, new: FormSpec) -> list[str]:
    pairs = _match_sections(old, new)
    changes: list[str] = []
    for was, now in pairs:
        if was is None and now is not None:
            changes.append(f"Section '{now.title}' added")
        elif now is None and was is not None:
            changes.append(f"Section '{was.title}' removed")
        elif was is not None and now is not None:
            if was.title != now.title:
                changes.append(f"Section '{was.title}' renamed '{now.title}'")
            details = _field_changes(was, now, skip={"title", "questions"}, old_spec=old, new_spec=new)
            changes += [f"Section '{now.title}': {detail}" for detail in details]
    both = [(was, now) for was, now in pairs if was is not None and now is not None]
    kept = range(len(both))
    old_order = sorted(kept, key=lambda pair: _index(both[pair][0], old.sections))
    new_order = sorted(kept, key=lambda pair: _index(both[pair][1], new.sections))
    for pair in _moved(old_order, new_order):
        now = both[pair][1]
        changes.append(f"Section '{now.title}' moved to {_place(now, new.sections, 'section')}")
    return changes


def _index(item: Any, order: Sequence[Any]) -> int:
    """Where ``item`` itself (not an equal one) is in ``order``."""
    return next(index for index, each in enumerate(order) if each is item)


def _place(item: Any, order: Sequence[Any], noun: str) -> str:
    index = _index(item, order)
    if index == 0:
        return "the start"
    before = order[index - 1]
    return f"after {noun} '{before.title if isinstance(before, Section) else before.id}'"


def _asked(spec: FormSpec) -> dict[str, tuple[Section, Question]]:
    """The questions a person answers, by id: evidence boxes follow their standard, and a section's
    not-applicable tick box follows its ``may_not_apply``."""
    return {
        question.id: (section, question)
        for section in spec.sections
        for question in section.questions
        if not question.evidence_for
        and not (section.may_not_apply and question.id == not_applicable_question_id(section))
    }


def _noun(question: Question) -> str:
    return "Standard" if question.type == "standard" else "Question"


def _question_changes(old: FormSpec, new: FormSpec) -> list[str]:
    before, after = _asked(old), _asked(new)
    section_pairs = {id(now): was for was, now in _match_sections(old, new) if was is not None and now is not None}
    changes: list[str] = []
    for question_id, (section, question) in after.items():
        if question_id not in before:
            changes.append(f"{_noun(question)} '{question.label}' ({question_id}) added to section '{section.title}'")
            continue
        was_section, was = before[question_id]
        if section_pairs.get(id(section)) is not was_section:
            changes.append(f"{_noun(question)} '{question_id}' moved to section '{section.title}'")
        details = _field_changes(was, question, skip=set(), old_spec=old, new_spec=new)
        changes += [f"{_noun(question)} '{question_id}': {detail}" for detail in details]
    for question_id, (section, question) in before.items():
        if question_id not in after:
            changes.append(
                f"{_noun(question)} '{question.label}' ({question_id}) removed from section '{section.title}'"
            )
    for now in new.sections:
        paired = section_pairs.get(id(now))
        if paired is None:
            continue
        old_ids = [question.id for question in paired.questions if question.id in before]
        new_ids = [question.id for question in now.questions if question.id in after]
        asked = [question for question in now.questions if question.id in after]
        for question_id in _moved(old_ids, new_ids):
            question = next(question for question in asked if question.id == question_id)
            changes.append(f"{_noun(question)} '{question_id}' moved to {_place(question, asked, 'question')}")
    return changes


def _items_changes(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], Any], describe: Callable[[T], str], noun: str
) -> list[str]:
    """Added, removed and changed items of a list matched by ``key`` (alerts, alternatives)."""
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    changes = [f"{noun} {describe(item)} added" for item in new if key(item) not in before]
    changes += [f"{noun} {describe(item)} removed" for item in old if key(item) not in after]
    for item in new:
        was = before.get(key(item))
        if was is not None and was != item:
            details = _field_changes(was, item, skip=set(), old_spec=_NO_SPEC, new_spec=_NO_SPEC)
            changes += [f"{noun} {describe(item)}: {detail}" for detail in details]
    return changes


def _alert_changes(old: tuple[AlertRule, ...], new: tuple[AlertRule, ...]) -> list[str]:
    return _items_changes(
        old,
        new,
        key=lambda rule: (rule.question, rule.answers),
        describe=lambda rule: f"on '{rule.question}' answered " + " or ".join(f"'{a}'" for a in rule.answers),
        noun="Alert",
    )


def _alternative_changes(old: tuple[Alternative, ...], new: tuple[Alternative, ...]) -> list[str]:
    return _items_changes(
        old, new, key=lambda item: item.form, describe=lambda item: f"to form '{item.form}'", noun="Link"
    )


# Options, alerts and links have no conditions, so no form is needed to name their questions.
_NO_SPEC = FormSpec(key="", version="", title="", audience="", intro="", sections=())
