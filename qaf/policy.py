"""Who may do what: one table, one check, one decorator.

Every view is tagged with the action it needs (``@requires``), so a test walking the
URL map fails on any route that has no rule.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort

F = TypeVar("F", bound=Callable[..., Any])


class Action(StrEnum):
    GIVE_FEEDBACK = "give_feedback"
    READ_PUBLIC_INFORMATION = "read_public_information"


# Families, partners and staff answering surveys never sign in.
ANONYMOUS_ACTIONS = frozenset({Action.GIVE_FEEDBACK, Action.READ_PUBLIC_INFORMATION})

# Role -> actions, in the style of GOV.UK Notify's permission mappings. Staff roles
# and their actions arrive with staff accounts.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {}


def can(user: Any, action: Action, target: Any = None) -> bool:
    """Whether ``user`` (None when nobody is signed in) may do ``action`` to ``target``."""
    if action in ANONYMOUS_ACTIONS:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return action in ROLE_ACTIONS.get(getattr(user, "role", ""), frozenset())


def requires(action: Action) -> Callable[[F], F]:
    """Refuse the view unless the current user may do ``action``; tag it for the route audit."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if not can(None, action):
                abort(403)
            return view(*args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate
