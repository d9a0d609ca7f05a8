"""Staff email addresses the QA team pastes or uploads for a wave: every one checked, each problem by line.

Pasted, they are one a line or separated by commas or semicolons; uploaded, a CSV file (read as every
uploaded CSV is) with an ``email`` column. An address given twice is emailed once. They are used to
send the wave's link and are never stored (qaf.feedback.round_emails).
"""

import io
import re

from qaf.contacts import email_address
from qaf.csv_upload import Column, CSVFile, Problems, shown

COLUMNS = (Column("email", True, "a work email address", ("email address", "work email", "staff email")),)
MOST_ADDRESSES = 5000
_SEPARATORS = re.compile(r"[,;]")


class AddressProblems(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _checked(lines: list[tuple[int, str]], found: Problems) -> list[str]:
    addresses: dict[str, str] = {}
    for line, typed in lines:
        address = email_address(typed)
        if not typed:
            found.add(line, "the email address is empty")
        elif address is None:
            found.add(line, f"‘{shown(typed)}’ is not an email address in the correct format, like name@example.gov.uk")
        else:
            addresses.setdefault(address.casefold(), address)
    if not found and not addresses:
        found.add(0, "Enter the staff email addresses, or choose a CSV file with an email column")
    elif len(addresses) > MOST_ADDRESSES:
        found.replace(f"Send to at most {MOST_ADDRESSES:,} addresses at a time: split the list")
    if found:
        raise AddressProblems(found.messages)
    return list(addresses.values())


def pasted_addresses(text: str) -> list[str]:
    """The addresses in the text, each once; ``AddressProblems`` naming each bad one by its line."""
    lines = [
        (number, item.strip())
        for number, row in enumerate(text.splitlines(), start=1)
        for item in _SEPARATORS.split(row)
        if item.strip()
    ]
    return _checked(lines, Problems())


def uploaded_addresses(data: bytes) -> list[str]:
    """The addresses in a CSV file's email column, each once; ``AddressProblems`` by line if any is wrong."""
    found = Problems()
    file = CSVFile(io.BytesIO(data), COLUMNS, found)
    lines = [(line, values["email"]) for line, values in file.rows()]
    if found:
        raise AddressProblems(found.messages)
    return _checked(lines, found)
