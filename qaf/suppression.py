"""Small groups of staff answers are not shown: five or more, or the count is withheld."""

from collections.abc import Sequence
from typing import Any

SMALLEST_GROUP = 5
SUPPRESSED = "Fewer than 5: not shown"


def suppress_small_groups(groups: Sequence[tuple[Any, int]]) -> list[tuple[Any, int | str]]:
    """Each (group, count) with counts under SMALLEST_GROUP replaced by a note saying why."""
    return [(name, count if count >= SMALLEST_GROUP else SUPPRESSED) for name, count in groups]
