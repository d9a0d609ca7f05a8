"""Check one question of a definition: the keys every question has, then its type's own."""

import difflib
import re
from typing import Any

from qaf.formspec.checker import Checker, PathKey, slug
from qaf.formspec.errors import Code
from qaf.formspec.spec import (
    CHOICE_TYPES,
    DATE_BOUNDS,
    HEADLINE_MEASURES,
    OPTION_SOURCES,
    QUESTION_TYPES,
    STAGES,
    Option,
    Question,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
# Names WTForms or our own pages already use on a form.
RESERVED_IDS = frozenset(
    {"csrf_token", "team", "stage", "data", "errors", "meta", "process", "validate", "populate_obj"}
)

QUESTION_COMMON = ("id", "type", "label", "hint", "required", "thing", "positive", "headline", "equality", "stages")
QUESTION_EXTRA = {
    "radios": ("options", "options_from"),
    "checkboxes": ("options", "options_from"),
    "select": ("options", "options_from"),
    "text": ("max_length",),
    "long_text": ("max_length",),
    "number": ("min", "max"),
    "date": ("earliest", "latest"),
    "scale": ("low_label", "high_label"),
}
DEFAULT_MAX_LENGTH = {"text": 200, "long_text": 1200}
# A spreadsheet cell holds 32,767 characters; stay well inside it.
LONGEST_ALLOWED_TEXT = 10000

FIXED_OPTIONS: dict[str, tuple[Option, ...]] = {
    "yes_no": (Option("yes", "Yes"), Option("no", "No")),
    "agreement": (
        Option("strongly_agree", "Strongly agree"),
        Option("agree", "Agree"),
        Option("neither", "Neither agree nor disagree"),
        Option("disagree", "Disagree"),
        Option("strongly_disagree", "Strongly disagree"),
    ),
    "scale": tuple(Option(str(number), str(number)) for number in range(11)),
    "standard": (
        Option("met", "Met"),
        Option("partly_met", "Partly met"),
        Option("not_met", "Not met"),
        Option("not_applicable", "Not applicable"),
    ),
    "faces": (
        Option("1", "Really bad", symbol="face-1"),
        Option("2", "Bad", symbol="face-2"),
        Option("3", "OK", symbol="face-3"),
        Option("4", "Good", symbol="face-4"),
        Option("5", "Really good", symbol="face-5"),
    ),
}
DEFAULT_POSITIVE: dict[str, tuple[str, ...]] = {
    "yes_no": ("yes",),
    "agreement": ("strongly_agree", "agree"),
    "faces": ("4", "5"),
    "standard": ("met",),
}
EVIDENCE_MAX_LENGTH = 2000


def _check_options(checker: Checker, raw: Any, path: PathKey, about: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not raw:
        checker.problem(
            Code.CHOICE_MISSING,
            path,
            f"a choice question needs a list of options, or options from {' or '.join(OPTION_SOURCES)}"
            f" (options_from: {next(iter(OPTION_SOURCES))})",
            about,
        )
        return ()
    options: list[Option] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = (*path, "options", index)
        if isinstance(item, str) and item.strip():
            option = Option(slug(item), item.strip())
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            checker.unknown_fields(item, ("value", "label", "hint"), where, Code.QUESTION_UNKNOWN_FIELD, about)
            value = item.get("value", slug(item["label"]))
            option = Option(str(value), item["label"].strip(), str(item.get("hint") or ""))
        else:
            checker.problem(
                Code.QUESTION_BAD_VALUE, where, "an option is text, or a mapping with value and label", about
            )
            continue
        if not option.value:
            checker.problem(Code.QUESTION_BAD_VALUE, where, "an option needs a value made of letters or digits", about)
        elif option.value in seen:
            checker.problem(Code.CHOICE_DUPLICATE_VALUE, where, f"the value '{option.value}' is used twice", about)
        seen.add(option.value)
        options.append(option)
    return tuple(options)


def check_question(checker: Checker, raw: Any, path: PathKey, seen_ids: set[str]) -> Question | None:
    if not isinstance(raw, dict):
        checker.problem(Code.QUESTION_BAD_VALUE, path, "a question is a mapping with id, type and label")
        return None
    question_id = raw.get("id")
    about = question_id if isinstance(question_id, str) else ""
    if not isinstance(question_id, str) or not ID_PATTERN.match(question_id) or question_id in RESERVED_IDS:
        if question_id is None:
            checker.problem(Code.QUESTION_MISSING_FIELD, path, "'id' is missing; add id: a_stable_name")
        elif question_id in RESERVED_IDS:
            checker.problem(Code.QUESTION_BAD_ID, (*path, "id"), f"'{question_id}' is reserved; choose another id")
        else:
            checker.problem(
                Code.QUESTION_BAD_ID, (*path, "id"), f"id '{question_id}' must be lower case letters, digits and _"
            )
    elif question_id in seen_ids:
        checker.problem(Code.QUESTION_DUPLICATE_ID, (*path, "id"), f"the id '{question_id}' is used twice", about)
    else:
        seen_ids.add(question_id)

    question_type = raw.get("type")
    if question_type not in QUESTION_TYPES:
        if question_type is None:
            checker.problem(Code.QUESTION_MISSING_FIELD, path, "'type' is missing", about)
        else:
            hint = difflib.get_close_matches(str(question_type), sorted(QUESTION_TYPES), n=1)
            fix = f"; did you mean '{hint[0]}'?" if hint else f"; use one of {', '.join(sorted(QUESTION_TYPES))}"
            checker.problem(Code.QUESTION_UNKNOWN_TYPE, (*path, "type"), f"unknown type '{question_type}'{fix}", about)
        return None

    checker.unknown_fields(
        raw, QUESTION_COMMON + QUESTION_EXTRA.get(question_type, ()), path, Code.QUESTION_UNKNOWN_FIELD, about
    )
    label = checker.text(raw, "label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, "required"), "'required' must be true or false", about)
        required = True

    options = FIXED_OPTIONS.get(question_type, ())
    options_from = _check_options_from(checker, raw, path, about)
    if question_type in CHOICE_TYPES and "options_from" not in raw:
        options = _check_options(checker, raw.get("options"), path, about)

    positive: tuple[str, ...] = DEFAULT_POSITIVE.get(question_type, ())
    if "positive" in raw and not options_from:
        if not options or not isinstance(raw["positive"], list):
            checker.problem(
                Code.QUESTION_BAD_VALUE, (*path, "positive"), "'positive' is a list of option values", about
            )
        else:
            positive = tuple(str(value) for value in raw["positive"])
            known = {option.value for option in options}
            for value in positive:
                if value not in known:
                    checker.problem(
                        Code.CHOICE_UNKNOWN_POSITIVE,
                        (*path, "positive"),
                        f"'{value}' is not one of the options ({', '.join(sorted(known))})",
                        about,
                    )

    headline = raw.get("headline") or ""
    if headline and headline not in HEADLINE_MEASURES:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "headline"),
            f"unknown headline measure '{headline}'; use one of {', '.join(HEADLINE_MEASURES)}",
            about,
        )
    elif headline and not positive:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "headline"),
            "a headline question needs positive answers: add positive: [...] with the option values that count",
            about,
        )

    minimum = checker.integer(raw, "min", path, about)
    maximum = checker.integer(raw, "max", path, about)
    if minimum is not None and maximum is not None and minimum > maximum:
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, "min"), "'min' is larger than 'max'", about)

    max_length = checker.integer(raw, "max_length", path, about)
    if question_type in DEFAULT_MAX_LENGTH:
        if max_length is None:
            max_length = DEFAULT_MAX_LENGTH[question_type]
        elif not 1 <= max_length <= LONGEST_ALLOWED_TEXT:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, "max_length"),
                f"'max_length' must be 1 to {LONGEST_ALLOWED_TEXT}",
                about,
            )

    low_label = high_label = ""
    if question_type == "scale":
        low_label = checker.text(raw, "low_label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)
        high_label = checker.text(raw, "high_label", path, Code.QUESTION_MISSING_FIELD, required=True, about=about)

    return Question(
        id=about,
        type=question_type,
        label=label,
        hint=checker.text(raw, "hint", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        required=required,
        thing=checker.text(raw, "thing", path, Code.QUESTION_BAD_VALUE, required=False, about=about),
        options=options,
        positive=positive,
        headline=str(headline),
        equality=raw.get("equality") is True,
        stages=_check_stages(checker, raw, path, about),
        options_from=options_from,
        earliest=_check_date_bound(checker, raw, "earliest", path, about),
        latest=_check_date_bound(checker, raw, "latest", path, about),
        min=minimum,
        max=maximum,
        max_length=max_length,
        low_label=low_label,
        high_label=high_label,
    )


def _check_options_from(checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> str:
    """``options_from``: options the caller supplies from a known source, instead of ``options``."""
    source = raw.get("options_from")
    if source is None:
        return ""
    known = ", ".join(OPTION_SOURCES)
    if source not in OPTION_SOURCES:
        hint = difflib.get_close_matches(str(source), OPTION_SOURCES, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else f"use one of {known}"
        checker.problem(
            Code.CHOICE_UNKNOWN_SOURCE, (*path, "options_from"), f"unknown options source '{source}'; {fix}", about
        )
        return ""
    if "options" in raw:
        checker.problem(
            Code.CHOICE_NOT_ALLOWED,
            (*path, "options"),
            f"the options come from {source}: remove 'options', or remove 'options_from' to list them here",
            about,
        )
    if "positive" in raw:
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "positive"),
            f"options from {source} are not known in advance, so none can be positive: remove 'positive'",
            about,
        )
    return str(source)


def _check_stages(checker: Checker, raw: dict[str, Any], path: PathKey, about: str) -> tuple[str, ...]:
    """``stages``: the stages a question is asked at; the form-level checks are in ``_check_staged_form``."""
    stages = raw.get("stages")
    if stages is None:
        return ()
    known = [value for value, _label in STAGES]
    if (
        not isinstance(stages, list)
        or not stages
        or any(stage not in known for stage in stages)
        or len(set(stages)) != len(stages)
    ):
        checker.problem(
            Code.QUESTION_BAD_VALUE,
            (*path, "stages"),
            f"'stages' is a list drawn from {', '.join(known)}, each once, e.g. stages: [review, closure]",
            about,
        )
        return ()
    # In the order of STAGES, so the same stages in another order mean (and digest) the same.
    return tuple(stage for stage in known if stage in stages)


def _check_date_bound(checker: Checker, raw: dict[str, Any], name: str, path: PathKey, about: str) -> str:
    """``earliest`` / ``latest`` on a date question: a day relative to the day it is answered."""
    value = raw.get(name)
    if value is None:
        return ""
    allowed = DATE_BOUNDS[name]
    if value not in allowed:
        choices = "; ".join(f"{name}: {key} (the date must be {words})" for key, (_days, words) in allowed.items())
        checker.problem(Code.QUESTION_BAD_VALUE, (*path, name), f"'{name}' can be {choices}", about)
        return ""
    other = "earliest" if name == "latest" else "latest"
    if name == "latest" and raw.get(other) in DATE_BOUNDS[other]:
        if DATE_BOUNDS[other][raw[other]][0] > allowed[value][0]:
            checker.problem(
                Code.QUESTION_BAD_VALUE,
                (*path, name),
                f"no date is both {DATE_BOUNDS[other][raw[other]][1]} and {allowed[value][1]}:"
                f" change 'earliest' or 'latest'",
                about,
            )
    return str(value)


def evidence_for(checker: Checker, standard: Question, path: PathKey, seen_ids: set[str]) -> Question:
    """Every quality standard gets an evidence box after it: the auditor says what they found."""
    evidence_id = f"{standard.id}_evidence"
    if evidence_id in seen_ids:
        checker.problem(
            Code.QUESTION_DUPLICATE_ID, path, f"the id '{evidence_id}' is taken by this standard's evidence"
        )
    seen_ids.add(evidence_id)
    return Question(
        id=evidence_id,
        type="long_text",
        label="Evidence",
        hint="What you found in the record",
        required=False,
        thing=f"the evidence for ‘{standard.label}’",
        max_length=EVIDENCE_MAX_LENGTH,
        evidence_for=standard.id,
        hidden_label=f"for ‘{standard.label}’",
    )
