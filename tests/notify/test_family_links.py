"""A worker sends a family their link by text message or email from the invitation page: checked on the
page, sent once with one reminder, and the number or address forgotten once they are sent."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from qaf.contacts import uk_mobile_number
from qaf.extensions import db
from qaf.invitation_messages import TEXT_FIRST, TEXT_REMINDER
from qaf.mail import LINK_MARK
from qaf.models import Invitation, OutboxMessage, utc_now
from tests.conftest import ClientRequest, error_summary
from tests.feedback.test_invitations import FAMILY_ANSWERS
from tests.notify.conftest import messages, post_page
from tests.notify_stand_in import TEMPLATE_SMS
from tests.smtp import receiving_mail_server, use_mail_server

INVITE = {"form": "family", "case_reference": "eh-55501", "team": "1", "stage": "closure"}
NUMBER = "07700 900982"
# GSM 03.38's basic alphabet: the characters one 160-character text message can hold.
GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def text_to_family(worker: ClientRequest, number: str = NUMBER) -> str:
    page = post_page(worker, "/invitations/new", INVITE | {"send_by": "sms", "mobile": number})
    assert page.h1.get_text(strip=True) == "Invitation made"
    assert "The link is being sent to the family by text message" in page.get_text()
    return re.search(r"http://[^/]+(/i/[\w-]+)", page.get_text()).group(1)


def reminders_due_now(app) -> None:
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.send_after.is_not(None)).values(send_after=utc_now())
        )
        db.session.commit()


def every_stored_value(app) -> str:
    """Every value in every table, as text: what a copy of the database would give away."""
    with app.app_context():
        return "\n".join(
            repr(tuple(row))
            for table in db.metadata.sorted_tables
            for row in db.session.execute(text(f"SELECT * FROM {table.name}"))  # noqa: S608  # table names are ours
        )


def test_a_worker_texts_a_family_their_link_and_the_number_goes_once_it_is_sent(notify_app, notify, worker, staff):
    link = text_to_family(worker)
    [sent] = notify.sent("sms")
    assert sent["template_id"] == TEMPLATE_SMS
    assert sent["phone_number"] == "07700900982"
    assert sent["personalisation"]["body"].endswith(link)
    assert sent["personalisation"]["body"] == TEXT_FIRST.replace(LINK_MARK, f"http://localhost{link}")
    first, reminder = messages(notify_app)
    assert (first.recipient, first.link, first.sent_at is not None) == ("", None, True)
    assert LINK_MARK in first.body
    assert link not in first.body
    assert reminder.send_after is not None
    assert reminder.sent_at is None
    page = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"]).get("/admin/outbox")
    shown = page.get_text()
    assert "To a family by text message" in shown
    assert "Waiting" in shown
    assert "900982" not in shown
    assert link not in shown
    # The link the family got opens their form.
    family = ClientRequest(notify_app.test_client())
    assert family.get(link).h1


def test_each_text_message_fits_one_message_of_gsm_characters():
    link = "https://feedback.example.gov.uk/i/" + "x" * 43
    for words in (TEXT_FIRST, TEXT_REMINDER):
        message = words.replace(LINK_MARK, link)
        assert set(message) <= GSM, set(message) - GSM
        # Room left for the service name Notify can put first ("Example Council: ").
        assert len(message) <= 160 - 20, len(message)


def test_the_one_reminder_is_sent_after_the_days_set_and_then_nothing_of_the_number_is_kept(notify_app, notify, worker):
    text_to_family(worker)
    with notify_app.app_context():
        reminder = db.session.scalars(select(OutboxMessage).where(OutboxMessage.send_after.is_not(None))).one()
        invitation = db.session.get(Invitation, reminder.invitation_id)
        assert reminder.send_after - invitation.created_at == timedelta(days=7)
    runner = notify_app.test_cli_runner()
    assert runner.invoke(args=["qaf", "send-invitation-reminders"]).output == "0 reminder(s) sent, 0 failed, of 0 due\n"
    reminders_due_now(notify_app)
    assert runner.invoke(args=["qaf", "send-invitation-reminders"]).output == "1 reminder(s) sent, 0 failed, of 1 due\n"
    assert runner.invoke(args=["qaf", "send-invitation-reminders"]).output == "0 reminder(s) sent, 0 failed, of 0 due\n"
    first, second = notify.sent("sms")
    assert second["personalisation"]["body"].startswith("Reminder: ")
    assert second["personalisation"]["body"].split()[-1] == first["personalisation"]["body"].split()[-1]
    stored = every_stored_value(notify_app)
    assert "900982" not in stored
    assert first["personalisation"]["body"].split("/i/")[-1] not in stored, "nor the link's token"


def test_an_email_to_a_family_is_sent_with_its_reminder_and_the_address_forgotten(notify_app, notify, worker):
    post_page(worker, "/invitations/new", INVITE | {"send_by": "email", "email": " Family@Example.com "})
    [sent] = notify.sent("email")
    assert sent["email_address"] == "Family@Example.com"
    assert sent["personalisation"]["subject"] == "Tell us what you think of the help you have had"
    assert re.search(r"http://localhost/i/[\w-]+", sent["personalisation"]["body"])
    assert "It takes about" in sent["personalisation"]["body"]
    reminders_due_now(notify_app)
    notify_app.test_cli_runner().invoke(args=["qaf", "send-invitation-reminders"])
    assert [item["personalisation"]["subject"][:9] for item in notify.sent("email")] == ["Tell us w", "Reminder:"]
    assert "family@example.com" not in every_stored_value(notify_app).lower()


def test_a_used_link_gets_no_reminder_and_its_number_goes_with_the_answer(notify_app, notify, worker):
    link = text_to_family(worker)
    ClientRequest(notify_app.test_client()).post(link, FAMILY_ANSWERS, _expected_redirect="/feedback/family/thank-you")
    assert "900982" not in every_stored_value(notify_app)
    reminders_due_now(notify_app)
    output = notify_app.test_cli_runner().invoke(args=["qaf", "send-invitation-reminders"]).output
    assert output == "0 reminder(s) sent, 0 failed, of 0 due\n"
    assert len(notify.sent()) == 1
    assert messages(notify_app)[1].error == "not sent: the link was answered, cancelled or expired first"


@pytest.mark.parametrize("ending", ["cancelled", "expired"])
def test_a_cancelled_or_expired_link_gets_no_reminder(notify_app, notify, worker, ending):
    text_to_family(worker)
    with notify_app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
        invitation_id = invitation.id
    if ending == "cancelled":
        worker.post(f"/invitations/{invitation_id}/cancel", {})
    else:
        with notify_app.app_context():
            db.session.execute(
                update(Invitation)
                .where(Invitation.id == invitation_id)
                .values(expires_at=utc_now() - timedelta(hours=1))
            )
            db.session.commit()
    reminders_due_now(notify_app)
    notify_app.test_cli_runner().invoke(args=["qaf", "send-invitation-reminders"])
    assert len(notify.sent()) == 1
    assert "900982" not in every_stored_value(notify_app)


def test_a_number_notify_refuses_is_failed_for_good_and_forgotten(notify_app, notify, worker, staff):
    notify.fail_next(1, "bad_phone_number")
    text_to_family(worker)
    first, _reminder = messages(notify_app)
    assert first.error.startswith("refused: Notify answered 400: ValidationError")
    assert first.recipient == ""
    page = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"]).get("/admin/outbox")
    assert "phone_number Not a UK mobile number; it will not be tried again" in " ".join(page.get_text().split())


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("07700 900982", "07700900982"),
        ("07700900982", "07700900982"),
        ("+44 7700 900982", "07700900982"),
        ("+447700900982", "07700900982"),
        ("(07700) 900-982", "07700900982"),
        ("0044 7700 900 982", "07700900982"),
        ("01632 960001", None),
        ("0770090098", None),
        ("077009009821", None),
        ("+1 202 555 0100", None),
        ("seven", None),
    ],
)
def test_uk_mobile_numbers_are_read_as_people_type_them(typed, number):
    assert uk_mobile_number(typed) == number


@pytest.mark.parametrize(
    ("sent", "error"),
    [
        ({"send_by": "sms", "mobile": ""}, ("Enter the family's mobile phone number", "#mobile")),
        (
            {"send_by": "sms", "mobile": "01632 960001"},
            ("Enter a UK mobile phone number, like 07700 900 982 or +44 7700 900 982", "#mobile"),
        ),
        ({"send_by": "email", "email": ""}, ("Enter the family's email address", "#email")),
        (
            {"send_by": "email", "email": "family.example.com"},
            ("Enter an email address in the correct format, like name@example.com", "#email"),
        ),
        ({}, ("Select how the family will get the link", "#send_by")),
    ],
)
def test_a_wrong_number_or_address_is_shown_on_the_page_and_nothing_is_made_or_queued(
    notify_app, notify, worker, sent, error
):
    page = post_page(worker, "/invitations/new", INVITE | sent)
    assert page.title.get_text().startswith("Error: ")
    assert error_summary(page) == [error]
    assert page.select_one(f"{error[1]}") is not None
    with notify_app.app_context():
        assert db.session.scalars(select(Invitation)).all() == []
    assert messages(notify_app) == []
    assert notify.requests == []


def test_a_slip_sends_nothing(notify_app, notify, worker):
    post_page(worker, "/invitations/new", INVITE | {"send_by": "slip", "mobile": NUMBER})
    assert messages(notify_app) == []
    assert notify.requests == []


def test_without_notify_there_is_no_text_message_and_email_goes_by_smtp_as_before(app, staff):
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    page = worker.get("/invitations/new")
    assert not page.select("input[name=send_by]"), "no mail server either: only the slip"
    assert "not set up here" in page.get_text()
    with receiving_mail_server() as server:
        use_mail_server(app, server)
        page = worker.get("/invitations/new")
        assert [radio["value"] for radio in page.select("input[name=send_by]")] == ["slip", "email"]
        assert not page.select("input[name=mobile]")
        assert "Sending the link by text message is not set up here" in page.get_text()
        refused = post_page(worker, "/invitations/new", INVITE | {"send_by": "sms", "mobile": NUMBER})
        assert error_summary(refused)
        post_page(worker, "/invitations/new", INVITE | {"send_by": "email", "email": "family@example.com"})
        [received] = server.received
    assert "To: family@example.com" in received
    assert re.search(r"http://localhost/i/[\w-]+", received)
    first, _reminder = messages(app)
    assert first.recipient == ""
    assert first.sent_at is not None
