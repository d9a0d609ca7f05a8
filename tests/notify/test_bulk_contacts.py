"""A CSV of invitations with a contact column: links sent by text message or email, the rest printed,
and a file with a wrong number or address makes and sends nothing until it is put right."""

import io

from qaf.extensions import db
from qaf.models import Invitation
from tests.conftest import ClientRequest, error_summary
from tests.feedback.test_bulk_invitations import count
from tests.notify.conftest import messages, post_page
from tests.notify.test_family_links import every_stored_value

HEADER = "case_reference,stage,team,Mobile or email\n"


def upload(worker: ClientRequest, text: str):  # type: ignore[no-untyped-def]
    data = {"form": "family", "file": (io.BytesIO(text.encode()), "cases.csv")}
    return post_page(worker, "/invitations/bulk", data)


def test_rows_with_a_contact_are_sent_their_link_and_the_rest_get_slips(notify_app, notify, worker):
    rows = [
        "EH-1,closure,ashford-ehu,07700 900982",
        "EH-2,closure,ashford-ehu,+44 7700 900 983",
        "EH-3,review,ashford-ehu,Family@Example.com",
        "EH-4,closure,ashford-ehu,",
    ]
    page = upload(worker, HEADER + "\n".join(rows) + "\n")
    assert page.h1.get_text(strip=True) == "4 invitations made"
    text = page.get_text(" ", strip=True)
    assert (
        "The links for 3 families are being sent by text message or email, with one reminder for each link not used."
        in text
    )
    assert "1 family has no number or address in the file" in text
    assert len(page.select(".qaf-slip")) == 1
    assert "EH-4" in page.select_one(".qaf-slip").get_text()
    assert sorted(sent["phone_number"] for sent in notify.sent("sms")) == ["07700900982", "07700900983"]
    assert [sent["email_address"] for sent in notify.sent("email")] == ["Family@Example.com"]
    # Each sent link has its one reminder waiting; none was stored beside the slips' case.
    waiting = [message for message in messages(notify_app) if message.sent_at is None]
    assert len(waiting) == 3
    with notify_app.app_context():
        references = {db.session.get(Invitation, message.invitation_id).case_reference for message in waiting}
    assert references == {"EH-1", "EH-2", "EH-3"}


def test_the_numbers_and_addresses_of_a_file_are_kept_nowhere_once_the_links_are_sent(notify_app, notify, worker):
    upload(worker, HEADER + "EH-1,closure,ashford-ehu,07700 900982\nEH-2,closure,ashford-ehu,mum@example.com\n")
    for message in messages(notify_app):
        if message.sent_at is None:  # the reminders: sent in 7 days, then forgotten as the first ones were
            continue
        assert message.recipient == ""
    # Only the waiting reminder holds each (the invitation, its answer-to-be and the sent message do not).
    stored = every_stored_value(notify_app)
    assert stored.count("07700900982") == 1
    assert stored.count("mum@example.com") == 1


def test_a_file_of_500_with_3_wrong_contacts_names_the_3_by_line_and_makes_and_sends_nothing(
    notify_app, notify, worker
):
    rows = [f"EH-{n},closure,ashford-ehu,07700 9{n:05d}" for n in range(1, 501)]
    rows[9] = "EH-10,closure,ashford-ehu,07700 90"
    rows[199] = "EH-200,closure,ashford-ehu,someone@"
    rows[499] = "EH-500,closure,ashford-ehu,0207 946 0000"
    page = upload(worker, HEADER + "\n".join(rows) + "\n")
    problems = [problem for problem, _link in error_summary(page)]
    assert problems == [
        "Line 11: the contact '07700 90' is not a UK mobile number or an email address",
        "Line 201: the contact 'someone@' is not a UK mobile number or an email address",
        "Line 501: the contact '0207 946 0000' is not a UK mobile number or an email address",
    ]
    assert count(notify_app) == 0
    assert messages(notify_app) == []
    assert notify.sent("sms") == []


def test_without_notify_a_file_of_numbers_is_refused_with_one_line_saying_to_print_slips(app, staff):
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    rows = "".join(f"EH-{n},closure,ashford-ehu,07700 9{n:05d}\n" for n in range(1, 9))
    page = upload(worker, HEADER + rows)
    [(problem, _link)] = error_summary(page)
    assert problem.startswith("Column ‘contact’: 8 rows have a contact, but links cannot be sent by text message here")
    assert "leave the column empty to print slips" in problem
    assert count(app) == 0
