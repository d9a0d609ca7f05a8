"""The staff navigation, built from what the signed-in person may do."""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import request, url_for
from flask_login import current_user

from qaf.policy import ROLE_LABELS, Action, Role, can

UK = ZoneInfo("Europe/London")

_PAGES = (
    (Action.VIEW_AUDITS, "audits.audits", "Audits"),
    (Action.VIEW_AUDITS, "audits.my_actions", "Your actions"),
    (Action.TRACK_ACTIONS, "audits.tracker", "Action tracker"),
    (Action.VIEW_ASSIGNED_WORK, "programme.assigned", "Assigned to you"),
    (Action.VIEW_PROGRAMME, "programme.schedule", "QA programme"),
    (Action.INVITE_FAMILIES, "feedback.invitations", "Invitations"),
    (Action.MANAGE_ROUNDS, "feedback.rounds", "Rounds and waves"),
    (Action.MANAGE_PARTNER_CONTACTS, "feedback.partner_contacts", "Partner contacts"),
    (Action.VIEW_COMPLAINTS, "complaints.complaints", "Complaints and compliments"),
    (Action.VIEW_DASHBOARD, "reports.dashboard", "Reports"),
    (Action.VIEW_TEAM_SUMMARY, "reports.team_summaries", "Team summaries"),
    (Action.MANAGE_PEOPLE, "admin.people", "People"),
    (Action.MANAGE_ORGANISATION, "admin.organisation", "Services and teams"),
    (Action.EDIT_FORMS, "editor.forms", "Forms"),
    (Action.VIEW_AUDIT_LOG, "admin.audit_log", "Audit log"),
    (Action.VIEW_OUTBOX, "admin.outbox", "Outbox"),
    (Action.VOID_RESPONSES, "admin.voids", "Voided responses"),
)


def staff_navigation() -> list[dict[str, object]]:
    items: list[dict[str, object]] = [
        {"href": url_for("auth.home"), "text": "Your work", "current": request.endpoint == "auth.home"}
    ]
    pages = [(url_for(endpoint), text) for action, endpoint, text in _PAGES if can(current_user, action)]
    # The page a visitor is in is the one whose address is the longest start of theirs.
    matching = [href for href, _text in pages if request.path == href or request.path.startswith(href + "/")]
    current = max(matching, key=len, default=None)
    items += [{"href": href, "text": text, "active": href == current} for href, text in pages]
    return items


def template_can(user: Any, action: str, target: Any = None) -> bool:
    """``can`` for templates, which name actions as text."""
    return can(user, Action(action), target)


def role_label(role: str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return role


def uk_time(moment: datetime | None) -> str:
    """A stored UTC time as people in England read it: 23 November 2026, 1:57pm."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(UK)
    return f"{local.day} {local:%B %Y}, {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
