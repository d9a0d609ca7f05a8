"""Written reminders: before work is due and when it becomes overdue, each sent once.

``flask --app app qaf send-reminders`` runs this daily (cron or a systemd timer). It first tops up
the schedule's due work, then writes to each person once, listing everything they are reminded of:
scheduled work, allocated audits, and actions (to their owner and the workers involved). An action
is also written about when it is raised, in the transaction that raises it. Audits and due work
overdue by ESCALATE_AFTER_DAYS (5) are escalated to the assignee's line manager (Kent's online audit
guidance), once. A message sent is recorded, so running the command twice, or twice a day, sends
nothing twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import ActivityWork, Allocation, Audit, AuditAction, ReminderSent, User
from qaf.programme.schedule import make_all_due_work

# Work overdue for longer than this when reminders start (a new deployment) is not chased by email:
# it stands out on the schedule page instead.
OVERDUE_WINDOW_DAYS = 28


@dataclass(frozen=True)
class Reminder:
    subject: str
    subject_id: int
    kind: str
    user: User
    text: str


def _link(endpoint: str, **values: Any) -> str:
    return public_url(endpoint, **values)


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _days_before() -> int:
    """How many days before something is due its reminder is written (REMINDER_DAYS_BEFORE)."""
    return int(current_app.config["REMINDER_DAYS_BEFORE"])


def _kind(due: date, today: date) -> str | None:
    if due < today:
        return "overdue" if due >= today - timedelta(days=OVERDUE_WINDOW_DAYS) else None
    return "due_soon" if due <= today + timedelta(days=_days_before()) else None


def _open_work(earliest: date, latest: date) -> list[ActivityWork]:
    """Due work not done yet, due between the two dates."""
    query = (
        select(ActivityWork)
        .where(
            ActivityWork.completed_on.is_(None),
            ActivityWork.due_date >= earliest,
            ActivityWork.due_date <= latest,
        )
        .options(selectinload(ActivityWork.assignees), selectinload(ActivityWork.activity))
    )
    return list(db.session.scalars(query))


def _open_allocations(earliest: date, latest: date) -> list[Allocation]:
    """Allocated audits not submitted yet, due between the two dates."""
    query = (
        select(Allocation)
        .outerjoin(Audit, Allocation.audit_id == Audit.id)
        .where(
            Allocation.cancelled_at.is_(None),
            (Audit.id.is_(None)) | (Audit.status == "draft"),
            Allocation.due_date >= earliest,
            Allocation.due_date <= latest,
        )
        .options(selectinload(Allocation.auditor))
    )
    return list(db.session.scalars(query))


def _work_text(work: ActivityWork) -> str:
    where = f" ({work.team.name})" if work.team else ""
    return f"{work.activity.name}{where}, due {_day(work.due_date)}"


def _allocation_text(allocation: Allocation) -> str:
    what = "Peer review audit" if allocation.kind == "peer_review" else "Audit"
    return f"{what} of case {allocation.case_reference}, due {_day(allocation.due_date)}"


def _work_reminders(today: date) -> list[Reminder]:
    found = []
    for work in _open_work(today - timedelta(days=OVERDUE_WINDOW_DAYS), today + timedelta(days=_days_before())):
        kind = _kind(work.due_date, today)
        if kind is None:
            continue
        text = f"{_work_text(work)}: {_link('programme.work', work_id=work.id)}"
        found += [Reminder("work", work.id, kind, person, text) for person in work.assignees if person.active]
    return found


def _allocation_reminders(today: date) -> list[Reminder]:
    found = []
    for allocation in _open_allocations(
        today - timedelta(days=OVERDUE_WINDOW_DAYS), today + timedelta(days=_days_before())
    ):
        kind = _kind(allocation.due_date, today)
        if kind is None or not allocation.auditor.active:
            continue
        text = f"{_allocation_text(allocation)}: {_link('programme.assigned')}"
        found.append(Reminder("allocation", allocation.id, kind, allocation.auditor, text))
    return found


def _escalate_after() -> int:
    """How many days overdue an audit or due work is told to the assignee's line manager (ESCALATE_AFTER_DAYS)."""
    return int(current_app.config["ESCALATE_AFTER_DAYS"])


def _escalations(today: date) -> tuple[list[Reminder], list[str]]:
    """Work overdue by ESCALATE_AFTER_DAYS, for each assignee's line manager (named by activity or case
    reference, with whose it is); and what could not be escalated, for want of a line manager."""
    earliest, latest = today - timedelta(days=OVERDUE_WINDOW_DAYS), today - timedelta(days=_escalate_after())
    overdue = [
        ("allocation", allocation.id, [allocation.auditor], _allocation_text(allocation))
        for allocation in _open_allocations(earliest, latest)
    ] + [("work", work.id, list(work.assignees), _work_text(work)) for work in _open_work(earliest, latest)]
    found: dict[tuple[str, int, int], tuple[User, list[str], str]] = {}
    unmanaged = []
    for subject, subject_id, people, text in overdue:
        for person in people:
            manager = person.line_manager
            if manager is None or not manager.active:
                unmanaged.append(f"{person.name} ({text})")
                continue
            found.setdefault((subject, subject_id, manager.id), (manager, [], text))[1].append(person.name)
    reminders = [
        Reminder(subject, subject_id, "escalated", manager, f"{' and '.join(names)}: {text}")
        for (subject, subject_id, _manager_id), (manager, names, text) in found.items()
    ]
    return reminders, unmanaged


def _action_text(action: AuditAction, person: User) -> str:
    # Named by its number and where it came from, never by its free text (which may name a child).
    if action.audit is not None:
        source = f"raised from an audit in {action.audit.team.name}"
    else:
        source = f"raised from the thematic evaluation ‘{action.thematic.title if action.thematic else ''}’"
    role = "you own it" if person.id == action.owner_id else "you are one of the workers involved"
    return (
        f"Action {action.id}, {source} ({role}), due {_day(action.due_date)}: "
        f"{_link('audits.action', action_id=action.id)}"
    )


def _action_reminders(today: date) -> list[Reminder]:
    query = (
        select(AuditAction)
        .where(
            AuditAction.status != "done",
            AuditAction.due_date >= today - timedelta(days=OVERDUE_WINDOW_DAYS),
            AuditAction.due_date <= today + timedelta(days=_days_before()),
        )
        .options(selectinload(AuditAction.workers), selectinload(AuditAction.owner))
    )
    found = []
    for action in db.session.scalars(query):
        kind = _kind(action.due_date, today)
        if kind is not None:
            found += [
                Reminder("action", action.id, kind, person, _action_text(action, person))
                for person in action.involves
                if person.active
            ]
    return found


def _body(person: User, reminders: list[Reminder]) -> str:
    raised = [reminder.text for reminder in reminders if reminder.kind == "raised"]
    overdue = [reminder.text for reminder in reminders if reminder.kind == "overdue"]
    due_soon = [reminder.text for reminder in reminders if reminder.kind == "due_soon"]
    escalated = [reminder.text for reminder in reminders if reminder.kind == "escalated"]
    if overdue or due_soon:
        about = "This is a reminder about your quality assurance work."
    elif raised:
        about = "An action has been raised for you to work on."
    else:
        about = "Quality assurance work of someone you line manage is overdue."
    parts = [f"Dear {person.name},", "", about]
    if raised:
        parts += ["", "New actions:", *(f"- {text}" for text in raised)]
    if overdue:
        parts += ["", "Overdue:", *(f"- {text}" for text in overdue)]
    if due_soon:
        parts += ["", f"Due in the next {_days_before()} days:", *(f"- {text}" for text in due_soon)]
    if escalated:
        parts += [
            "",
            f"Overdue by {_escalate_after()} days or more, for people you line manage:",
            *(f"- {text}" for text in escalated),
        ]
    if any(reminder.subject == "action" for reminder in reminders):
        parts += ["", "Your actions are listed at " + _link("audits.my_actions")]
    parts += ["", "Everything assigned to you is listed at " + _link("programme.assigned")]
    return "\n".join(parts) + "\n"


def _subject(reminders: list[Reminder]) -> str:
    kinds = {reminder.kind for reminder in reminders}
    if "overdue" in kinds:
        return "QAF: quality assurance work overdue"
    if "due_soon" in kinds:
        return "QAF: quality assurance work due soon"
    if "raised" in kinds:
        return "QAF: a new action for you"
    return "QAF: overdue work of someone you line manage"


def _write(reminders: list[Reminder]) -> tuple[int, int]:
    """Write each person one message listing their reminders not written before; record them.

    Works in the caller's transaction. Returns how many reminders were written, to how many people.
    """
    keys = [(reminder.subject, reminder.subject_id, reminder.kind, reminder.user.id) for reminder in reminders]
    sent: set[tuple[str, int, str, int]] = set()
    if keys:
        columns = (ReminderSent.subject, ReminderSent.subject_id, ReminderSent.kind, ReminderSent.user_id)
        sent = set(db.session.execute(select(*columns).where(tuple_(*columns).in_(keys))))
    by_person: dict[int, list[Reminder]] = defaultdict(list)
    for reminder, key in zip(reminders, keys, strict=True):
        if key not in sent:
            by_person[reminder.user.id].append(reminder)
    for items in by_person.values():
        person = items[0].user
        message = send_email(person.email, _subject(items), _body(person, items))
        for item in items:
            db.session.add(
                ReminderSent(
                    subject=item.subject,
                    subject_id=item.subject_id,
                    kind=item.kind,
                    user_id=person.id,
                    outbox_message_id=message.id,
                )
            )
    return sum(len(items) for items in by_person.values()), len(by_person)


def tell_about_new_action(action: AuditAction) -> None:
    """Tell an action's owner and the workers involved, in writing, that it has been raised (once)."""
    people = [person for person in action.involves if person.active]
    _write([Reminder("action", action.id, "raised", person, _action_text(action, person)) for person in people])


def send_reminders(today: date) -> str:
    """Top up the due work, then remind each person of work and actions due soon or newly overdue, and
    line managers of work long overdue, once."""

    def work() -> str:
        made = make_all_due_work(today)
        escalations, unmanaged = _escalations(today)
        count, people = _write(
            _work_reminders(today) + _allocation_reminders(today) + _action_reminders(today) + escalations
        )
        said = f"{made} piece(s) of due work added; {count} reminder(s) sent to {people} person(s)"
        if unmanaged:
            said += "\nNot escalated, as no line manager is recorded: " + "; ".join(unmanaged)
        return said

    return run_write_transaction(work)
