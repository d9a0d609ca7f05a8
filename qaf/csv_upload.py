"""Reading the CSV files a council uploads, as Excel and case systems write them: one reader for them all.

The invitations, the case list and staff accounts are read by ``CSVFile`` (plain Python, no Flask):
- the text is UTF-8, with or without a byte order mark, else Excel's plain "CSV" (Windows-1252);
- headings are matched ignoring capitals, spaces, underscores and hyphens ("Case reference" is
  ``case_reference``), under a column's name, one of its aliases, or a heading the council mapped
  to it; any other heading is ignored, and named (``CSVFile.ignored``);
- empty rows (Excel's ``,,,``) are skipped; line numbers are the file's own (a quoted value
  across lines counts each line), and every problem has one.
"""

import bisect
import codecs
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

# Chunks read while finding the encoding: the file is never held whole in memory.
_CHUNK = 1024 * 1024
NOT_TEXT = "The file cannot be read as text: save it from your spreadsheet as ‘CSV UTF-8’"
NO_HEADINGS = "The file is empty: the first line must name the columns"


@dataclass(frozen=True)
class Column:
    """A column a file may have: its name, whether it must be there, what it holds, other headings for it."""

    name: str
    required: bool = False
    meaning: str = ""
    aliases: tuple[str, ...] = ()


def fold(heading: str) -> str:
    """A heading as it is matched: without capitals, spaces, underscores or hyphens."""
    return re.sub(r"[\s_\-]+", "", heading).casefold()


def shown(value: str, most: int = 40) -> str:
    """A value from the file, short enough to repeat in a message."""
    return value if len(value) <= most else value[: most - 3] + "..."


class Problems:
    """The problems found in a file in line order: the first ``kept`` of them, and how many there were in all.

    A problem found in many rows of one column (a whole column of dates the wrong way round) is
    told once for the column (``add_in_column``) rather than once a row.
    """

    # Up to this many rows with one column's problem are told by line; more, once for the column.
    BY_LINE = 5

    def __init__(self, kept: int = 100):
        self.kept = kept
        self.count = 0
        self._found: list[tuple[int, int, str]] = []
        self._seen = 0
        # By column and the words for many rows (None: ``finish``'s): a few examples, and how many rows.
        self._columns: dict[tuple[str, str | None], list[tuple[int, int, str, str]]] = {}
        self._column_counts: dict[tuple[str, str | None], int] = {}

    def add(self, line: int, problem: str) -> None:
        """A problem on ``line`` (0 for the whole file)."""
        self._seen += 1
        self._keep(line, self._seen, problem)

    def add_in_column(self, column: str, line: int, value: str, problem: str, many: str | None = None) -> None:
        """``value`` in ``column`` on ``line`` is not right: told by line for a few rows, else once, at ``finish``.

        ``many`` is the words for many rows with this problem (with {rows} and {column}), for a column
        that can have more than one kind of problem; without it, ``finish`` gives them.
        """
        self._seen += 1
        key = (column, many)
        self._column_counts[key] = self._column_counts.get(key, 0) + 1
        examples = self._columns.setdefault(key, [])
        if len(examples) < self.BY_LINE:
            examples.append((line, self._seen, value, problem))

    def finish(self, column_problem: str = "{rows} rows are not right") -> None:
        """Tell the problems held by column; ``column_problem`` is the words for many, with {rows} and {column}."""
        for (column, many), examples in self._columns.items():
            rows = self._column_counts[(column, many)]
            if rows <= self.BY_LINE:
                for line, seen, _value, problem in examples:
                    self._keep(line, seen, problem)
            else:
                line, seen, value, _problem = examples[0]
                words = (many or column_problem).format(rows=f"{rows:,}", column=column)
                self._keep(0, seen, f"Column ‘{column}’: {words}, e.g. line {line} ‘{shown(value)}’")
        self._columns.clear()

    def _keep(self, line: int, seen: int, problem: str) -> None:
        self.count += 1
        text = f"Line {line}: {problem}" if line else problem
        bisect.insort(self._found, (line, seen, text))
        del self._found[self.kept :]

    def replace(self, problem: str) -> None:
        """The file is refused for one reason alone."""
        self._found, self.count = [(0, 0, problem)], 1
        self._columns.clear()

    @property
    def messages(self) -> list[str]:
        return [text for _line, _seen, text in self._found]

    def __bool__(self) -> bool:
        return self.count > 0 or bool(self._columns)


def encoding_of(stream: BinaryIO) -> str | None:
    """``utf-8-sig`` or ``cp1252`` (what Excel's plain "CSV" writes), read from the stream's start; None if neither.

    Read in chunks and left at its start, so the caller reads it again as text.
    """
    for encoding in ("utf-8-sig", "cp1252"):
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := stream.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    return None


class CSVFile:
    """One uploaded file read against its columns: the headings first, then its rows, one at a time.

    ``headings`` maps folded headings to column names, for the headings a council's system
    writes that are not a column's name or alias (EHM's "Case ID" for ``reference``).
    ``rows()`` yields ``(line, values)``: every column's value, stripped ("" when the column is
    absent or the cell empty). The problems go in ``problems``; after a problem with the
    headings or the file itself no rows are yielded.
    """

    def __init__(
        self,
        stream: BinaryIO,
        columns: Sequence[Column],
        problems: Problems,
        *,
        headings: Mapping[str, str] | None = None,
    ):
        self.stream = stream
        self.columns = columns
        self.problems = problems
        self.lookup = {fold(alias): column.name for column in columns for alias in (column.name, *column.aliases)}
        self.lookup |= dict(headings or {})
        self.ignored: list[str] = []
        self.present: set[str] = set()
        self.lines = 0
        self._width = 0

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        encoding = encoding_of(self.stream)
        if encoding is None:
            self.problems.replace(NOT_TEXT)
            return
        text = io.TextIOWrapper(self.stream, encoding=encoding, newline="")
        try:
            yield from self._rows(csv.reader(text))
        finally:
            text.detach()  # the caller's stream stays open: an import reads it a second time

    def _rows(self, reader: Any) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            positions = self._headings(reader)
            if positions is None:
                return
            blank = dict.fromkeys((column.name for column in self.columns), "")
            last_used = max(index for index, _name in positions) if positions else -1
            width = self._width
            for cells in reader:
                start, self.lines = self.lines + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) <= last_used or (len(cells) > width and any(cell.strip() for cell in cells[width:])):
                    self.problems.add(start, f"has {len(cells)} values but the first line names {width} columns")
                    continue
                values = blank.copy()
                for index, name in positions:
                    values[name] = cells[index].strip()
                yield start, values
        except csv.Error as error:
            self.problems.add(self.lines + 1, f"this line cannot be read as CSV ({error})")

    def _headings(self, reader: Any) -> list[tuple[int, str]] | None:
        """Each column's position in the file, from the first line that is not empty; None after a problem."""
        for header in reader:
            self.lines = reader.line_num
            if any(cell.strip() for cell in header):
                break
        else:
            self.problems.add(0, NO_HEADINGS)
            return None
        self._width = len(header)
        line = self.lines
        positions: list[tuple[int, str]] = []
        written: dict[str, str] = {}
        for index, heading in enumerate(header):
            heading = heading.strip()
            name = self.lookup.get(fold(heading)) if heading else None
            if name is None:
                if heading:
                    self.ignored.append(heading)
            elif name in written:
                self.problems.add(line, f"the columns ‘{written[name]}’ and ‘{shown(heading)}’ are both {name}")
            else:
                written[name] = shown(heading)
                positions.append((index, name))
        self.present = set(written)
        for column in self.columns:
            if column.required and column.name not in written:
                self.problems.add(line, f"the column ‘{column.name}’ is missing{self._ignored_words()}")
        return None if self.problems else positions

    def _ignored_words(self) -> str:
        if not self.ignored:
            return ""
        return f"; the file's other columns are {', '.join(f'‘{shown(name)}’' for name in self.ignored[:10])}"


def parse_date(text: str) -> date:
    """A date as spreadsheets write it; ValueError otherwise.

    YYYY-MM-DD, DD/MM/YYYY or DD-MM-YYYY, each perhaps with a time after it (Excel writes a
    date column as ``2026-10-10 00:00:00``). Hand-written: strptime is most of an import's time.
    """
    if len(text) > 10:
        text, _space, time = text.partition(" ") if " " in text else text.partition("T")
        if not _TIME.fullmatch(time):
            raise ValueError(text)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text)
    parts = text.split("/") if "/" in text else text.split("-")
    if len(parts) != 3:
        raise ValueError(text)
    day, month, year = parts
    if len(year) != 4 or not (day.isdigit() and month.isdigit() and year.isdigit()) or max(len(day), len(month)) > 2:
        raise ValueError(text)
    return date(int(year), int(month), int(day))


_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")
