"""Who may do what: one table, one check, one decorator.

Every view is tagged with the action it needs (``@requires``), so a test walking the
URL map fails on any route that has no rule. Templates ask ``can(...)``, never role names.
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    AUDITOR = "auditor"
    SERVICE_MANAGER = "service_manager"
    QA_ADMIN = "qa_admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PRACTITIONER: "Practitioner",
    Role.AUDITOR: "Auditor (team manager)",
    Role.SERVICE_MANAGER: "Service manager",
    Role.QA_ADMIN: "QA administrator",
}


class Action(StrEnum):
    GIVE_FEEDBACK = "give_feedback"
    READ_PUBLIC_INFORMATION = "read_public_information"
    SIGN_IN = "sign_in"
    USE_OWN_ACCOUNT = "use_own_account"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_ORGANISATION = "manage_organisation"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_OUTBOX = "view_outbox"


# Families, partners and staff answering surveys never sign in.
ANONYMOUS_ACTIONS = frozenset({Action.GIVE_FEEDBACK, Action.READ_PUBLIC_INFORMATION, Action.SIGN_IN})

_EVERY_STAFF_ROLE = frozenset({Action.USE_OWN_ACCOUNT})

# Role -> actions, in the style of GOV.UK Notify's permission mappings, kept out of the User model.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.PRACTITIONER: _EVERY_STAFF_ROLE,
    Role.AUDITOR: _EVERY_STAFF_ROLE,
    Role.SERVICE_MANAGER: _EVERY_STAFF_ROLE,
    Role.QA_ADMIN: _EVERY_STAFF_ROLE
    | {Action.MANAGE_PEOPLE, Action.MANAGE_ORGANISATION, Action.VIEW_AUDIT_LOG, Action.VIEW_OUTBOX},
}


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def can(user: Any, action: Action, target: Any = None) -> bool:
    """Whether ``user`` (None or anonymous when nobody is signed in) may do ``action`` to ``target``.

    Targets that belong to a team are checked for scope as well as the role allowing the action.
    """
    if action in ANONYMOUS_ACTIONS:
        return True
    if not _signed_in(user):
        return False
    try:
        role = Role(user.role)
    except ValueError:
        return False
    if action not in ROLE_ACTIONS[role]:
        return False
    return target is None or in_scope(user, target)


def in_scope(user: Any, target: Any) -> bool:
    """Whether ``target`` (anything with a ``team_id``) is within the user's part of the organisation."""
    role = Role(user.role)
    if role is Role.QA_ADMIN:
        return True
    team = getattr(target, "team", None)
    if role is Role.SERVICE_MANAGER:
        return team is not None and team.service_id == user.service_id
    return bool(getattr(target, "team_id", None) == user.team_id)


def requires(action: Action) -> Callable[[F], F]:
    """Anonymous users go to sign in; signed-in users without the right get 403. Tags the view."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if action not in ANONYMOUS_ACTIONS and not _signed_in(current_user):
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate
