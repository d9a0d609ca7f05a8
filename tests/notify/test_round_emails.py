"""Opening a partner round emails each chosen contact the round's own link, once, with one reminder before it
closes while it is still open; the round page shows who was invited and who answered, by type of organisation."""

from datetime import date, timedelta

from sqlalchemy import select, update

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import FeedbackRound, OutboxMessage, PartnerContact, RoundEmail, utc_now
from qaf.suppression import SUPPRESSED
from tests.conftest import ClientRequest, error_summary
from tests.notify.conftest import messages, post_page
from tests.smtp import receiving_mail_server, use_mail_server

TODAY = date.today()
CONTACTS = [
    ("Ashford Oaks Primary School", "school", "Ashford", "head@ashfordoaks.sch.uk"),
    ("Dover Grammar School", "school", "Dover", "office@dovergrammar.sch.uk"),
    ("Kent Police Dover", "police", "Dover", "pc.dover@kent.police.uk"),
]


def day_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def add_contacts(app, rows=CONTACTS) -> list[int]:
    with app.app_context():
        added = [
            PartnerContact(organisation=organisation, agency_type=kind, district=district, email=email)
            for organisation, kind, district, email in rows
        ]
        db.session.add_all(added)
        db.session.commit()
        return [contact.id for contact in added]


def open_round(admin: ClientRequest, closes: date, opens: date = TODAY) -> int:
    response = admin.client.post(
        "/admin/rounds/new",
        data={"form": "partner", "name": "October to March"}
        | day_fields("opens_on", opens)
        | day_fields("closes_on", closes),
    )
    assert response.status_code == 302
    round_id = int(response.headers["Location"].split("/")[3])
    assert response.headers["Location"] == f"/admin/rounds/{round_id}/email-partners"
    return round_id


def reminders_due_now(app) -> None:
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.send_after.is_not(None)).values(send_after=utc_now())
        )
        db.session.commit()


def send_reminders(app) -> str:
    return app.test_cli_runner().invoke(args=["qaf", "send-invitation-reminders"]).output


def test_opening_a_round_emails_each_chosen_contact_the_round_link_once(notify_app, notify, staff):
    ids = add_contacts(notify_app)
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=60))
    page = admin.get(f"/admin/rounds/{round_id}/email-partners")
    boxes = page.select("input[name=contacts]")
    assert [(box["value"], box.has_attr("checked")) for box in boxes] == [
        (str(i), True) for i in (ids[2], ids[0], ids[1])
    ]
    # Kent Police is left out this time.
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(ids[0]), str(ids[1])]}, 302)
    sent = notify.sent("email")
    link = f"http://localhost/feedback/partner/rounds/{round_id}"
    assert sorted(item["email_address"] for item in sent) == ["head@ashfordoaks.sch.uk", "office@dovergrammar.sch.uk"]
    # The same link for everyone: nothing ties an answer to whoever was emailed.
    assert {item["personalisation"]["body"].count(link) for item in sent} == {1}
    assert {item["personalisation"]["subject"] for item in sent} == {all_forms_title(notify_app)}
    page = admin.get(f"/admin/rounds/{round_id}")
    assert "Email the link to 1 partner contact" in page.get_text()

    # Sending again to the same contacts sends nothing more; the one left out is sent it now.
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(i) for i in ids]}, 302)
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(i) for i in ids]}, 200)
    assert sorted(item["email_address"] for item in notify.sent("email")) == [
        "head@ashfordoaks.sch.uk",
        "office@dovergrammar.sch.uk",
        "pc.dover@kent.police.uk",
    ]
    with notify_app.app_context():
        assert len(db.session.scalars(select(RoundEmail)).all()) == 3
    page = admin.get(f"/admin/rounds/{round_id}/email-partners")
    assert "Every partner contact has been emailed the link (3)." in page.get_text()
    # A partner's work address stays on the outbox page, unlike a family's.
    assert "pc.dover@kent.police.uk" in admin.get("/admin/outbox").get_text()


def all_forms_title(app) -> str:
    with app.app_context():
        return all_forms()["partner"].title


def test_choosing_nobody_is_an_error_and_sends_nothing(notify_app, notify, staff):
    add_contacts(notify_app)
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=60))
    page = post_page(admin, f"/admin/rounds/{round_id}/email-partners", {})
    assert error_summary(page) == [("Select the partner contacts to email", "#contacts")]
    assert notify.sent() == []


def test_the_reminder_goes_a_week_before_closing_while_the_round_is_open(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    closes = TODAY + timedelta(days=30)
    round_id = open_round(admin, closes)
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    first, reminder = messages(notify_app)
    assert first.sent_at is not None
    assert reminder.send_after.date() == closes - timedelta(days=7)
    assert "Waiting" in admin.get("/admin/outbox").get_text()
    assert send_reminders(notify_app) == "0 reminder(s) sent, 0 failed, of 0 due\n"
    reminders_due_now(notify_app)
    assert send_reminders(notify_app) == "1 reminder(s) sent, 0 failed, of 1 due\n"
    assert send_reminders(notify_app) == "0 reminder(s) sent, 0 failed, of 0 due\n"
    subjects = [item["personalisation"]["subject"] for item in notify.sent("email")]
    assert subjects == [all_forms_title(notify_app), f"Reminder: {all_forms_title(notify_app)}"]


def test_a_short_round_is_reminded_halfway_and_a_one_day_round_not_at_all(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    short = open_round(admin, TODAY + timedelta(days=6))
    post_page(admin, f"/admin/rounds/{short}/email-partners", {"contacts": [str(contact)]}, 302)
    one_day = open_round(admin, TODAY)
    post_page(admin, f"/admin/rounds/{one_day}/email-partners", {"contacts": [str(contact)]}, 302)
    waiting = [(message.round_id, message.send_after.date()) for message in messages(notify_app) if message.send_after]
    assert waiting == [(short, TODAY + timedelta(days=3))]


def test_a_round_opening_later_sends_on_its_first_day(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    opens = TODAY + timedelta(days=10)
    round_id = open_round(admin, opens + timedelta(days=30), opens=opens)
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    assert notify.sent() == []
    assert [message.send_after.date() for message in messages(notify_app)] == [opens, opens + timedelta(days=23)]


def test_changing_a_rounds_dates_moves_its_reminder_or_withdraws_it(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=30))
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    later = TODAY + timedelta(days=50)
    change = {"name": "October to March"} | day_fields("opens_on", TODAY)
    post_page(admin, f"/admin/rounds/{round_id}/edit", change | day_fields("closes_on", later), 302)
    assert messages(notify_app)[1].send_after.date() == later - timedelta(days=7)
    post_page(admin, f"/admin/rounds/{round_id}/edit", change | day_fields("closes_on", TODAY), 302)
    reminder = messages(notify_app)[1]
    assert reminder.error == "not sent: the round became too short for a reminder"
    reminders_due_now(notify_app)
    send_reminders(notify_app)
    assert len(notify.sent()) == 1


def test_a_round_closed_early_withdraws_its_reminder(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=30))
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    post_page(admin, f"/admin/rounds/{round_id}/close", {}, 302)
    reminders_due_now(notify_app)
    assert send_reminders(notify_app) == "0 reminder(s) sent, 0 failed, of 0 due\n"
    assert len(notify.sent()) == 1
    assert messages(notify_app)[1].error == "not sent: the round closed first"


def test_a_round_that_closed_by_its_date_sends_no_reminder(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=30))
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    with notify_app.app_context():
        db.session.execute(
            update(FeedbackRound).values(opens_on=TODAY - timedelta(days=40), closes_on=TODAY - timedelta(days=1))
        )
        db.session.commit()
    reminders_due_now(notify_app)
    send_reminders(notify_app)
    assert len(notify.sent()) == 1
    assert messages(notify_app)[1].error == "not sent: the round closed first"


def test_a_deleted_round_withdraws_its_reminder(notify_app, notify, staff):
    [contact] = add_contacts(notify_app, CONTACTS[:1])
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=30))
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
    post_page(admin, f"/admin/rounds/{round_id}/delete", {}, 302)
    with notify_app.app_context():
        assert db.session.get(FeedbackRound, round_id) is None
    reminders_due_now(notify_app)
    send_reminders(notify_app)
    assert len(notify.sent()) == 1
    first, reminder = messages(notify_app)
    assert (reminder.error, reminder.round_id) == ("not sent: the round closed first", None)


def test_round_links_go_by_smtp_without_notify(app, staff):
    [contact] = add_contacts(app, CONTACTS[:1])
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    with receiving_mail_server() as server:
        use_mail_server(app, server)
        round_id = open_round(admin, TODAY + timedelta(days=30))
        post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 302)
        post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(contact)]}, 200)
        [received] = server.received
    assert "To: head@ashfordoaks.sch.uk" in received
    assert f"http://localhost/feedback/partner/rounds/{round_id}" in received


def partner_answers(agency_type: str) -> dict[str, str]:
    spec = all_forms()["partner"]
    answers = {}
    for question in spec.questions:
        if question.required and question.options:
            answers[question.id] = question.options[0].value
    return answers | {"agency_type": agency_type}


def test_the_round_page_shows_invited_and_responses_by_agency_type_holding_back_small_groups(notify_app, notify, staff):
    rows = (
        [(f"School {n}", "school", "Dover", f"school{n}@example.sch.uk") for n in range(8)]
        + [(f"Surgery {n}", "health", "Dover", f"gp{n}@example.nhs.uk") for n in range(4)]
        + [(f"Station {n}", "police", "Dover", f"pc{n}@kent.police.uk") for n in range(10)]
    )
    ids = add_contacts(notify_app, rows)
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    round_id = open_round(admin, TODAY + timedelta(days=30))
    post_page(admin, f"/admin/rounds/{round_id}/email-partners", {"contacts": [str(i) for i in ids]}, 302)
    partner = ClientRequest(notify_app.test_client())
    with notify_app.app_context():
        answers = {kind: partner_answers(kind) for kind in ("school", "health", "police", "housing")}
    for kind, count in (("school", 6), ("health", 2), ("police", 8), ("housing", 5)):
        for _ in range(count):
            partner.post(f"/feedback/partner/rounds/{round_id}", answers[kind])
    page = admin.get(f"/admin/rounds/{round_id}")
    table = page.find("caption", string="Invited and responses by type of organisation").find_parent("table")
    shown = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in table.select("tbody tr")]
    # Health's 2 are held back, and with them the next smallest (housing's 5), so the total gives neither away.
    assert shown == [
        ["A school or college", "8", "6", "75%"],
        ["Health", "4", SUPPRESSED, ""],
        ["Police", "10", "8", "80%"],
        ["Housing", "0", SUPPRESSED, ""],
        ["All", "22", "21", "95%"],
    ]
