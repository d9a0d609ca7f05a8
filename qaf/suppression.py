"""Small groups of staff answers are not shown: five or more, or held back.

A group is the responses to one staff form in a period that share everything a row of them
shows about who answered: their team, their role (the respondent) and their wave. A group of
fewer than 5 shows neither its answers nor its comments anywhere (sheets, CSV files, pages).
Holding back one person's row is not enough when the totals beside the rows (all staff, a
team, a service, a role) still count them: the totals less the rows shown would be their
answers. So when fewer than 5 are held back within any of those, the smallest other groups
there are held back too, until at least 5 are.
"""

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

SMALLEST_GROUP = 5
SUPPRESSED = "Fewer than 5: not shown"

Group = TypeVar("Group", bound=Hashable)


def suppress_small_groups(groups: Sequence[tuple[Any, int]]) -> list[tuple[Any, int | str]]:
    """Each (group, count) with counts under SMALLEST_GROUP replaced by a note saying why."""
    return [(name, count if count >= SMALLEST_GROUP else SUPPRESSED) for name, count in groups]


def held_back(groups: Mapping[Group, int], totals_of: Callable[[Group], Iterable[Hashable]]) -> set[Group]:
    """The groups whose rows are not shown: those under SMALLEST_GROUP, then, within each total a report
    shows (``totals_of`` a group names the totals it counts towards), the smallest others until the rows
    held back there are none or at least SMALLEST_GROUP."""
    hidden = {group for group, count in groups.items() if count < SMALLEST_GROUP}
    members: dict[Hashable, list[Group]] = {}
    for group in groups:
        for name in totals_of(group):
            members.setdefault(name, []).append(group)
    changed = True
    while changed:
        changed = False
        for member_groups in members.values():
            if 0 < _count(groups, member_groups, hidden) < SMALLEST_GROUP:
                shown = sorted(
                    (group for group in member_groups if group not in hidden), key=lambda g: (groups[g], repr(g))
                )
                if shown:
                    hidden.add(shown[0])
                    changed = True
    return hidden


def _count(groups: Mapping[Group, int], total: Collection[Group], hidden: set[Group]) -> int:
    return sum(groups[group] for group in total if group in hidden)
