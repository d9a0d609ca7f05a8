"""Who may do what: one table, one check, one decorator.

Every view is tagged with the action it needs (``@requires``), so a test walking the
URL map fails on any route that has no rule. Templates ask ``can(...)``, never role names.
"""

from collections.abc import Callable
from datetime import date
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
    VIEW_AUDITS = "view_audits"
    START_AUDIT = "start_audit"
    VIEW_AUDIT = "view_audit"
    COMMENT_ON_AUDIT = "comment_on_audit"
    ACKNOWLEDGE_ALERT = "acknowledge_alert"
    EDIT_AUDIT = "edit_audit"
    MODERATE_AUDIT = "moderate_audit"
    RAISE_ACTION = "raise_action"
    UPDATE_ACTION = "update_action"
    TRACK_ACTIONS = "track_actions"
    VIEW_PROGRAMME = "view_programme"
    MANAGE_PROGRAMME = "manage_programme"
    VIEW_ASSIGNED_WORK = "view_assigned_work"
    RECORD_WORK = "record_work"
    START_ALLOCATED_AUDIT = "start_allocated_audit"
    SETTLE_PEER_REVIEW = "settle_peer_review"
    RUN_GROUP_MODERATION = "run_group_moderation"
    RECORD_GROUP_MODERATION = "record_group_moderation"
    INVITE_FAMILIES = "invite_families"
    CANCEL_INVITATION = "cancel_invitation"
    MANAGE_TEAM_INVITATIONS = "manage_team_invitations"
    MANAGE_ROUNDS = "manage_rounds"
    MANAGE_PARTNER_CONTACTS = "manage_partner_contacts"
    CLOSE_ROUND = "close_round"
    DELETE_ROUND = "delete_round"
    VIEW_DASHBOARD = "view_dashboard"
    EXPORT_REPORTS = "export_reports"
    VIEW_TEAM_SUMMARY = "view_team_summary"
    VOID_RESPONSES = "void_responses"
    VIEW_COMPLAINTS = "view_complaints"
    LOG_COMPLAINTS = "log_complaints"
    EDIT_FORMS = "edit_forms"
    PUBLISH_FORMS = "publish_forms"


# Families, partners and staff answering surveys never sign in.
ANONYMOUS_ACTIONS = frozenset({Action.GIVE_FEEDBACK, Action.READ_PUBLIC_INFORMATION, Action.SIGN_IN})

# Each role's actions build on the one before: practitioner, auditor (team manager),
# service manager, QA administrator.
_PRACTITIONER = frozenset(
    {
        Action.USE_OWN_ACCOUNT,
        Action.VIEW_AUDITS,
        Action.VIEW_AUDIT,
        Action.COMMENT_ON_AUDIT,
        Action.ACKNOWLEDGE_ALERT,
        Action.UPDATE_ACTION,
        Action.INVITE_FAMILIES,
        Action.CANCEL_INVITATION,
        Action.VIEW_ASSIGNED_WORK,
        Action.RECORD_WORK,
        Action.VIEW_COMPLAINTS,
        Action.LOG_COMPLAINTS,
    }
)
_AUDITOR = _PRACTITIONER | {
    Action.START_AUDIT,
    Action.EDIT_AUDIT,
    Action.RAISE_ACTION,
    Action.START_ALLOCATED_AUDIT,
    Action.VIEW_TEAM_SUMMARY,
    Action.MANAGE_TEAM_INVITATIONS,
}
_SERVICE_MANAGER = _AUDITOR | {
    Action.MODERATE_AUDIT,
    Action.VIEW_PROGRAMME,
    Action.SETTLE_PEER_REVIEW,
    Action.RUN_GROUP_MODERATION,
    Action.RECORD_GROUP_MODERATION,
}
_QA_ADMIN = _SERVICE_MANAGER | {
    Action.TRACK_ACTIONS,
    Action.MANAGE_PEOPLE,
    Action.MANAGE_ORGANISATION,
    Action.VIEW_AUDIT_LOG,
    Action.VIEW_OUTBOX,
    Action.MANAGE_ROUNDS,
    Action.MANAGE_PARTNER_CONTACTS,
    Action.CLOSE_ROUND,
    Action.DELETE_ROUND,
    Action.MANAGE_PROGRAMME,
    Action.VIEW_DASHBOARD,
    Action.EXPORT_REPORTS,
    Action.VOID_RESPONSES,
    # Drafts of forms and templates, and publishing them as a new version (qaf.editor).
    Action.EDIT_FORMS,
    Action.PUBLISH_FORMS,
}

# Role -> actions, in the style of GOV.UK Notify's permission mappings, kept out of the User model.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.PRACTITIONER: _PRACTITIONER,
    Role.AUDITOR: frozenset(_AUDITOR),
    Role.SERVICE_MANAGER: frozenset(_SERVICE_MANAGER),
    Role.QA_ADMIN: frozenset(_QA_ADMIN),
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
    if target is None:
        return True
    return TARGET_RULES.get(action, in_scope)(user, target)


def in_scope(user: Any, target: Any) -> bool:
    """Whether ``target`` (anything with a ``team``) is within the user's part of the organisation.

    QA administrators see everything, service managers their service, auditors their
    team, and practitioners only work about themselves.
    """
    role = Role(user.role)
    if role is Role.QA_ADMIN:
        return True
    if role is Role.PRACTITIONER:
        return bool(getattr(target, "practitioner_id", None) == user.id)
    team = getattr(target, "team", None)
    if role is Role.SERVICE_MANAGER:
        return team is not None and team.service_id == user.service_id
    return team is not None and team.id == user.team_id


def _sees_audit(user: Any, audit: Any) -> bool:
    if audit.is_draft:
        # A draft is its auditor's (and the QA team's) alone until it is submitted.
        return bool(audit.auditor_id == user.id or user.role == Role.QA_ADMIN)
    sees = user.id in (audit.auditor_id, audit.practitioner_id) or in_scope(user, audit) or _told_of(user, audit)
    return sees and not _blind_to(user, audit)


def _told_of(user: Any, audit: Any) -> bool:
    # Someone an alert about the audit was sent to (a line manager in another team) may read it.
    return any(recipient.user_id == user.id for alert in audit.alerts for recipient in alert.recipients)


def _comments_on_audit(user: Any, audit: Any) -> bool:
    # The practitioner whose work it is, and the auditor answering them, from the start of the audit
    # until it is moderated (seed 004, 4.1: a collaborative practice evaluation).
    return audit.moderated_at is None and user.id in (audit.practitioner_id, audit.auditor_id)


def _acknowledges_alert(user: Any, alert: Any) -> bool:
    # Only someone it was sent to, once.
    return any(recipient.user_id == user.id and recipient.acknowledged_at is None for recipient in alert.recipients)


def _blind_to(user: Any, audit: Any) -> bool:
    # Blind peer review: the second auditor may not open the first audit before submitting their own.
    from qaf.programme.blind import hidden_from

    return hidden_from(user, audit)


def _edits_audit(user: Any, audit: Any) -> bool:
    return bool(audit.is_draft and audit.auditor_id == user.id) and _audits_case(user, audit)


def _audits_case(user: Any, case: Any) -> bool:
    # ``case`` has a team and a case reference: an audit, or the one about to be started.
    return works_in(user, case.team) or _allocated(user, case) or _for_own_work(user, case)


def _for_own_work(user: Any, case: Any) -> bool:
    from qaf.audits.scope import for_work

    return for_work(user, case)


def _allocated(user: Any, case: Any) -> bool:
    from qaf.audits.scope import allocated

    return allocated(user, case.team.id, case.case_reference)


def _moderates_audit(user: Any, audit: Any) -> bool:
    # Nobody moderates their own audit, and an audit is moderated once.
    moderates = (
        not audit.is_draft and audit.moderated_at is None and audit.auditor_id != user.id and in_scope(user, audit)
    )
    return moderates and not _in_peer_review(audit) and getattr(audit, "group_moderation", None) is None


def _in_peer_review(audit: Any) -> bool:
    # An audit in a peer review is moderated by settling the review, with both audits side by side.
    from qaf.programme.blind import in_peer_review

    return in_peer_review(audit)


def _runs_group_moderation(user: Any, target: Any) -> bool:
    # ``target`` is a service, or a service's group moderation: the QA team, or that service's managers.
    # A group moderation's audit is open only to those the audit itself is (blind peer review).
    service_id = getattr(target, "service_id", getattr(target, "id", None))
    in_service = user.role == Role.QA_ADMIN or service_id == user.service_id
    audit = getattr(target, "audit", None)
    return in_service and (audit is None or _sees_audit(user, audit))


def _records_group_moderation(user: Any, moderation: Any) -> bool:
    # Once, and never by the audit's own auditor: nobody moderates their own audit.
    audit = moderation.audit
    return (
        _runs_group_moderation(user, moderation)
        and moderation.recorded_at is None
        and audit.moderated_at is None
        and audit.auditor_id != user.id
    )


def _records_work(user: Any, work: Any) -> bool:
    return user.role == Role.QA_ADMIN or any(person.id == user.id for person in work.assignees)


def _starts_allocated_audit(user: Any, allocation: Any) -> bool:
    return bool(allocation.auditor_id == user.id and allocation.cancelled_at is None)


def _settles_peer_review(user: Any, review: Any) -> bool:
    # Neither auditor settles their own peer review.
    first = review.first_audit
    return user.id not in (first.auditor_id, review.allocation.auditor_id) and in_scope(user, first)


def _updates_action(user: Any, action: Any) -> bool:
    # Its owner and the workers involved; then whoever could raise it: on the audit's case, or the QA team.
    if any(person.id == user.id for person in action.involves):
        return True
    if action.audit is not None:
        return can(user, Action.RAISE_ACTION, action.audit)
    return can(user, Action.MANAGE_PROGRAMME)


def _closes_round(_user: Any, feedback_round: Any) -> bool:
    # Closing early ends an open round today; one not open yet is changed or deleted instead.
    return bool(feedback_round.opens_on <= date.today() < feedback_round.closes_on)


def _deletes_round(_user: Any, feedback_round: Any) -> bool:
    # A round or wave with answers is closed, never deleted: its responses are tagged with it.
    from qaf.feedback.rounds import has_responses

    return not has_responses(feedback_round)


def works_in(user: Any, team: Any) -> bool:
    """Whether ``team`` is within the user's part of the organisation, for work done about it.

    Anywhere for a QA administrator, any team of their service for a service manager, and their
    own team for everyone else: what a team summary shows, and where audits are started and
    invitations made.
    """
    role = Role(user.role)
    if role is Role.QA_ADMIN:
        return True
    if role is Role.SERVICE_MANAGER:
        return bool(team.service_id == user.service_id)
    return bool(team.id == user.team_id)


def _logs_complaint(user: Any, target: Any) -> bool:
    # ``target`` is a complaint or compliment, or the team one is about to be logged for.
    return works_in(user, getattr(target, "team", target))


def _cancels_invitation(user: Any, invitation: Any) -> bool:
    # The worker who made it, or a manager of its team (team manager, service manager, the QA team).
    if not works_in(user, invitation.team):
        return False
    return bool(invitation.created_by_id == user.id) or can(user, Action.MANAGE_TEAM_INVITATIONS)


# How an action is checked against a particular target, where the team scope is not enough.
TARGET_RULES: dict[Action, Callable[[Any, Any], bool]] = {
    Action.VIEW_AUDIT: _sees_audit,
    Action.EDIT_AUDIT: _edits_audit,
    Action.COMMENT_ON_AUDIT: _comments_on_audit,
    Action.ACKNOWLEDGE_ALERT: _acknowledges_alert,
    Action.MODERATE_AUDIT: _moderates_audit,
    Action.RAISE_ACTION: _sees_audit,
    Action.UPDATE_ACTION: _updates_action,
    Action.RECORD_WORK: _records_work,
    Action.START_ALLOCATED_AUDIT: _starts_allocated_audit,
    Action.SETTLE_PEER_REVIEW: _settles_peer_review,
    Action.RUN_GROUP_MODERATION: _runs_group_moderation,
    Action.RECORD_GROUP_MODERATION: _records_group_moderation,
    Action.VIEW_TEAM_SUMMARY: works_in,
    Action.START_AUDIT: _audits_case,
    Action.INVITE_FAMILIES: works_in,
    Action.VIEW_COMPLAINTS: _logs_complaint,
    Action.LOG_COMPLAINTS: _logs_complaint,
    Action.CLOSE_ROUND: _closes_round,
    Action.DELETE_ROUND: _deletes_round,
    Action.CANCEL_INVITATION: _cancels_invitation,
}


def allowed_or_403(action: Action, target: Any) -> Any:
    """The target if the current user may do ``action`` to it; otherwise the request ends with 403."""
    if not can(current_user, action, target):
        abort(403)
    return target


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
