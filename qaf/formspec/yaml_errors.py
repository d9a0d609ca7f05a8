"""YAML's surprises in plain words: a file the parser cannot read, and values it reads as something else.

``explain`` turns a PyYAML error into a ``Problem`` a QA officer can act on: the line, what is
wrong there and the fixed line where one can be shown, never the parser's own wording.
``not_text_message`` says what to do when YAML reads words meant as text (``No``, ``on``, ``10``,
``2026-04-01``) as yes/no, a number or a date.
"""

import datetime
import re
from typing import Any

import yaml

from qaf.formspec.errors import Code, Problem

# Characters YAML gives a meaning to at the start of a value: text starting with one needs quotes.
SPECIAL_STARTS = "*&!%@`|>"
# How _read_yaml (qaf.formspec.loader) says a key is repeated.
DUPLICATE_KEY = re.compile(r"the key '(?P<key>.*)' appears twice")
# A line's parts: its indentation and list dashes, then a key and its value (either may be absent).
LINE_PARTS = re.compile(
    r"^(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[^\s:#'\"][^:#]*?):(?:\s+|$))?(?P<value>.*?)(?P<comment>\s+#.*)?$"
)
BRACKETS = {"[": "]", "{": "}"}
GENERIC = "check its indentation and put text containing : # or quotes inside quotes"


def explain(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """The problem a YAML error means, with the line to change and how."""
    line, message = _explain(error, text.splitlines())
    return Problem(Code.SPEC_YAML, file, line, "", f"this is not valid YAML: {message}")


def _explain(error: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or "")
    context = str(getattr(error, "context", None) or "")
    number = problem_mark.line + 1 if problem_mark else (context_mark.line + 1 if context_mark else 1)
    number = min(number, len(lines)) if lines else 1
    opened = context_mark.line + 1 if context_mark else number
    source = _line(lines, number)

    duplicate = DUPLICATE_KEY.fullmatch(problem)
    if duplicate:
        return number, _duplicate_key(lines, number, duplicate["key"])
    tab_line = _tab_line(lines, opened, number)
    if tab_line:
        return tab_line, (
            f"line {tab_line} is indented with a tab: indent with spaces only, lining the line up with those above it"
        )
    if "quoted scalar" in context:
        if "escape" in problem:
            fixed = source.replace('"', "'")
            return number, (
                f'line {number} has a \\ inside "double quotes", which starts a special character:'
                f" use single quotes instead: {fixed.strip()}"
            )
        quote = _character(context_mark) or '"'
        return opened, (
            f"the quote {quote} opened on line {opened} is never closed: add a closing {quote} at the end of the text"
        )
    if "flow" in context:
        unclosed = _unclosed_bracket(lines, opened)
        if unclosed:
            start, opener = unclosed
            return start, (
                f"the {opener} opened on line {start} is never closed: end it with {BRACKETS[opener]} on the same line"
            )
        return opened, (
            f"line {opened} has a list in brackets with an item containing : or another bracket:"
            ' put that item in quotes, e.g. ["Yes: always", "No"]'
        )
    if "simple key" in context:
        return opened, (
            f"line {opened} has text with no name and colon before it: if it goes on from the line above, put all"
            " that text in quotes on one line; otherwise start the line with its name, e.g. hint: ..."
        )
    if "mapping values are not allowed" in problem:
        parts = LINE_PARTS.match(source)
        if parts and parts["key"] and ": " in parts["value"] + " ":
            return number, (
                f"line {number} has a colon followed by a space inside text that is not in quotes:"
                f" put the text in quotes: {_quoted_line(source)}"
            )
        return number, _indentation(lines, number)
    if any(word in context or word in problem for word in ("tag", "alias", "anchor", "block scalar")):
        return number, _special_start(source, number)
    if "cannot start any token" in problem:
        if _character(problem_mark) in tuple(SPECIAL_STARTS):
            return number, _special_start(source, number)
    if "another document" in problem:
        return number, f"line {number} starts a second document (---): a definition is one document, remove the line"
    unclosed = _unclosed_quote(lines, number)
    if unclosed:
        start, quote_mark = unclosed
        return start, (
            f"the quote {quote_mark} opened on line {start} is never closed:"
            f" add a closing {quote_mark} at the end of the text"
        )
    if "expected <block end>" in problem:
        after_quote = _text_after_quote(source)
        if after_quote:
            return number, (
                f"line {number} has more text after a closing quote: put all the text inside the quotes: {after_quote}"
            )
        previous = _previous(lines, number)[1]
        if source.lstrip().startswith("-") and not previous.lstrip().startswith("-"):
            return number, (
                f"line {number} starts a list item (-) among lines that are not a list:"
                " remove the - or put the list under a line ending in a colon"
            )
        if _indent(source) != _indent(previous):
            return number, _indentation(lines, number)
    return number, f"line {number} could not be read: {GENERIC}"


def _unclosed_bracket(lines: list[str], number: int) -> tuple[int, str] | None:
    """A line a few lines up to ``number`` that opens a [ or { and does not close it, outside quotes."""
    for above in range(number, max(number - 5, 0), -1):
        unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", "", _line(lines, above))
        for opener, closer in BRACKETS.items():
            if unquoted.count(opener) > unquoted.count(closer):
                return above, opener
    return None


def _unclosed_quote(lines: list[str], number: int) -> tuple[int, str] | None:
    """A value a few lines up to ``number`` that opens a quote and does not close it on its line."""
    for above in range(number, max(number - 5, 0), -1):
        parts = LINE_PARTS.match(_line(lines, above))
        value = (parts["value"] + (parts["comment"] or "")) if parts else ""
        if value[:1] in ("'", '"') and value.count(value[0]) % 2:
            return above, value[0]
    return None


def _character(mark: Any) -> str:
    """The character a parser's mark points at."""
    buffer = getattr(mark, "buffer", None)
    return buffer[mark.pointer] if buffer and mark.pointer < len(buffer) else ""


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _indent(line: str) -> int:
    """Where a line's keys start: after its spaces and any list dashes."""
    parts = LINE_PARTS.match(line)
    return len(parts["lead"]) if parts else 0


def _previous(lines: list[str], number: int) -> tuple[int, str]:
    """The nearest line above ``number`` with something on it (not blank, not only a comment)."""
    for above in range(number - 1, 0, -1):
        line = _line(lines, above)
        if line.strip() and not line.strip().startswith("#"):
            return above, line
    return 0, ""


def _tab_line(lines: list[str], first: int, last: int) -> int:
    """The first line from ``first`` to ``last`` indented with a tab, or 0."""
    for number in range(min(first, last), max(first, last) + 1):
        line = _line(lines, number)
        if "\t" in line[: len(line) - len(line.lstrip())]:
            return number
    return 0


def _indentation(lines: list[str], number: int) -> str:
    above, previous = _previous(lines, number)
    here = _indent(_line(lines, number))
    if not above:
        return f"line {number} is indented by {here} spaces: the first line of a definition starts at the left edge"
    spaces = _indent(previous)
    return (
        f"line {number} is indented by {here} spaces, but the lines above it use {spaces}:"
        f" line it up with them ({spaces} spaces), or indent it further only under a line ending in a colon"
    )


def _duplicate_key(lines: list[str], number: int, key: str) -> str:
    here = _indent(_line(lines, number))
    for above in range(number - 1, 0, -1):
        line = _line(lines, above)
        if not line.strip() or line.strip().startswith("#"):
            continue
        parts = LINE_PARTS.match(line)
        if parts and _indent(line) == here and parts["key"] == key:
            return f"'{key}' appears twice in the same place, on line {above} and line {number}: keep one of them"
        if _indent(line) < here:
            break
    return f"line {number}: '{key}' appears twice in the same place: keep one of them"


def _special_start(source: str, number: int) -> str:
    parts = LINE_PARTS.match(source)
    character = parts["value"][:1] if parts else ""
    what = f"with {character} " if character else ""
    return (
        f"line {number} starts text {what}which YAML gives a meaning to: put the text in quotes: {_quoted_line(source)}"
    )


def _text_after_quote(source: str) -> str:
    """The line with a quoted value followed by more text, quoted as a whole; "" if it is not that."""
    parts = LINE_PARTS.match(source)
    if not parts or parts["value"][:1] not in ("'", '"'):
        return ""
    quote = parts["value"][0]
    end = parts["value"].find(quote, 1)
    if end < 0 or not parts["value"][end + 1 :].strip():
        return ""
    return _quoted_line(source)


def _quoted_line(source: str) -> str:
    """``source`` with its value (everything after the key, or after the list dash) in quotes."""
    parts = LINE_PARTS.match(source)
    if not parts:
        return quote(source.strip())
    key = f"{parts['key']}: " if parts["key"] else ""
    return f"{parts['lead'].strip()} {key}{quote(parts['value'])}{parts['comment'] or ''}".strip()


def quote(text: str) -> str:
    """``text`` as a quoted YAML value that reads back as the same text."""
    text = text.strip()
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


# What YAML read, in words, for a value meant as text.
def _reads_as(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    return "a number"


def is_not_text(value: Any) -> bool:
    """Whether YAML read a value as yes/no, a number or a date: words that would be text in quotes."""
    return isinstance(value, (bool, int, float, datetime.date, datetime.datetime))


def written_as(value: Any, source_line: str, name: str = "") -> str:
    """What was written in the file for ``value`` on ``source_line`` (after ``name:`` if given)."""
    start = 0
    if name:
        found = re.search(rf"(?:^|[\s{{,-]){re.escape(name)}\s*:", source_line)
        start = found.end() if found else 0
    tokens: list[str] = re.findall(r"[^\s,\[\]{}#\"']+", source_line[start:])
    for token in (word.rstrip(":") for word in tokens):
        try:
            read = yaml.safe_load(token)
        except yaml.YAMLError:
            continue
        if type(read) is type(value) and read == value:
            return token
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def not_text_message(value: Any, line: int, source_line: str, name: str = "") -> str:
    """The message for a value meant as text that YAML read as yes/no, a number or a date."""
    written = written_as(value, source_line, name)
    if name:
        example = f"{name}: {quote(written)}"
    else:
        example = f"- {quote(written)}" if source_line.lstrip().startswith("-") else quote(written)
    return f"line {line}: this reads as {_reads_as(value)}, not text: put it in quotes, e.g. {example}"


def colon_in_item_message(source_line: str) -> str:
    """The message for a list item YAML read as a name and a value because of its colon."""
    parts = LINE_PARTS.match(source_line)
    item = source_line.strip()
    if parts:
        item = f"{parts['key']}: {parts['value']}" if parts["key"] else parts["value"]
    return f"this reads as a name and a value because of its colon: put it in quotes, e.g. - {quote(item)}"
