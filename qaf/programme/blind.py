"""What blind peer review hides, asked by the policy (qaf/policy.py) about an audit.

The second auditor must not see the first audit, or its grade, until they have submitted
their own; and an audit in a peer review is moderated only by settling the peer review,
where both are shown side by side.
"""

from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from qaf.extensions import db
from qaf.models import Allocation, Audit, PeerReview

REVIEWER_ROLES = ("auditor", "service_manager")


def hidden_from(user: Any, audit: Any) -> bool:
    """Whether ``user`` is the second auditor of a peer review of ``audit`` and has not submitted yet."""
    if user.role not in REVIEWER_ROLES or audit.is_draft:
        return False
    second = aliased(Audit)
    query = (
        select(PeerReview.id)
        .join(Allocation, PeerReview.allocation_id == Allocation.id)
        .outerjoin(second, Allocation.audit_id == second.id)
        .where(
            PeerReview.first_audit_id == audit.id,
            Allocation.auditor_id == user.id,
            Allocation.cancelled_at.is_(None),
            or_(second.id.is_(None), second.status != "submitted"),
        )
    )
    return bool(db.session.scalar(select(exists(query))))


def audits_hidden_from(user: Any) -> set[int]:
    """The audits ``user`` may not see yet: those they are the second auditor of, still to submit.

    Every report a second auditor can open (a team summary) leaves these out of its figures.
    """
    if user.role not in REVIEWER_ROLES:
        return set()
    second = aliased(Audit)
    query = (
        select(PeerReview.first_audit_id)
        .join(Allocation, PeerReview.allocation_id == Allocation.id)
        .outerjoin(second, Allocation.audit_id == second.id)
        .where(
            Allocation.auditor_id == user.id,
            Allocation.cancelled_at.is_(None),
            or_(second.id.is_(None), second.status != "submitted"),
        )
    )
    return set(db.session.scalars(query))


def in_peer_review(audit: Any) -> bool:
    """Whether ``audit`` is either audit of a peer review that is still going on (not settled, not cancelled)."""
    reviews = (
        select(PeerReview.id)
        .join(Allocation, PeerReview.allocation_id == Allocation.id)
        .where(
            or_(PeerReview.first_audit_id == audit.id, Allocation.audit_id == audit.id),
            PeerReview.settled_at.is_(None),
            Allocation.cancelled_at.is_(None),
        )
    )
    return bool(db.session.scalar(select(exists(reviews))))
