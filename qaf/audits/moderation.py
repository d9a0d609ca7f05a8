"""The moderation queue: submitted audits waiting for one person's moderation, oldest first.

/audits and the staff home page both list it; the policy decides each audit.
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qaf.extensions import db
from qaf.models import Audit, Team, User
from qaf.policy import Action, Role, can


def moderation_queue(user: User) -> list[Audit]:
    if not can(user, Action.MODERATE_AUDIT):
        return []
    query = (
        select(Audit)
        .where(Audit.status == "submitted", Audit.moderated_at.is_(None))
        .options(selectinload(Audit.team), selectinload(Audit.auditor))
        .order_by(Audit.submitted_at)
    )
    if user.role == Role.SERVICE_MANAGER:
        query = query.join(Team).where(Team.service_id == user.service_id)
    return [audit for audit in db.session.scalars(query) if can(user, Action.MODERATE_AUDIT, audit)]
