"""Obvious identifiers in free text: what would point at a child, a family or anyone else.

A complaint's learning is for sharing across teams, so it must name nobody. Names cannot be
recognised reliably, but the things a worker copies from a record can: a case reference, a
date of birth, a titled name, an email address, a phone number or a postcode.
"""

import re
from collections.abc import Collection

# Words in a case reference's characters (qaf/case_reference.py).
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]*")
_ORDINAL = re.compile(r"[0-9]+(?:st|nd|rd|th)", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"[0-9]{6}")
_BIRTH = re.compile(r"\b(?:d\.?o\.?b\b\.?|date of birth|birth ?date|born (?:on|in)\b)", re.IGNORECASE)
_DATE = re.compile(r"\b[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:[0-9]{4}|[0-9]{2})\b")
_TITLED_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Master)\.? +[A-Z][a-z'-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b")


def _looks_like_reference(word: str, known: Collection[str]) -> bool:
    """EH-104233 or MOS/55012 (letters with three digits or more), six digits in a row, or a known case."""
    if word.upper() in known:
        return True
    if _ORDINAL.fullmatch(word):
        return False
    digits = sum(character.isdigit() for character in word)
    has_letter = any(character.isalpha() for character in word)
    return (has_letter and digits >= 3) or bool(_LONG_NUMBER.search(word))


def identifier_problem(text: str, thing: str, known_references: Collection[str] = ()) -> str | None:
    """Why ``text`` may identify someone, as a GOV.UK error message about ``thing``; None if nothing obvious.

    ``known_references`` are the case list's references, upper case: one is refused however it is written.
    """
    why = "nobody should be identifiable from it"
    if any(_looks_like_reference(word, known_references) for word in _WORD.findall(text)):
        return f"Remove the case reference or other number from {thing}: {why}"
    if _BIRTH.search(text) or _DATE.search(text):
        return f"Remove the date from {thing}: it could be a date of birth, and {why}"
    if _TITLED_NAME.search(text):
        return f"Remove the name from {thing}: {why}"
    if _EMAIL.search(text):
        return f"Remove the email address from {thing}: {why}"
    if _POSTCODE.search(text):
        return f"Remove the postcode from {thing}: {why}"
    return None
