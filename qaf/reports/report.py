"""What a report holds, as plain values: the workbook, the CSV files and the pages read these.

``qaf.reports.data`` fills them from the database; nothing here imports Flask or the
database, so the workbook can be built (and tested) from plain values.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qaf import suppression
from qaf.formspec.spec import STAGES, FormSpec
from qaf.reports.periods import Period

if TYPE_CHECKING:
    from qaf.reports.response_rates import ResponseRates

# What the Summary and the About sheet say of questions some responses did not show.
NOT_SHOWN_TEXT = (
    "A question can be asked only after certain answers, or only at some stages; an auditor can mark a "
    "section of an audit not applicable. A question a response did not show reads ‘Not shown’ (an earlier "
    "answer meant it was not asked), ‘Section not applicable’ (the auditor marked its section not "
    "applicable) or ‘Not asked at this stage’ in its cell on the form's sheet and in the CSV file; a blank "
    "cell means it was shown and not answered. On the Summary such a question has ‘Not answered’ and "
    "each reason it was not shown on lines of their own, and its shares are of the answers given, so of "
    "those who were shown it."
)
# The same, short, under a Summary answers table with such a question (a line a note, never wrapped).
NOT_SHOWN_SUMMARY = (
    "Shares are of the answers given: of those who were shown the question and answered it.",
    "‘Not answered’: shown the question, no answer. ‘Not shown’, ‘Section not applicable’, ‘Not asked at "
    "this stage’: not asked it, and why (see About).",
)
# What the Standards and About sheets say of sections an auditor marked not applicable.
STANDARDS_NOT_APPLICABLE_TEXT = (
    "Standards in a section the auditor marked not applicable are left out of the shares: they are counted "
    "under ‘Section not applicable’, apart from a standard answered ‘Not applicable’."
)
# A row sheet's first columns, for every kind of form; comments repeat them.
COMMON_CONTEXT = ("ID", "Submitted", "Team", "Service")
# The context column a response's stage is in (its label: STAGES), on the forms asked at stages.
STAGE_HEADER = "Stage"
STAGE_VALUES = {label: value for value, label in STAGES}
NO_TEAM = "No team given"
# Small groups of staff answers are hidden the same way everywhere in QAF.
SUPPRESSED = suppression.SUPPRESSED
SUPPRESS_BELOW = suppression.SMALLEST_GROUP
STAFF_AUDIENCES = frozenset({"staff"})
# The measure of families answering "I'm not sure yet": a share, but not one of positive answers.
FAMILIES_NOT_SURE = "families_not_sure"


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    service_id: int
    service: str
    district: str


@dataclass(frozen=True)
class VersionInfo:
    """A stored form version; ``spec`` is None when its snapshot can no longer be read."""

    id: int
    form_key: str
    version: str
    label: str
    title: str
    audience: str
    first_seen_at: datetime
    spec: FormSpec | None

    @property
    def is_audit(self) -> bool:
        return self.audience == "auditor"

    @cached_property
    def grade_positive(self) -> tuple[str, ...]:
        grade = self.spec.grade if self.spec is not None else None
        return grade.positive if grade is not None else ()


@dataclass(frozen=True)
class Column:
    """A column of a plain table sheet (Audits, Standards, Actions) and how to write its cells.

    kinds: text, free_text (people's words: always text), int, float, share, date, datetime.
    """

    header: str
    kind: str = "text"
    width: float = 16


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Any]]
    empty_text: str
    intro: str = ""


# One source row of a form sheet: version id, answers, then the context values in the order of
# COMMON_CONTEXT + FormData.extra_context (id, submitted in England, team, service, ...).
SourceRow = tuple[Any, ...]


@dataclass(frozen=True)
class FormData:
    """Everything given against one form (by key) in the period: its versions and its rows, streamed."""

    key: str
    title: str
    audience: str
    versions: tuple[VersionInfo, ...]  # newest first
    count: int
    extra_context: tuple[Column, ...]
    rows: Callable[[], Iterator[SourceRow]]
    held_back: int = 0  # staff responses in small groups: counted, never written (qaf.suppression)

    @property
    def is_audit(self) -> bool:
        return self.audience == "auditor"

    @property
    def is_staff(self) -> bool:
        """Staff answers: small groups are held back and each row carries its date, not its time."""
        return self.audience in STAFF_AUDIENCES

    @property
    def noun(self) -> str:
        return "audits" if self.is_audit else "responses"

    @cached_property
    def stage_at(self) -> int | None:
        """Where a source row holds the response's stage (as its label), if the rows carry one."""
        headers = [column.header for column in self.extra_context]
        return 2 + len(COMMON_CONTEXT) + headers.index(STAGE_HEADER) if STAGE_HEADER in headers else None

    def stage_of(self, source: SourceRow) -> str | None:
        """The stage a source row's response was given at (a STAGES value), or None."""
        if self.stage_at is None or source[self.stage_at] is None:
            return None
        label = source[self.stage_at]
        return STAGE_VALUES.get(label, label)


@dataclass(frozen=True)
class MeasureValue:
    """One headline measure for one scope: this period, the previous one, and what each rests on.

    ``unit`` is share (a fraction), mean or count. A suppressed side is shown as SUPPRESSED.
    """

    key: str
    name: str
    unit: str
    group: str
    current: float | None
    previous: float | None
    current_base: int
    previous_base: int
    current_suppressed: bool = False
    previous_suppressed: bool = False
    note: str = ""

    @property
    def change(self) -> float | None:
        """Percentage points for shares; the plain difference for means and counts."""
        if self.current is None or self.previous is None or self.current_suppressed or self.previous_suppressed:
            return None
        difference = self.current - self.previous
        return difference * 100 if self.unit == "share" else difference


@dataclass(frozen=True)
class ScopeMeasures:
    """The headline measures of one service or team (or of everything)."""

    label: str
    service: str
    team: str
    measures: tuple[MeasureValue, ...]


@dataclass(frozen=True)
class OptionCount:
    label: str
    current: int
    current_share: float | None
    previous: int
    previous_share: float | None


@dataclass(frozen=True)
class QuestionSummary:
    """How one choice question was answered: each option, and the share of positive answers."""

    id: str
    label: str
    type: str
    options: tuple[OptionCount, ...]
    answered: int
    previous_answered: int
    positive_labels: tuple[str, ...] = ()
    positive: float | None = None
    previous_positive: float | None = None
    mean: float | None = None
    previous_mean: float | None = None
    # The "before" question of a before-and-after pair (things_at_start with things_now): how things
    # were, not a measure of the service, so never a strength or an area for development.
    baseline: bool = False
    # Questions some responses did not show (qaf.formspec.conditions): how many did not, for each reason
    # (its label, this period, the previous one), and how many were shown it and did not answer.
    can_be_hidden: bool = False
    not_shown: tuple[tuple[str, int, int], ...] = ()
    not_answered: int = 0
    previous_not_answered: int = 0


@dataclass(frozen=True)
class ScaleChange:
    """The mean change between a 'start' and a 'now' question, e.g. things_at_start and things_now."""

    label: str
    current: float | None
    previous: float | None


@dataclass(frozen=True)
class TeamRow:
    service: str
    team: str
    current: int | None  # None when suppressed
    previous: int | None
    shares: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class FormSummary:
    key: str
    title: str
    audience: str
    noun: str
    current: int
    previous: int
    by_team: tuple[TeamRow, ...]
    questions: tuple[QuestionSummary, ...]
    positive_questions: tuple[str, ...]  # labels: the columns of the team rows' shares
    changes: tuple[ScaleChange, ...]
    suppressed: bool  # staff answers: groups under SUPPRESS_BELOW are not shown


@dataclass(frozen=True)
class GroupRow:
    """A headline measure for one group of a breakdown: the responses to the forms feeding it, the
    answers to its question, the share positive. ``hidden``: fewer than 5 staff responses, not shown."""

    measure: str
    group: str
    responses: int | None
    answered: int | None
    share: float | None
    hidden: bool = False


@dataclass(frozen=True)
class Breakdown:
    """The headline measures by one dimension (stage, district, an equality question...): built by
    ``qaf.reports.breakdowns``."""

    key: str
    title: str
    intro: str
    rows: tuple[GroupRow, ...]


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint or compliment received in the period, with its labels as the workbook shows them."""

    id: int
    received_on: date
    kind: str
    team: str
    service: str
    theme: str
    outcome: str
    learning: str


@dataclass(frozen=True)
class ComplaintsData:
    """The period's complaints and compliments, and the choice labels they are counted by, in order.

    ``previous`` holds how many of each kind (as ``kinds``) were received in the period before.
    """

    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    rows: tuple[ComplaintRow, ...] = ()
    previous: tuple[int, ...] = ()


@dataclass
class ReportData:
    """What the database holds for a period, ready to be written; built by qaf.reports.data."""

    period: Period
    previous: Period
    made_at: datetime  # in England
    made_by: str
    forms: list[FormData]
    headline: ScopeMeasures
    by_service: list[ScopeMeasures]
    by_team: list[ScopeMeasures]
    summaries: list[FormSummary]
    audits: Table
    standards: Table
    actions: Table
    definitions: list[tuple[str, str]]
    versions: list[VersionInfo] = field(default_factory=list)
    # Responses or audits given against each version in the period, by version id (the About sheet's table).
    version_counts: dict[int, int] = field(default_factory=dict)
    unreadable_versions: list[VersionInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The headline measures by stage, round, agency type, district and respondent; and by equality answers.
    breakdowns: list[Breakdown] = field(default_factory=list)
    equality: list[Breakdown] = field(default_factory=list)
    complaints: ComplaintsData = field(default_factory=ComplaintsData)
    response_rates: "ResponseRates | None" = None

    @property
    def total(self) -> int:
        return sum(form.count for form in self.forms)
