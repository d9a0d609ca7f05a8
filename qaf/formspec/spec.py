"""The form definition as frozen dataclasses: what a YAML file in forms/ means."""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qaf.formspec.types import QuestionType

AUDIENCES = ("family", "child", "partner", "staff", "auditor")
CONTEXT_FIELDS = ("team", "stage")
STAGES = (("assessment", "Assessment"), ("review", "Review"), ("closure", "Closure"))
# The forms whose questions can be limited to stages (``stages:``): a family's early help has stages.
STAGED_AUDIENCES = ("family", "child")
# Where a choice question's options can come from when the page is shown (``options_from:``): the
# caller passes the values (a generated form never queries), and the option given here follows them.
OPTION_SOURCES = {"districts": "Other or more than one"}
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
class Condition:
    """``show_if: {question: who_is_answering, is: [parent_carer]}``: shown only when an earlier
    question's answer is one of ``values`` (for checkboxes, when any of them is ticked)."""

    question: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    # The name of its type in the register (qaf.formspec.types): ``kind`` is the type itself.
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
    # Date questions: bounds relative to today (qaf.formspec.types.date.DATE_BOUNDS).
    earliest: str = ""
    latest: str = ""
    # Shown only when an earlier answer has given values (qaf.formspec.conditions).
    show_if: Condition | None = None

    @property
    def kind(self) -> "QuestionType":
        """What its type means: its field, its component, its cell... (qaf.formspec.types)."""
        # Imported here: the types are built on these dataclasses.
        from qaf.formspec.types import question_type

        return question_type(self.type)

    @property
    def is_choice(self) -> bool:
        return self.kind.is_choice

    @property
    def allows_many(self) -> bool:
        return self.kind.allows_many

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
    # A stable name, needed by ``may_not_apply`` (it names the section's not-applicable answer).
    id: str = ""
    # Every question in it shown only when an earlier answer has given values.
    show_if: Condition | None = None
    # Audit templates: the auditor may mark the section not applicable (qaf.formspec.conditions).
    may_not_apply: bool = False


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

        def condition(raw: dict[str, Any] | None) -> Condition | None:
            return Condition(raw["question"], tuple(raw["values"])) if raw else None

        def question(raw: dict[str, Any]) -> Question:
            return Question(
                **{
                    **raw,
                    "options": tuple(Option(**option) for option in raw["options"]),
                    "positive": tuple(raw["positive"]),
                    "stages": tuple(raw.get("stages", ())),
                    "show_if": condition(raw.get("show_if")),
                }
            )

        def section(raw: dict[str, Any]) -> Section:
            return Section(
                raw["title"],
                raw["intro"],
                tuple(question(q) for q in raw["questions"]),
                id=raw.get("id", ""),
                show_if=condition(raw.get("show_if")),
                may_not_apply=raw.get("may_not_apply", False),
            )

        return cls(
            **{
                **data,
                "sections": tuple(section(raw) for raw in data["sections"]),
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
            # Left out unless set, so definitions without them keep the digest they had before they existed.
            for name in ("id", "show_if", "may_not_apply"):
                if not section[name]:
                    del section[name]
            for question in section["questions"]:
                # Left out unless set, so definitions without it keep the digest they had before it existed.
                if not question["headline"]:
                    del question["headline"]
                if not question["equality"]:
                    del question["equality"]
                for name in ("stages", "options_from", "earliest", "latest", "show_if"):
                    if not question[name]:
                        del question[name]
        return data
