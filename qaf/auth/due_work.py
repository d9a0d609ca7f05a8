"""What is due from one person, for the staff home page: audits to finish, cases allocated to them,
actions they own, audits waiting for their moderation, their service's group moderation (a service
manager's) and the QA programme's work assigned to them.

Each section is read with a query or two (the rows' teams and activities loaded with them), every
row is one the policy lets the person do, and each section lists overdue work first, then by due date.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from qaf.audits.moderation import moderation_queue
from qaf.extensions import db
from qaf.forms_registry import template_title
from qaf.models import ActivityWork, Allocation, Audit, AuditAction, User
from qaf.models.programme import work_assignee
from qaf.policy import Action, can

# Each section shows this many rows; its count, and the page it links to, have them all.
SHOWN = 25


@dataclass(frozen=True)
class DueItem:
    title: str
    href: str
    due: date | None
    overdue: bool
    detail: str = ""
    # An allocation not started yet: its Start button posts here rather than linking.
    start_allocation_id: int | None = None


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    items: list[DueItem]
    everything_href: str
    everything_text: str

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def shown(self) -> list[DueItem]:
        return self.items[:SHOWN]


def _in_order(items: Iterable[DueItem]) -> list[DueItem]:
    """Overdue first, then by due date; anything without a due date last, in the order given."""
    return sorted(items, key=lambda item: (not item.overdue, item.due is None, item.due or date.max))


def _drafts(user: User, today: date) -> list[DueItem]:
    rows = db.session.execute(
        select(Audit, Allocation.due_date)
        .outerjoin(Allocation, Allocation.audit_id == Audit.id)
        .where(Audit.auditor_id == user.id, Audit.status == "draft")
        .options(selectinload(Audit.team))
        .order_by(Audit.updated_at)
    ).all()
    return [
        DueItem(
            title=audit.about[0].upper() + audit.about[1:],
            href=url_for("audits.edit_audit", audit_id=audit.id),
            due=due,
            overdue=due is not None and due < today,
            detail=f"{template_title(audit.form_key)}, {audit.team.name}",
        )
        for audit, due in rows
        if can(user, Action.EDIT_AUDIT, audit)
    ]


def _allocations(user: User, today: date) -> list[DueItem]:
    """Allocations not started yet; once started, the audit is a draft to finish."""
    allocations = db.session.scalars(
        select(Allocation)
        .where(Allocation.auditor_id == user.id, Allocation.cancelled_at.is_(None), Allocation.audit_id.is_(None))
        .options(selectinload(Allocation.team))
        .order_by(Allocation.id)
    )
    return [
        DueItem(
            title=f"Case {allocation.case_reference}",
            href=url_for("programme.assigned"),
            due=allocation.due_date,
            overdue=allocation.due_date < today,
            detail=template_title(allocation.form_key)
            + (" (blind peer review)" if allocation.kind == "peer_review" else "")
            + f", {allocation.team.name}",
            start_allocation_id=allocation.id,
        )
        for allocation in allocations
        if can(user, Action.START_ALLOCATED_AUDIT, allocation)
    ]


def _actions(user: User, today: date) -> list[DueItem]:
    actions = db.session.scalars(
        select(AuditAction)
        .where(
            or_(AuditAction.owner_id == user.id, AuditAction.workers.any(User.id == user.id)),
            AuditAction.status != "done",
        )
        .options(
            selectinload(AuditAction.audit).selectinload(Audit.practitioner),
            selectinload(AuditAction.audit).selectinload(Audit.team),
            selectinload(AuditAction.thematic),
            selectinload(AuditAction.owner),
            selectinload(AuditAction.workers),
        )
    )
    return [
        DueItem(
            title=action.action if len(action.action) <= 120 else action.action[:119] + "…",
            href=url_for("audits.action", action_id=action.id),
            due=action.due_date,
            overdue=action.is_overdue(today),
            detail=f"{action.status_label}, " + _raised_from(action),
        )
        for action in actions
        if can(user, Action.UPDATE_ACTION, action)
    ]


def _raised_from(action: AuditAction) -> str:
    if action.audit is not None:
        return f"from the audit of {action.audit.about}"
    return f"from the thematic evaluation {action.thematic.title}" if action.thematic else "raised by the QA team"


def _moderation(user: User) -> list[DueItem]:
    return [
        DueItem(
            title=audit.about[0].upper() + audit.about[1:],
            href=url_for("audits.moderate", audit_id=audit.id),
            due=None,
            overdue=False,
            detail=f"{template_title(audit.form_key)}, {audit.team.name}, by {audit.auditor.name}",
        )
        for audit in moderation_queue(user)
    ]


def _group_moderation(user: User, today: date) -> list[DueItem]:
    # Imported here: the programme's package loads its views, which load the audits' and so this module.
    from qaf.programme.group_moderation import month_name, waiting_for

    return [
        DueItem(
            title=f"Group moderation for {moderation.service.name}, {month_name(moderation.month)}",
            href=url_for("programme.group_moderation", moderation_id=moderation.id),
            due=moderation.due_date,
            overdue=moderation.is_overdue(today),
            detail=f"{template_title(moderation.form_key)}, audit {moderation.audit.id}",
        )
        for moderation in waiting_for(user)
    ]


def _programme_work(user: User, today: date) -> list[DueItem]:
    work = db.session.scalars(
        select(ActivityWork)
        .join(work_assignee, work_assignee.c.work_id == ActivityWork.id)
        .where(
            work_assignee.c.user_id == user.id,
            ActivityWork.completed_on.is_(None),
            ActivityWork.period_start <= today,
        )
        .options(
            selectinload(ActivityWork.activity), selectinload(ActivityWork.team), selectinload(ActivityWork.assignees)
        )
    )
    return [
        DueItem(
            title=item.activity.name,
            href=url_for("programme.work", work_id=item.id),
            due=item.due_date,
            overdue=item.is_overdue(today),
            detail=item.team.name if item.team else "",
        )
        for item in work
        if can(user, Action.RECORD_WORK, item)
    ]


def due_sections(user: User, today: date) -> list[Section]:
    """The home page's sections for ``user``: only those their role has work of."""
    sections = []
    if can(user, Action.EDIT_AUDIT):
        sections.append(
            Section(
                "audits",
                "Audits to finish",
                _in_order(_drafts(user, today)),
                url_for("audits.audits"),
                "All your audits",
            )
        )
    if can(user, Action.START_ALLOCATED_AUDIT):
        sections.append(
            Section(
                "allocations",
                "Cases allocated to you to audit",
                _in_order(_allocations(user, today)),
                url_for("programme.assigned"),
                "Everything assigned to you",
            )
        )
    sections.append(
        Section(
            "actions",
            "Your actions",
            _in_order(_actions(user, today)),
            url_for("audits.my_actions"),
            "All your actions",
        )
    )
    if can(user, Action.MODERATE_AUDIT):
        sections.append(
            Section(
                "moderation",
                "Waiting for your moderation",
                _in_order(_moderation(user)),
                url_for("audits.audits"),
                "Your audits and moderation queue",
            )
        )
    if can(user, Action.RECORD_GROUP_MODERATION) and user.service_id is not None:
        sections.append(
            Section(
                "group-moderation",
                "Group moderation",
                _in_order(_group_moderation(user, today)),
                url_for("programme.group_moderations"),
                "All group moderation",
            )
        )
    sections.append(
        Section(
            "programme-work",
            "QA programme work assigned to you",
            _in_order(_programme_work(user, today)),
            url_for("programme.assigned"),
            "Everything assigned to you",
        )
    )
    return sections
