"""The catalogue of problems a form definition can have, and the error that carries them all."""

from dataclasses import dataclass
from enum import StrEnum


class Code(StrEnum):
    SPEC_YAML = "SPEC_YAML"
    SPEC_NOT_MAPPING = "SPEC_NOT_MAPPING"
    SPEC_MISSING_FIELD = "SPEC_MISSING_FIELD"
    SPEC_UNKNOWN_FIELD = "SPEC_UNKNOWN_FIELD"
    SPEC_BAD_VALUE = "SPEC_BAD_VALUE"
    SPEC_DUPLICATE_KEY = "SPEC_DUPLICATE_KEY"
    SPEC_BAD_REFERENCE = "SPEC_BAD_REFERENCE"
    SECTION_EMPTY = "SECTION_EMPTY"
    QUESTION_UNKNOWN_TYPE = "QUESTION_UNKNOWN_TYPE"
    QUESTION_BAD_ID = "QUESTION_BAD_ID"
    QUESTION_DUPLICATE_ID = "QUESTION_DUPLICATE_ID"
    QUESTION_MISSING_FIELD = "QUESTION_MISSING_FIELD"
    QUESTION_UNKNOWN_FIELD = "QUESTION_UNKNOWN_FIELD"
    QUESTION_BAD_VALUE = "QUESTION_BAD_VALUE"
    CHOICE_MISSING = "CHOICE_MISSING"
    CHOICE_NOT_ALLOWED = "CHOICE_NOT_ALLOWED"
    CHOICE_DUPLICATE_VALUE = "CHOICE_DUPLICATE_VALUE"
    CHOICE_UNKNOWN_POSITIVE = "CHOICE_UNKNOWN_POSITIVE"
    CHOICE_UNKNOWN_SOURCE = "CHOICE_UNKNOWN_SOURCE"
    SECTION_BAD_ID = "SECTION_BAD_ID"
    CONDITION_BAD = "CONDITION_BAD"
    CONDITION_UNKNOWN_QUESTION = "CONDITION_UNKNOWN_QUESTION"
    CONDITION_LATER_QUESTION = "CONDITION_LATER_QUESTION"
    CONDITION_NOT_CHOICE = "CONDITION_NOT_CHOICE"
    CONDITION_UNKNOWN_VALUE = "CONDITION_UNKNOWN_VALUE"
    CONDITION_ON_ALWAYS_ASKED = "CONDITION_ON_ALWAYS_ASKED"
    # Words meant as text that YAML reads as yes/no, a number or a date (``label: No``).
    SPEC_NOT_TEXT = "SPEC_NOT_TEXT"


@dataclass(frozen=True)
class Problem:
    code: Code
    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f" {self.where}:" if self.where else ""
        return f"{self.file}:{self.line}{where} {self.message} [{self.code}]"


class SpecError(Exception):
    """Every problem found in one or more form definitions, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def has(self, code: Code) -> bool:
        return any(problem.code == code for problem in self.problems)
