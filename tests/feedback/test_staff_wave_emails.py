"""A staff survey wave's link emailed to staff addresses the QA team pastes or uploads: every address checked
first, each bad one named by its line and nothing sent; then the link and one reminder, and the addresses
forgotten once sent. Only how many were emailed is kept."""

import io
from datetime import date, timedelta

import pytest

from tests.conftest import ClientRequest, check_page, error_summary
from tests.feedback.test_rounds import add_round
from tests.notify.conftest import messages, post_page
from tests.notify.test_family_links import every_stored_value, reminders_due_now

TODAY = date.today()
PASTED = "ava.ahmed@kent.gov.uk, ben.brown@kent.gov.uk\nCara.Cole@kent.gov.uk; ava.ahmed@kent.gov.uk\n\n"


@pytest.fixture
def admin(notify_app, staff) -> ClientRequest:
    return ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])


@pytest.fixture
def wave(notify_app) -> int:
    return add_round(notify_app, "staff-survey", TODAY, TODAY + timedelta(days=21), name="Spring 2027")


def test_a_wave_is_emailed_to_pasted_addresses_once_each_and_they_are_forgotten(notify_app, notify, admin, wave):
    page = admin.get(f"/admin/rounds/{wave}")
    assert page.select_one(f"a[href='/admin/rounds/{wave}/email-staff']")
    post_page(admin, f"/admin/rounds/{wave}/email-staff", {"addresses": PASTED}, 302)
    sent = notify.sent("email")
    assert sorted(item["email_address"] for item in sent) == [
        "Cara.Cole@kent.gov.uk",
        "ava.ahmed@kent.gov.uk",
        "ben.brown@kent.gov.uk",
    ]
    link = f"http://localhost/feedback/staff-survey/rounds/{wave}"
    assert {item["personalisation"]["body"].count(link) for item in sent} == {1}
    page = admin.get(f"/admin/rounds/{wave}")
    assert "3 staff (their addresses are not kept)" in page.get_text()
    outbox = admin.get("/admin/outbox").get_text()
    assert "To a member of staff" in outbox
    assert "kent.gov.uk" not in outbox
    # The reminders hold the addresses until they go; then nothing of them is left.
    assert "ben.brown@kent.gov.uk" in every_stored_value(notify_app)
    reminders_due_now(notify_app)
    output = notify_app.test_cli_runner().invoke(args=["qaf", "send-invitation-reminders"]).output
    assert output == "3 reminder(s) sent, 0 failed, of 3 due\n"
    assert len(notify.sent("email")) == 6
    assert "kent.gov.uk" not in every_stored_value(notify_app).lower()
    assert {message.recipient for message in messages(notify_app)} == {""}


def test_a_bad_address_is_refused_by_its_line_and_nothing_is_sent(notify_app, notify, admin, wave):
    page = post_page(
        admin,
        f"/admin/rounds/{wave}/email-staff",
        {"addresses": "ava.ahmed@kent.gov.uk\nben.brown at kent.gov.uk, cara@kent.gov.uk\ndan@"},
    )
    assert error_summary(page) == [
        (
            "Line 2: ‘ben.brown at kent.gov.uk’ is not an email address in the correct format, like "
            "name@example.gov.uk",
            "#addresses",
        ),
        ("Line 3: ‘dan@’ is not an email address in the correct format, like name@example.gov.uk", "#addresses"),
    ]
    assert "2 problems in the addresses: nothing was sent" in page.select_one(".govuk-error-message").get_text()
    assert notify.sent() == []
    assert messages(notify_app) == []
    page = post_page(admin, f"/admin/rounds/{wave}/email-staff", {"addresses": " \n ,; "})
    assert error_summary(page) == [
        ("Enter the staff email addresses, or choose a CSV file with an email column", "#addresses")
    ]


def test_a_wave_is_emailed_to_the_addresses_in_an_uploaded_csv(notify_app, notify, admin, wave):
    def upload(text: str):
        response = admin.client.post(
            f"/admin/rounds/{wave}/email-staff",
            data={"addresses": "", "file": (io.BytesIO(text.encode()), "staff.csv")},
            content_type="multipart/form-data",
        )
        page = check_page(response.get_data(as_text=True)) if response.status_code == 200 else None
        response.close()
        return response.status_code, page

    status, page = upload("Name,Email address\nAva,ava.ahmed@kent.gov.uk\nBen,\nCara,cara-at-kent\n")
    assert status == 200
    assert error_summary(page) == [
        ("Line 3: the email address is empty", "#file"),
        ("Line 4: ‘cara-at-kent’ is not an email address in the correct format, like name@example.gov.uk", "#file"),
    ]
    assert notify.sent() == []
    status, _page = upload("Name,Email address\nAva,ava.ahmed@kent.gov.uk\nBen,ben.brown@kent.gov.uk\n")
    assert status == 302
    assert sorted(item["email_address"] for item in notify.sent("email")) == [
        "ava.ahmed@kent.gov.uk",
        "ben.brown@kent.gov.uk",
    ]


def test_only_staff_waves_are_emailed_to_staff_and_only_while_open(notify_app, admin):
    partner_round = add_round(notify_app, "partner", TODAY, TODAY + timedelta(days=10))
    admin.get(f"/admin/rounds/{partner_round}/email-staff", _expected_status=404)
    closed = add_round(notify_app, "staff-survey", TODAY - timedelta(days=30), TODAY - timedelta(days=1))
    page = admin.get(f"/admin/rounds/{closed}/email-staff")
    assert "has closed, so its link is not sent any more" in page.get_text()
    post_page(admin, f"/admin/rounds/{closed}/email-staff", {"addresses": "ava.ahmed@kent.gov.uk"})
    assert messages(notify_app) == []
    wave = add_round(notify_app, "staff-survey", TODAY, TODAY + timedelta(days=5), name="Short wave")
    admin.get(f"/admin/rounds/{wave}/email-partners", _expected_status=404)
