"""Written reminders: before work is due and when it becomes overdue, each sent once.

``flask --app app qaf send-reminders`` runs this daily (cron or a systemd timer). It first tops up
the schedule's due work, then writes to each person once, listing everything they are reminded of.
A reminder sent is recorded, so running it twice, or twice a day, sends nothing twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.links import public_url
from qaf.mail import send_email
from qaf.models import ActivityWork, Allocation, Audit, ReminderSent, User
from qaf.programme.schedule import make_all_due_work

DAYS_BEFORE = 7
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


def _kind(due: date, today: date) -> str | None:
    if due < today:
        return "overdue" if due >= today - timedelta(days=OVERDUE_WINDOW_DAYS) else None
    return "due_soon" if due <= today + timedelta(days=DAYS_BEFORE) else None


def _work_reminders(today: date) -> list[Reminder]:
    query = (
        select(ActivityWork)
        .where(
            ActivityWork.completed_on.is_(None),
            ActivityWork.due_date >= today - timedelta(days=OVERDUE_WINDOW_DAYS),
            ActivityWork.due_date <= today + timedelta(days=DAYS_BEFORE),
        )
        .options(selectinload(ActivityWork.assignees), selectinload(ActivityWork.activity))
    )
    found = []
    for work in db.session.scalars(query):
        kind = _kind(work.due_date, today)
        if kind is None:
            continue
        where = f" ({work.team.name})" if work.team else ""
        text = f"{work.activity.name}{where}, due {_day(work.due_date)}: {_link('programme.work', work_id=work.id)}"
        found += [Reminder("work", work.id, kind, person, text) for person in work.assignees if person.active]
    return found


def _allocation_reminders(today: date) -> list[Reminder]:
    query = (
        select(Allocation)
        .outerjoin(Audit, Allocation.audit_id == Audit.id)
        .where(
            Allocation.cancelled_at.is_(None),
            (Audit.id.is_(None)) | (Audit.status == "draft"),
            Allocation.due_date >= today - timedelta(days=OVERDUE_WINDOW_DAYS),
            Allocation.due_date <= today + timedelta(days=DAYS_BEFORE),
        )
        .options(selectinload(Allocation.auditor))
    )
    found = []
    for allocation in db.session.scalars(query):
        kind = _kind(allocation.due_date, today)
        if kind is None or not allocation.auditor.active:
            continue
        what = "Peer review audit" if allocation.kind == "peer_review" else "Audit"
        text = (
            f"{what} of case {allocation.case_reference}, due {_day(allocation.due_date)}: "
            f"{_link('programme.assigned')}"
        )
        found.append(Reminder("allocation", allocation.id, kind, allocation.auditor, text))
    return found


def _body(person: User, reminders: list[Reminder]) -> str:
    overdue = [reminder.text for reminder in reminders if reminder.kind == "overdue"]
    due_soon = [reminder.text for reminder in reminders if reminder.kind == "due_soon"]
    parts = [f"Dear {person.name},", "", "This is a reminder about your quality assurance work."]
    if overdue:
        parts += ["", "Overdue:", *(f"- {text}" for text in overdue)]
    if due_soon:
        parts += ["", f"Due in the next {DAYS_BEFORE} days:", *(f"- {text}" for text in due_soon)]
    parts += ["", "Everything assigned to you is listed at " + _link("programme.assigned")]
    return "\n".join(parts) + "\n"


def send_reminders(today: date) -> str:
    """Top up the due work, then remind each assignee of work due soon or newly overdue, once."""

    def work() -> str:
        made = make_all_due_work(today)
        reminders = _work_reminders(today) + _allocation_reminders(today)
        keys = [(reminder.subject, reminder.subject_id, reminder.kind, reminder.user.id) for reminder in reminders]
        sent: set[tuple[str, int, str, int]] = set()
        if keys:
            sent = set(
                db.session.execute(
                    select(
                        ReminderSent.subject, ReminderSent.subject_id, ReminderSent.kind, ReminderSent.user_id
                    ).where(
                        tuple_(
                            ReminderSent.subject, ReminderSent.subject_id, ReminderSent.kind, ReminderSent.user_id
                        ).in_(keys)
                    )
                )
            )
        by_person: dict[int, list[Reminder]] = defaultdict(list)
        for reminder, key in zip(reminders, keys, strict=True):
            if key not in sent:
                by_person[reminder.user.id].append(reminder)
        for items in by_person.values():
            person = items[0].user
            overdue = sum(1 for item in items if item.kind == "overdue")
            subject = "QAF: quality assurance work " + ("overdue" if overdue else "due soon")
            message = send_email(person.email, subject, _body(person, items))
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
        count = sum(len(items) for items in by_person.values())
        return f"{made} piece(s) of due work added; {count} reminder(s) sent to {len(by_person)} person(s)"

    return run_write_transaction(work)
