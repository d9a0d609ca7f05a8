"""Email and text messages: every message is recorded in the outbox in the caller's transaction and sent afterwards.

Nothing is sent while a transaction that stores data is open, so a mail server or GOV.UK Notify
that does not answer can never hold up an audit, a feedback form or SQLite's write lock. A
message recorded during a web request is put on the job queue after the response has gone
(``response.call_on_close``); one recorded by a command, once the command has finished; the
worker sends it. Anything left over is sent by the queue's scheduler every 10 minutes, or by
``flask qaf send-outbox`` run from cron. With Notify set up (qaf/notify.py), email and text
messages go through Notify; otherwise email goes by SMTP where MAIL_SERVER is set, and there
are no text messages.

A message's state is its ``error`` text (with ``sent_at`` once it has gone):
``""`` queued, never tried; ``"sending: attempt N"`` claimed by one worker, which is sending it;
``"attempt N failed: why"`` not sent, tried again (after a wait that grows) while N < MAX_ATTEMPTS;
``"refused: why"`` refused for good (Notify: a bad number or key), never tried again;
``"not sent: why"`` withdrawn (a family's link was used, cancelled or expired first; a round closed first).
"""

import logging
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any, NamedTuple

import click
from flask import Flask, Response, after_this_request, current_app, g, has_request_context
from sqlalchemy import and_, case, func, or_, select, update

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import FeedbackRound, Invitation, OutboxMessage, utc_now
from qaf.notify import FINAL_STATUSES, NotifySender, SendFailed, sends_email, sends_text_messages

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The wait before attempts 2, 3, 4 and 5 after a failure that may pass (Notify's rate limit, a server down).
RETRY_AFTER_SECONDS = (60, 5 * 60, 30 * 60, 2 * 60 * 60)
# send-outbox leaves older messages alone: a days-old reset link or reminder is worse than none.
RETRY_WITHIN = timedelta(days=2)
# A claim this old belongs to a worker that died mid-send (Notify's client gives up long before).
CLAIM_GIVEN_UP_AFTER = timedelta(minutes=10)
# Delivery is read back from Notify for a week after sending.
DELIVERY_READ_FOR = timedelta(days=7)
SENDING = "sending: attempt "
REFUSED = "refused: "
NOT_SENT = "not sent: "
ROUND_CLOSED = f"{NOT_SENT}the round closed first"
LINK_MARK = "((link))"
_FAILED = re.compile(r"attempt (\d+) failed: ")
# The server refused this one message; the connection is still good for the next.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def send_email(
    recipient: str,
    subject: str,
    body: str,
    *,
    invitation: Invitation | None = None,
    link: str | None = None,
    send_after: datetime | None = None,
    feedback_round: FeedbackRound | None = None,
    forget_recipient: bool = False,
) -> OutboxMessage:
    """Record the message in the caller's transaction; it is sent once that has committed.

    Sending never happens here: a slow or broken mail server cannot fail or delay the work
    that wanted the email (an alert, a reset link), which is stored first. A message to a
    family names its ``invitation`` and carries its ``link`` apart from the body (which has
    ``((link))`` where it goes), so both can be forgotten once it is sent; one with
    ``send_after`` (a reminder) waits for that time. A round's or wave's message names its
    ``feedback_round``: it is sent only while the round is open. With ``forget_recipient``
    (a staff survey wave's, whose answers are anonymous) the address is forgotten once it is sent.
    """
    return _record(
        "email",
        recipient,
        subject,
        body,
        invitation=invitation,
        link=link,
        send_after=send_after,
        feedback_round=feedback_round,
        forget_recipient=forget_recipient,
    )


def send_text_message(
    recipient: str, label: str, body: str, *, invitation: Invitation, link: str, send_after: datetime | None = None
) -> OutboxMessage:
    """As send_email, by text message through Notify; ``label`` names it on the outbox page."""
    return _record("sms", recipient, label, body, invitation=invitation, link=link, send_after=send_after)


def _record(
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    *,
    invitation: Invitation | None,
    link: str | None,
    send_after: datetime | None,
    feedback_round: FeedbackRound | None = None,
    forget_recipient: bool = False,
) -> OutboxMessage:
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        invitation_id=invitation.id if invitation else None,
        link=link,
        send_after=send_after,
        round_id=feedback_round.id if feedback_round else None,
        forget_recipient=forget_recipient,
    )
    db.session.add(message)
    db.session.flush()
    to = "a family" if invitation else "a member of staff" if forget_recipient else recipient
    log.info("%s %s to %s: %s", channel, message.id, to, subject)
    if send_after is None:
        _deliver_later(message.id)
    return message


def _deliver_later(message_id: int) -> None:
    """Queue what this request or command records once its response has gone, or it has finished."""
    recorded: list[int] | None = g.get("outbox_recorded")
    if recorded is not None:
        recorded.append(message_id)
        return
    recorded = g.outbox_recorded = [message_id]
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        from qaf.jobs import enqueue

        with app.app_context():
            try:
                enqueue("deliver_outbox", list(recorded))
            except Exception:
                # The queue is out of reach: the messages stay queued for the sweep or send-outbox.
                log.exception("the outbox could not put messages %s on the job queue", recorded)

    if has_request_context():

        @after_this_request
        def _after_response(response: Response) -> Response:
            response.call_on_close(deliver)
            return response

    elif (command := click.get_current_context(silent=True)) is not None:
        command.call_on_close(deliver)


@dataclass
class Delivery:
    """What one delivery did; its text is send-outbox's one-line summary."""

    mail_server: bool
    to_send: int = 0
    sent: int = 0
    failed: int = 0
    left: int = 0
    # Messages to try again after a wait (retry_after seconds): a failure that may pass, and those after it.
    retry: list[int] = field(default_factory=list)
    retry_after: int = 0

    def __str__(self) -> str:
        if not self.mail_server:
            return f"MAIL_SERVER is not set: nothing sent, {self.to_send} message(s) kept in the outbox"
        summary = f"{self.sent} sent, {self.failed} failed of {self.to_send} to send"
        if self.left:
            summary += f"; {self.left} left for the next run (the mail server stopped answering)"
        return summary

    def retry_later(self, message_ids: list[int], attempt: int) -> None:
        if attempt >= MAX_ATTEMPTS:
            message_ids = message_ids[1:]
        if message_ids:
            self.retry += message_ids
            wait = RETRY_AFTER_SECONDS[min(attempt, len(RETRY_AFTER_SECONDS)) - 1]
            self.retry_after = max(self.retry_after, wait)


class _Candidate(NamedTuple):
    id: int
    channel: str
    error: str
    claimed_at: datetime | None


def deliver_outbox(message_ids: Sequence[int] | None = None, *, retrying: bool = False) -> Delivery:
    """Send committed messages not yet sent, each at most once however many workers try; never raises.

    With ``message_ids``: those of them never tried (what a request or command recorded), or
    with ``retrying`` those not yet sent (a retry after a wait). Without: every message of the
    last RETRY_WITHIN that is due and not sent, failed fewer than MAX_ATTEMPTS times, or
    claimed by a worker that died (send-outbox). Each message is claimed by a conditional
    UPDATE in its own transaction before it is sent, and its result recorded in another, so
    call it with no transaction of your own open. A failure that may pass (a server down,
    Notify's rate limit) puts the message and the rest back on the queue after a wait that
    grows with each attempt, rather than each costing a timeout now.
    """
    config = current_app.config
    delivery = Delivery(mail_server=bool(config["MAIL_SERVER"] or sends_email(config)))
    try:
        withdraw_messages()
        if not delivery.mail_server and not sends_text_messages(config):
            # Nothing can send: the messages are kept, and send-outbox says how many.
            if message_ids is None:
                delivery.to_send = len(_candidates(None, retrying=False, sendable_only=False))
            return delivery
        candidates = _candidates(message_ids, retrying=retrying)
        delivery.to_send = len(candidates)
        _send(candidates, delivery, config)
    except Exception:
        log.exception("delivering the outbox stopped")
    if delivery.retry:
        from qaf.jobs import enqueue_later

        enqueue_later(delivery.retry_after, "deliver_outbox", delivery.retry, True)
    return delivery


def _attempts(error: str) -> int:
    if not error:
        return 0
    found = _FAILED.match(error) or re.match(re.escape(SENDING) + r"(\d+)", error)
    # An error written before attempts were counted is one attempt.
    return int(found.group(1)) if found else 1


def _uses_notify(channel: str, config: Any) -> bool:
    return sends_text_messages(config) if channel == "sms" else sends_email(config)


def _can_send(channel: str, config: Any) -> bool:
    return _uses_notify(channel, config) or (channel == "email" and bool(config["MAIL_SERVER"]))


def _candidates(message_ids: Sequence[int] | None, *, retrying: bool, sendable_only: bool = True) -> list[_Candidate]:
    now = utc_now()
    config = current_app.config
    query = select(OutboxMessage.id, OutboxMessage.channel, OutboxMessage.error, OutboxMessage.claimed_at).where(
        OutboxMessage.sent_at.is_(None),
        or_(OutboxMessage.send_after.is_(None), OutboxMessage.send_after <= now),
        ~OutboxMessage.error.startswith(REFUSED),
        ~OutboxMessage.error.startswith(NOT_SENT),
    )
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids))
        if not retrying:
            query = query.where(OutboxMessage.error == "")
    else:
        query = query.where(func.coalesce(OutboxMessage.send_after, OutboxMessage.created_at) >= now - RETRY_WITHIN)
    rows = [_Candidate(*row) for row in db.session.execute(query.order_by(OutboxMessage.id)).all()]
    db.session.rollback()
    chosen = []
    for row in rows:
        if sendable_only and not _can_send(row.channel, config):
            continue
        if row.error.startswith(SENDING):
            # Only Notify can say whether a dead worker's message went (by its reference); an SMTP
            # message claimed by a worker that died is left, rather than risk sending it twice.
            given_up = row.claimed_at is not None and row.claimed_at < now - CLAIM_GIVEN_UP_AFTER
            if not (given_up and _uses_notify(row.channel, config)):
                continue
        if _attempts(row.error) < MAX_ATTEMPTS:
            chosen.append(row)
    return chosen


class _Claimed(NamedTuple):
    recipient: str
    subject: str
    body: str
    link: str | None


class _Senders:
    """The connections one delivery run opens, each when first needed."""

    def __init__(self, config: Any):
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.notify: NotifySender | None = None

    def send(self, candidate: _Candidate, attempt: int, claimed: _Claimed) -> str | None:
        """Send one message; answers Notify's id for it (None by SMTP)."""
        body = claimed.body.replace(LINK_MARK, claimed.link or "")
        if _uses_notify(candidate.channel, self.config):
            if self.notify is None:
                self.notify = NotifySender(self.config)
            # A message tried before may have reached Notify (a worker killed, an answer lost): ask first.
            if attempt > 1 and (already := self.notify.already_sent(candidate.id)) is not None:
                return already
            return self.notify.send(candidate.id, candidate.channel, claimed.recipient, claimed.subject, body)
        if self.smtp is None:
            self.smtp = _connect(self.config)
        self.smtp.send_message(_email(claimed.recipient, claimed.subject, body, sender=self.config["MAIL_SENDER"]))
        return None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()


def _send(candidates: list[_Candidate], delivery: Delivery, config: Any) -> None:
    senders = _Senders(config)
    try:
        for index, candidate in enumerate(candidates):
            attempt = _attempts(candidate.error) + 1
            claimed = _claim(candidate, attempt)
            if claimed is None:
                continue
            rest = [candidate.id] + [later.id for later in candidates[index + 1 :]]
            try:
                notify_id = senders.send(candidate, attempt, claimed)
            except SendFailed as failure:
                log.warning("%s %s not sent: %s", candidate.channel, candidate.id, failure.reason)
                delivery.failed += 1
                if failure.permanent:
                    _record_result(candidate.id, error=f"{REFUSED}{failure.reason}", forget=True)
                    continue
                _record_result(candidate.id, error=f"attempt {attempt} failed: {failure.reason}")
                delivery.retry_later(rest, attempt)
                delivery.left = len(rest) - 1
                return
            except (OSError, smtplib.SMTPException) as error:
                log.warning("email %s not sent: %s", candidate.id, error)
                _record_result(candidate.id, error=f"attempt {attempt} failed: {error}")
                delivery.failed += 1
                if not isinstance(error, _MESSAGE_REFUSED):
                    delivery.retry_later(rest, attempt)
                    delivery.left = len(rest) - 1
                    return
                delivery.retry_later([candidate.id], attempt)
            else:
                _record_result(candidate.id, sent=True, notify_id=notify_id, forget=True)
                delivery.sent += 1
    finally:
        senders.close()


def _claim(candidate: _Candidate, attempt: int) -> _Claimed | None:
    """Take the message for this worker, if no other has and their link still works: a family's, or a round's."""
    now = utc_now()
    round_open = select(FeedbackRound.id).where(
        FeedbackRound.id == OutboxMessage.round_id, FeedbackRound.closes_on >= date.today()
    )
    link_works = select(Invitation.id).where(
        Invitation.id == OutboxMessage.invitation_id,
        Invitation.answered.is_(False),
        Invitation.cancelled_at.is_(None),
        Invitation.expires_at >= now,
    )
    seen_claim = (
        OutboxMessage.claimed_at.is_(None)
        if candidate.claimed_at is None
        else OutboxMessage.claimed_at == candidate.claimed_at
    )

    def work() -> _Claimed | None:
        row = db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == candidate.id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.error == candidate.error,
                seen_claim,
                or_(OutboxMessage.invitation_id.is_(None), link_works.exists()),
                or_(OutboxMessage.round_id.is_(None), round_open.exists()),
            )
            .values(error=f"{SENDING}{attempt}", claimed_at=now)
            .returning(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body, OutboxMessage.link)
        ).first()
        return None if row is None else _Claimed(row.recipient, row.subject, row.body, row.link)

    return run_write_transaction(work)


def _record_result(
    message_id: int, *, error: str = "", sent: bool = False, notify_id: str | None = None, forget: bool = False
) -> None:
    """Record what became of a message; ``forget``: it is done with, so a family's or a wave's address goes."""
    values: dict[str, Any] = {"sent_at": utc_now() if sent else None, "error": error[:500], "claimed_at": None}
    if notify_id is not None:
        values["notify_id"] = notify_id

    def work() -> None:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))
        if forget:
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, _forgets_recipient())
                .values(recipient="", link=None)
            )

    run_write_transaction(work)


def _forgets_recipient() -> Any:
    return or_(OutboxMessage.invitation_id.is_not(None), OutboxMessage.forget_recipient)


def _unsent() -> Any:
    return and_(
        OutboxMessage.sent_at.is_(None),
        ~OutboxMessage.error.startswith(SENDING),
        ~OutboxMessage.error.startswith(REFUSED),
        ~OutboxMessage.error.startswith(NOT_SENT),
    )


def withdraw_round_messages(round_id: int | None = None) -> None:
    """Withdraw the unsent messages of rounds that have closed (or of one round, at once: closed early or deleted).

    With ``round_id`` it runs in the caller's transaction (the one closing or deleting the round)
    and takes the round's messages off it, so the round can go; without, in its own.
    """
    closed = select(FeedbackRound.id).where(FeedbackRound.closes_on < date.today())
    which = (
        OutboxMessage.round_id == round_id
        if round_id is not None
        else and_(OutboxMessage.round_id.is_not(None), OutboxMessage.round_id.in_(closed))
    )
    forgotten = {"recipient": case((_forgets_recipient(), ""), else_=OutboxMessage.recipient), "link": None}
    withdraw = (
        update(OutboxMessage)
        .where(which, _unsent())
        .values(error=ROUND_CLOSED, **forgotten)
        .execution_options(synchronize_session=False)
    )
    if round_id is None:
        run_write_transaction(lambda: db.session.execute(withdraw))
        return
    db.session.execute(withdraw)


def withdraw_messages(invitation_id: int | None = None) -> None:
    """Forget the unsent messages of links answered, cancelled or expired (or of one invitation, at once).

    With ``invitation_id`` it runs in the caller's transaction (the one that used or cancelled the
    link); without, in its own. A message being sent at this moment is left to finish.
    """
    dead = select(Invitation.id).where(
        or_(Invitation.answered, Invitation.cancelled_at.is_not(None), Invitation.expires_at < utc_now())
    )
    which = (
        OutboxMessage.invitation_id == invitation_id
        if invitation_id is not None
        else and_(OutboxMessage.invitation_id.is_not(None), OutboxMessage.invitation_id.in_(dead))
    )
    withdraw = (
        update(OutboxMessage)
        .where(which, _unsent())
        .values(error=f"{NOT_SENT}the link was answered, cancelled or expired first", recipient="", link=None)
        .execution_options(synchronize_session=False)
    )
    if invitation_id is not None:
        db.session.execute(withdraw)
        return
    run_write_transaction(lambda: db.session.execute(withdraw))
    withdraw_round_messages()


def read_deliveries() -> int:
    """Ask Notify what became of the messages it took in the last week; answers how many changed."""
    config = current_app.config
    if not config["NOTIFY_API_KEY"]:
        return 0
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.notify_id, OutboxMessage.delivery).where(
            OutboxMessage.notify_id.is_not(None),
            OutboxMessage.sent_at >= utc_now() - DELIVERY_READ_FOR,
            ~OutboxMessage.delivery.in_(FINAL_STATUSES),
        )
    ).all()
    db.session.rollback()
    sender = NotifySender(config)
    changed = 0
    for message_id, notify_id, known in rows:
        status = sender.status(str(notify_id))
        if status and status != known:
            _record_delivery(message_id, status)
            changed += 1
    return changed


def _record_delivery(message_id: int, status: str) -> None:
    def work() -> None:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(delivery=status[:30]))

    run_write_transaction(work)


def _connect(config: Any) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"])
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def _email(recipient: str, subject: str, body: str, *, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = recipient
    email["Subject"] = subject
    email.set_content(body)
    return email


_NOT_DELIVERED = {
    "permanent-failure": "not delivered: the number or address may not exist",
    "temporary-failure": "not delivered: the phone was off or the inbox full for 3 days",
    "technical-failure": "not delivered: a problem at Notify",
}


def delivery_state(message: OutboxMessage) -> tuple[str, str]:
    """What the outbox page says of a message: its state, and what went wrong or happens next."""
    config = current_app.config
    if message.sent_at is not None:
        if message.delivery == "delivered":
            return "Delivered", ""
        if message.delivery in _NOT_DELIVERED:
            return "Failed", _NOT_DELIVERED[message.delivery]
        return "Sent", ""
    if message.error.startswith(NOT_SENT):
        return "Not sent", message.error.removeprefix(NOT_SENT)
    if message.error.startswith(REFUSED):
        return "Failed", f"{message.error.removeprefix(REFUSED)}; it will not be tried again"
    if not message.error:
        if message.send_after is not None and message.send_after > utc_now():
            if message.round_id is not None:
                return "Waiting", "sent on its day, only if the round is still open then"
            return "Waiting", "a reminder, sent only if the link has not been used by then"
        return ("Queued", "") if _can_send(message.channel, config) else ("Kept", "")
    attempts = _attempts(message.error)
    if message.error.startswith(SENDING):
        return "Sending", f"attempt {attempts}"
    reason = _FAILED.sub("", message.error, count=1)
    then = "send-outbox will try again" if attempts < MAX_ATTEMPTS else "no more attempts will be made"
    return "Failed", f"{reason} (attempt {attempts} of {MAX_ATTEMPTS}; {then})"
