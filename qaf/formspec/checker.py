"""What checking a definition needs everywhere: where a value is, its line, and the problems found."""

import difflib
import re
from collections.abc import Iterable
from typing import Any

from qaf.formspec.errors import Code, Problem
from qaf.formspec.yaml_errors import is_not_text, not_text_message

PathKey = tuple[str | int, ...]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:60]


def path_text(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class Checker:
    """Collects problems while turning parsed YAML into a FormSpec."""

    def __init__(self, file: str, lines: dict[PathKey, int], source: str = ""):
        self.file = file
        self.lines = lines
        # The YAML text itself, so a message can show what was written.
        self.source_lines = source.splitlines()
        self.problems: list[Problem] = []

    def line(self, path: PathKey) -> int:
        """The line of the value at ``path``, or of the nearest thing around it that has one."""
        for length in range(len(path), -1, -1):
            if path[:length] in self.lines:
                return self.lines[path[:length]]
        return 1

    def problem(self, code: Code, path: PathKey, message: str, about: str = "") -> None:
        where = path_text(path) + (f" (question '{about}')" if about else "")
        self.problems.append(Problem(code, self.file, self.line(path), where, message))

    def not_text(self, value: Any, path: PathKey, about: str = "") -> bool:
        """Whether a value meant as text was read as yes/no, a number or a date; if so, says to quote it."""
        if not is_not_text(value):
            return False
        name = path[-1] if path and isinstance(path[-1], str) else ""
        message = not_text_message(value, self.line(path), self.source_line(path), name)
        self.problem(Code.SPEC_NOT_TEXT, path, message, about)
        return True

    def source_line(self, path: PathKey) -> str:
        """The line of the YAML text where the value at ``path`` is, as written."""
        line = self.line(path)
        return self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""

    def unknown_fields(
        self, data: dict[str, Any], allowed: Iterable[str], path: PathKey, code: Code, about: str = ""
    ) -> None:
        allowed = tuple(allowed)
        for name in data:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1)
                fix = f"; did you mean '{hint[0]}'?" if hint else f"; allowed here: {', '.join(allowed)}"
                self.problem(code, (*path, str(name)), f"unknown field '{name}'{fix}", about)

    def text(
        self, data: dict[str, Any], name: str, path: PathKey, code: Code, *, required: bool, about: str = ""
    ) -> str:
        value = data.get(name)
        if value is None:
            if required:
                self.problem(code, path, f"'{name}' is missing; add {name}: ...", about)
            return ""
        if self.not_text(value, (*path, name), about):
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(code, (*path, name), f"'{name}' must be text", about)
            return ""
        return value.strip()

    def integer(self, data: dict[str, Any], name: str, path: PathKey, about: str) -> int | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(Code.QUESTION_BAD_VALUE, (*path, name), f"'{name}' must be a whole number", about)
            return None
        return value
