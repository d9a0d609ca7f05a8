"""Changes to a draft's definition (the raw dict a YAML file holds), as the editor's pages make them.

Pure functions: each takes the definition and changes it in place. Keys the editor has no page
for (``equality``, an option's ``symbol``...) are kept as they are.
"""

from typing import Any

from qaf.formspec.checker import slug
from qaf.formspec.types import DEFINITION_TYPES, question_type

# Options are written one a line: "value | label", "value | label | hint", or just the label.
OPTION_SEPARATOR = "|"


def options_text(options: Any) -> str:
    """A question's options as the editor shows them, one a line."""
    lines = []
    for option in options or []:
        if isinstance(option, dict):
            parts = [str(option.get("value", "")), str(option.get("label", ""))]
            if option.get("hint"):
                parts.append(str(option["hint"]))
            lines.append(f" {OPTION_SEPARATOR} ".join(parts))
        else:
            lines.append(str(option))
    return "\n".join(lines)


def parse_options(text: str, existing: Any = None) -> list[Any]:
    """The options typed one a line; an option kept from before keeps what the editor does not show."""
    kept = {str(option.get("value")): option for option in existing or [] if isinstance(option, dict)}
    options: list[Any] = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(OPTION_SEPARATOR)]
        if not parts[0] and len(parts) == 1:
            continue
        if len(parts) == 1:
            options.append({"value": slug(parts[0]), "label": parts[0]})
            continue
        option = dict(kept.get(parts[0], {}))
        option |= {"value": parts[0], "label": parts[1]}
        if len(parts) > 2 and parts[2]:
            option["hint"] = OPTION_SEPARATOR.join(parts[2:]).strip()
        else:
            option.pop("hint", None)
        options.append(option)
    return options


def option_values(options: Any) -> list[str]:
    return [str(option["value"]) if isinstance(option, dict) else slug(str(option)) for option in options or []]


def split_values(text: str) -> list[str]:
    """Values typed separated by commas or one a line."""
    return [value.strip() for value in text.replace("\n", ",").split(",") if value.strip()]


def set_or_drop(target: dict[str, Any], name: str, value: Any) -> None:
    """Set ``name`` to ``value``, or leave it out when empty (the loader's default then applies)."""
    if value in (None, "", [], {}):
        target.pop(name, None)
    else:
        target[name] = value


def sections(definition: dict[str, Any]) -> list[dict[str, Any]]:
    found = definition.setdefault("sections", [])
    assert isinstance(found, list)
    return found


def questions(definition: dict[str, Any], section: int) -> list[dict[str, Any]]:
    found = sections(definition)[section].setdefault("questions", [])
    assert isinstance(found, list)
    return found


def all_questions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every question of the draft with an id, by id."""
    return {
        str(raw["id"]): raw
        for raw_section in definition.get("sections") or []
        if isinstance(raw_section, dict)
        for raw in raw_section.get("questions") or []
        if isinstance(raw, dict) and raw.get("id")
    }


# A section id is at most this long (the loader's SECTION_ID_PATTERN).
SECTION_ID_LENGTH = 40


def new_section_id(definition: dict[str, Any], section: int, title: str) -> str:
    """An id for ``sections[section]`` made from its heading, used by no other section, and whose
    not-applicable answer (``<id>_not_applicable``) names no question."""
    base = slug(title)[:SECTION_ID_LENGTH].strip("_")
    if not base[:1].isalpha():
        base = f"section_{base}"[:SECTION_ID_LENGTH].strip("_")
    taken = {
        str(raw.get("id"))
        for index, raw in enumerate(definition.get("sections") or [])
        if index != section and isinstance(raw, dict) and raw.get("id")
    }
    question_ids = set(all_questions(definition))
    candidate, number = base, 2
    while candidate in taken or candidate in question_ids or f"{candidate}_not_applicable" in question_ids:
        suffix = f"_{number}"
        candidate = base[: SECTION_ID_LENGTH - len(suffix)].strip("_") + suffix
        number += 1
    return candidate


def move(items: list[Any], index: int, direction: str) -> None:
    """Move ``items[index]`` one place up or down; nothing at either end."""
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def earlier_choice_questions(definition: dict[str, Any], section: int, question: int | None) -> list[dict[str, Any]]:
    """The choice questions before a place in the form: what a ``show_if`` may name."""
    found = []
    for section_index, raw_section in enumerate(sections(definition)):
        for question_index, raw in enumerate(raw_section.get("questions") or []):
            before = section_index < section or (
                section_index == section and (question is None or question_index < question)
            )
            if before and isinstance(raw, dict) and raw.get("type") in CHOICE_TYPES and raw.get("id"):
                found.append(raw)
    return found


# The types whose answers a condition or an alert can name: their options are known.
CHOICE_TYPES = tuple(name for name in DEFINITION_TYPES if question_type(name).is_choice)
