"""A round's or wave's link emailed to the people who should answer it, with one reminder before it closes.

Everyone gets the round's own link, the same for all, so answers stay anonymous: nothing ties a
response to whoever was emailed. Partner contacts are emailed once a round each (``RoundEmail``
records who, keyed on the round and the contact, so sending again sends nothing); staff addresses
pasted or uploaded for a wave are used for its two messages and forgotten once each is sent: only
how many were emailed is kept. A message waiting for its day is sent only while the round is
open, and withdrawn when it is closed early or deleted (qaf.mail.withdraw_round_messages).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec, Option
from qaf.links import public_url
from qaf.mail import LINK_MARK, NOT_SENT, send_email, withdraw_round_messages
from qaf.models import FeedbackRound, OutboxMessage, PartnerContact, Response, RoundEmail, utc_now
from qaf.suppression import SUPPRESSED, held_back

# The form whose agency-type question the contacts' agency types are the options of.
PARTNER_FORM = "partner"
# The reminder goes this many days before the round closes, or halfway through a shorter round.
REMINDER_DAYS_BEFORE_CLOSING = 7
# Messages for a round that opens later wait for this time (UTC) on its first day.
SEND_AT = time(8, 0)
REMINDER = "Reminder: "


def agency_types() -> tuple[Option, ...]:
    """The partner form's agency-type options: a contact's agency type is one of them, as answers are."""
    spec = all_forms().get(PARTNER_FORM)
    if spec is None or not spec.respondent_question:
        return ()
    return spec.question(spec.respondent_question).options


def agency_label(value: str) -> str:
    return next((option.label for option in agency_types() if option.value == value), value or "Not given")


def round_link(feedback_round: FeedbackRound) -> str:
    return public_url("public.round_form", form_key=feedback_round.form_key, round_id=feedback_round.id)


def reminder_day(first: date, closes_on: date) -> date | None:
    """The day of the one reminder: a week before closing, halfway through a shorter round; None if no room."""
    days = (closes_on - first).days
    day = closes_on - timedelta(days=REMINDER_DAYS_BEFORE_CLOSING) if days >= 2 * REMINDER_DAYS_BEFORE_CLOSING else None
    if day is None:
        day = first + timedelta(days=days // 2)
    return day if day > first else None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _body(spec: FormSpec | None, found: FeedbackRound, *, reminder: bool, staff: bool) -> str:
    title = spec.title if spec else found.name
    asked = "We are asking our staff" if staff else "We ask the organisations we work with"
    opening = (
        f"A few days ago we asked for your feedback: {title}. If you have not answered yet, there is still time."
        if reminder
        else f"{asked} for feedback: {title}."
    )
    minutes = f"It takes about {spec.minutes} minutes. " if spec and spec.minutes else ""
    return (
        f"{opening}\n\n{minutes}Your answers are anonymous: everyone we ask gets this same link, so nobody can "
        f"tell who answered.\n\nOpen this link to answer:\n{LINK_MARK}\n\n{found.name} closes at the end of "
        f"{_day(found.closes_on)}.\n\n{current_app.config['COUNCIL_NAME']}"
    )


def _send_times(found: FeedbackRound, today: date) -> list[tuple[bool, datetime | None]]:
    """(reminder, send_after) for the link now (or on the day the round opens) and its one reminder."""
    first = max(today, found.opens_on)
    when: list[tuple[bool, datetime | None]] = [(False, None if first == today else datetime.combine(first, SEND_AT))]
    day = reminder_day(first, found.closes_on)
    if day is not None:
        when.append((True, datetime.combine(day, SEND_AT)))
    return when


def _send_round_link(found: FeedbackRound, address: str, today: date, *, staff: bool) -> None:
    spec = all_forms().get(found.form_key)
    subject = spec.title if spec else found.name
    for reminder, send_after in _send_times(found, today):
        send_email(
            address,
            f"{REMINDER if reminder else ''}{subject}",
            _body(spec, found, reminder=reminder, staff=staff),
            link=round_link(found),
            send_after=send_after,
            feedback_round=found,
            forget_recipient=staff,
        )


def reschedule_round_messages(found: FeedbackRound, today: date) -> None:
    """In the caller's transaction (changing the round's dates): its waiting messages move to the new days.

    A link waiting for the opening day waits for the new one (or goes at the next hourly run if the
    round is now open); a reminder moves to a week before the new closing date, or is withdrawn
    when the round is now too short for one.
    """
    times = dict(_send_times(found, today))
    waiting = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.round_id == found.id,
            OutboxMessage.send_after.is_not(None),
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.error == "",
        )
    )
    for message in waiting:
        if not message.subject.startswith(REMINDER):
            message.send_after = times[False] or utc_now()
        elif times.get(True) is not None:
            message.send_after = times[True]
        else:
            message.error = f"{NOT_SENT}the round became too short for a reminder"
            if message.forget_recipient:
                message.recipient = ""


def contacts_not_emailed(round_id: int) -> list[PartnerContact]:
    """The partner contacts the round's link has not been emailed to, by agency type and organisation."""
    emailed = select(RoundEmail.contact_id).where(RoundEmail.round_id == round_id, RoundEmail.contact_id.is_not(None))
    query = select(PartnerContact).where(PartnerContact.id.not_in(emailed))
    return list(db.session.scalars(query.order_by(PartnerContact.agency_type, PartnerContact.organisation)))


def all_contacts() -> list[PartnerContact]:
    return list(
        db.session.scalars(select(PartnerContact).order_by(PartnerContact.agency_type, PartnerContact.organisation))
    )


def emailed_count(round_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RoundEmail).where(RoundEmail.round_id == round_id)) or 0


def email_partners(round_id: int, contact_ids: Iterable[int], today: date) -> int:
    """Email the round's link, with its reminder, to those of the contacts not emailed it yet; answers how many."""
    wanted = set(contact_ids)

    def work() -> int:
        found = db.session.get(FeedbackRound, round_id)
        if found is None or found.closes_on < today:
            return 0
        chosen = [contact for contact in contacts_not_emailed(round_id) if contact.id in wanted]
        for contact in chosen:
            db.session.add(RoundEmail(round_id=round_id, contact_id=contact.id, agency_type=contact.agency_type))
            _send_round_link(found, contact.email, today, staff=False)
        if chosen:
            record_event("round_emailed", f"round {round_id}: {len(chosen)} partner contact(s)")
        return len(chosen)

    try:
        return run_write_transaction(work)
    except IntegrityError:
        # Another page sent some of them at the same moment: sent again, this finds them emailed.
        return run_write_transaction(work)


def email_staff(round_id: int, addresses: Sequence[str], today: date) -> int:
    """Email a wave's link, with its reminder, to each address; only how many is kept, never the addresses."""

    def work() -> int:
        found = db.session.get(FeedbackRound, round_id)
        if found is None or found.closes_on < today:
            return 0
        for address in addresses:
            _send_round_link(found, address, today, staff=True)
        found.staff_emailed += len(addresses)
        if found.staff_count is None:
            found.staff_count = len(addresses)
        record_event("wave_emailed", f"round {round_id}: {len(addresses)} staff")
        return len(addresses)

    return run_write_transaction(work)


def forget_round_messages(round_id: int) -> None:
    """In the caller's transaction (deleting the round): withdraw its waiting messages and let go of them."""
    withdraw_round_messages(round_id)
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.round_id == round_id)
        .values(round_id=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(RoundEmail).where(RoundEmail.round_id == round_id))


def by_agency_type(found: FeedbackRound, question: str) -> list[tuple[str, int, int | str, str]]:
    """Each agency type's (label, invited, responses, response rate), with groups under 5 responses held back.

    Invited is the contacts emailed; responses, the round's by their answer to ``question``. A group
    held back shows neither its responses nor its rate, and enough others go with it that the
    total less those shown never gives a small group away.
    """
    invited = dict(
        db.session.execute(
            select(RoundEmail.agency_type, func.count())
            .where(RoundEmail.round_id == found.id)
            .group_by(RoundEmail.agency_type)
        ).all()
    )
    answered = dict(
        db.session.execute(
            select(func.coalesce(Response.respondent_type, ""), func.count())
            .where(Response.round_id == found.id, Response.void_id.is_(None))
            .group_by(Response.respondent_type)
        ).all()
    )
    spec = all_forms().get(found.form_key)
    options = spec.question(question).options if spec else ()
    order = [option.value for option in options]
    types = sorted(
        set(invited) | set(answered),
        key=lambda value: (value not in order, order.index(value) if value in order else 0, value),
    )
    hidden = held_back({value: answered.get(value, 0) for value in types}, lambda _value: ["all"])
    rows: list[tuple[str, int, int | str, str]] = []
    for value in types:
        label = next((option.label for option in options if option.value == value), value or "Not given")
        count = answered.get(value, 0)
        if value in hidden and count:
            rows.append((label, invited.get(value, 0), SUPPRESSED, ""))
        else:
            rows.append((label, invited.get(value, 0), count, _rate(count, invited.get(value, 0))))
    return rows


def _place(order: list[str], value: str) -> int:
    """Where an agency type goes: in the form's order, then any the form no longer has."""
    return order.index(value) if value in order else len(order)


def _rate(responses: int, invited: int) -> str:
    """Responses out of invited; not a rate when more answered than were invited (the link reached others too)."""
    if not invited:
        return ""
    return f"{responses / invited:.0%}" if responses <= invited else "More than invited"


def round_totals(found: FeedbackRound) -> tuple[int, int, str]:
    """The round's (invited, responses, rate): every response counts, whatever its agency type."""
    invited = emailed_count(found.id)
    responses = (
        db.session.scalar(
            select(func.count()).select_from(Response).where(Response.round_id == found.id, Response.void_id.is_(None))
        )
        or 0
    )
    return invited, responses, _rate(responses, invited)
