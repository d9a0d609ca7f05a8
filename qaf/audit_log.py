"""The audit log: who did what, when and from where."""

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from qaf.extensions import db
from qaf.models import AuditEvent

EVENTS = {
    "signed_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "signed_out": "Signed out",
    "session_expired": "Session expired",
    "password_changed": "Password changed",
    "password_reset_requested": "Password reset requested",
    "sign_in_link_requested": "Sign-in link requested",
    "password_set": "Password set from a link",
    "user_created": "Person added",
    "user_changed": "Person changed",
    "user_deactivated": "Person deactivated",
    "user_reactivated": "Person reactivated",
    "set_password_link_sent": "Set-password link sent",
    "sign_in_details_sent": "Told to sign in with the council account",
    "service_created": "Service added",
    "service_changed": "Service changed",
    "team_created": "Team added",
    "team_changed": "Team changed",
    "export": "Export",
    "cases_imported": "Cases imported",
    "case_headings_changed": "Case list headings changed",
    "post_closure_changed": "Post-closure feedback changed",
    "left_out_cases_closed": "Cases a case list left out closed",
    "staff_imported": "Staff imported from a file",
    "activity_added": "QA activity added",
    "activity_changed": "QA activity changed",
    "sample_drawn": "Sample drawn",
    "cases_allocated": "Cases allocated",
    "allocation_changed": "Allocation changed",
    "peer_reviews_drawn": "Audits drawn for peer review",
    "peer_review_settled": "Peer review settled",
    "group_moderation_chosen": "Evaluation chosen for group moderation",
    "group_moderation_recorded": "Group moderation recorded",
    "thematic_added": "Thematic evaluation added",
    "thematic_changed": "Thematic evaluation changed",
    "round_added": "Round or wave opened",
    "round_changed": "Round or wave changed",
    "round_closed": "Round or wave closed early",
    "round_deleted": "Round or wave deleted",
    "round_emailed": "Round link emailed to partner contacts",
    "wave_emailed": "Wave link emailed to staff",
    "partner_contact_added": "Partner contact added",
    "partner_contact_changed": "Partner contact changed",
    "partner_contact_removed": "Partner contact removed",
    "partner_contacts_imported": "Partner contacts imported",
    "responses_voided": "Responses voided",
    "void_undone": "Void undone",
    "complaint_logged": "Complaint or compliment logged",
    "complaint_changed": "Complaint or compliment changed",
    "form_published": "Form published",
}


def record_event(event: str, description: str = "", *, actor: Any = None, actor_email: str = "") -> None:
    """Add an event to the caller's transaction; the actor defaults to whoever is signed in."""
    assert event in EVENTS, event
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    db.session.add(
        AuditEvent(
            event=event,
            description=description[:500],
            actor_id=actor.id if actor is not None else None,
            actor_email=actor.email if actor is not None else actor_email[:254],
            ip_address=(request.remote_addr or "")[:45] if has_request_context() else "cli",
        )
    )
