"""The form definition as frozen dataclasses: what a YAML file in forms/ means."""

import re
from dataclasses import dataclass, field
from typing import Any

CHOICE_TYPES = frozenset({"radios", "checkboxes", "select"})
FIXED_CHOICE_TYPES = frozenset({"yes_no", "agreement", "scale", "faces", "standard"})
TEXT_TYPES = frozenset({"text", "long_text"})
QUESTION_TYPES = CHOICE_TYPES | FIXED_CHOICE_TYPES | TEXT_TYPES | {"number", "date"}
# Only for forms defined in code (sign-in, people): never in a YAML definition.
STAFF_ONLY_TYPES = frozenset({"email", "new_password", "current_password"})

AUDIENCES = ("family", "child", "partner", "staff", "auditor")
CONTEXT_FIELDS = ("team", "stage")
STAGES = (("assessment", "Assessment"), ("review", "Review"), ("closure", "Closure"))
# The forms whose questions can be limited to stages (``stages:``): a family's early help has stages.
STAGED_AUDIENCES = ("family", "child")
# Where a choice question's options can come from when the page is shown (``options_from:``): the
# caller passes the values (a generated form never queries), and the option given here follows them.
OPTION_SOURCES = {"districts": "Other or more than one"}
# Date bounds relative to the day the answer is given (``latest:``, ``earliest:``): days from today,
# and GOV.UK's words for a date outside them ("... must be today or in the past").
DATE_BOUNDS: dict[str, dict[str, tuple[int, str]]] = {
    "latest": {"today": (0, "today or in the past"), "yesterday": (-1, "in the past")},
    "earliest": {"today": (0, "today or in the future"), "tomorrow": (1, "in the future")},
}
# How long responses are kept when a definition does not say (retention_months): two financial years,
# so a year can be compared with the one before it.
DEFAULT_RETENTION_MONTHS = 24
# The headline measures a question can feed (``headline:`` in a definition), and the audiences
# whose forms may: the share of its positive answers is the measure.
HEADLINE_MEASURES: dict[str, tuple[str, ...]] = {
    "families_helped": ("family", "child"),
    "partner_satisfaction": ("partner",),
}
# Equality monitoring questions (``equality: true``): optional, on these audiences' forms only, and
# offering this option. Reports show their answers only as counts of groups of 5 or more.
EQUALITY_AUDIENCES = ("family",)
PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""
    # A picture shown before the label and hidden from screen readers: the label is the text
    # alternative. Drawn by the page (qaf/formspec/widgets.py), so every device shows the same.
    symbol: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str = ""
    required: bool = True
    # How the question is named in error messages: "Select {thing}", "Enter {thing}".
    thing: str = ""
    options: tuple[Option, ...] = ()
    positive: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    low_label: str = ""
    high_label: str = ""
    # Set on the evidence box the loader adds after each quality standard: the standard's id.
    evidence_for: str = ""
    # Words after the visible label for screen readers only, when the label alone is ambiguous.
    hidden_label: str = ""
    # Forms defined in code only: a regular expression a text answer must match, and what to say if not.
    pattern: str = ""
    pattern_message: str = ""
    # The headline measure this question's positive answers count towards (HEADLINE_MEASURES).
    headline: str = ""
    # An equality monitoring question (protected characteristics): never on a row beside free text.
    equality: bool = False
    # The stages it is asked at (STAGES values); empty: every stage.
    stages: tuple[str, ...] = ()
    # A source in OPTION_SOURCES whose values the caller supplies as the options.
    options_from: str = ""
    # Date questions: bounds relative to today, keys of DATE_BOUNDS["earliest"] and ["latest"].
    earliest: str = ""
    latest: str = ""

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES or self.type in FIXED_CHOICE_TYPES

    @property
    def allows_many(self) -> bool:
        return self.type == "checkboxes"

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Alternative:
    """A link to another version of the same form, e.g. the child-friendly one."""

    form: str
    text: str


@dataclass(frozen=True)
class AlertRule:
    """Answers that make a submitted audit alert the practitioner's managers in writing."""

    question: str
    answers: tuple[str, ...]
    reason: str
    # Beyond the practitioner's managers: "practitioner" and/or "director" (DIRECTOR_EMAIL).
    also_tell: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormSpec:
    key: str
    version: str
    title: str
    audience: str
    intro: str
    sections: tuple[Section, ...]
    context: tuple[str, ...] = ()
    respondent_type: str = ""
    respondent_question: str = ""
    privacy: str = ""
    alternatives: tuple[Alternative, ...] = ()
    # Whether a response through an invitation keeps the invitation's case reference (never on anonymous forms).
    keep_case_reference: bool = False
    # Collected in named rounds or waves (partners' six-monthly rounds, staff survey waves):
    # "" not at all, "optional" (an always-open ad hoc link as well), "required" (only through a round's link).
    rounds: str = ""
    # Audit templates: the overall grade, the impact scaling, and what raises an alert.
    grade_question: str = ""
    scaling_question: str = ""
    alerts: tuple[AlertRule, ...] = ()
    # What an audit with this template is about: a case (a case reference), a team (a unit, centre
    # or hub) or a person (a practitioner or supervisor observed).
    subject: str = "case"
    # How long responses are kept (the privacy notice states it). Policy, not meaning: not in the snapshot.
    retention_months: int = DEFAULT_RETENTION_MONTHS
    # Filled in by the loader: where it came from and a digest of the content.
    path: str = field(default="", compare=False)
    digest: str = field(default="", compare=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for section in self.sections for question in section.questions)

    @property
    def minutes(self) -> int | None:
        """How long the form takes, read from its intro ("It takes about 10 minutes"): the one place it is said."""
        found = re.search(r"about (\d+) minutes", self.intro)
        return int(found.group(1)) if found else None

    @property
    def grade(self) -> Question | None:
        return self.question(self.grade_question) if self.grade_question else None

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    @classmethod
    def from_snapshot(cls, data: dict[str, Any], digest: str) -> "FormSpec":
        """The definition a response or audit was given against, rebuilt from its stored snapshot."""

        def question(raw: dict[str, Any]) -> Question:
            return Question(
                **{
                    **raw,
                    "options": tuple(Option(**option) for option in raw["options"]),
                    "positive": tuple(raw["positive"]),
                    "stages": tuple(raw.get("stages", ())),
                }
            )

        return cls(
            **{
                **data,
                "sections": tuple(
                    Section(section["title"], section["intro"], tuple(question(q) for q in section["questions"]))
                    for section in data["sections"]
                ),
                "context": tuple(data["context"]),
                "alternatives": tuple(Alternative(**item) for item in data["alternatives"]),
                "alerts": tuple(
                    AlertRule(
                        item["question"], tuple(item["answers"]), item["reason"], tuple(item.get("also_tell", ()))
                    )
                    for item in data["alerts"]
                ),
                "digest": digest,
            }
        )

    def snapshot(self) -> dict[str, Any]:
        """Everything a stored response needs to be read again later, as plain JSON data."""
        from dataclasses import asdict

        data = asdict(self)
        data.pop("path")
        data.pop("digest")
        # Left out unless set, so definitions without it keep the digest they had before it existed.
        if data["subject"] == "case":
            del data["subject"]
        data.pop("retention_months")
        for section in data["sections"]:
            for question in section["questions"]:
                # Left out unless set, so definitions without it keep the digest they had before it existed.
                if not question["headline"]:
                    del question["headline"]
                if not question["equality"]:
                    del question["equality"]
                for name in ("stages", "options_from", "earliest", "latest"):
                    if not question[name]:
                        del question[name]
        return data
