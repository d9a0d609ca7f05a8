"""Post-closure feedback through GOV.UK Notify: an import's chosen cases with a contact sent their link at once,
the contacts then kept nowhere; the rest made by their team's worker, once, and by nobody from another team."""

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Invitation, PostClosureDue
from tests.conftest import ClientRequest
from tests.notify.conftest import messages, post_page
from tests.notify.test_family_links import every_stored_value
from tests.programme.post_closure import case_list, closed, still_open, turn_on, upload


@pytest.fixture
def notify_app(notify_app, tmp_path):
    notify_app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    return notify_app


@pytest.fixture
def admin(notify_app, staff) -> ClientRequest:
    return ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])


def made(app) -> list[tuple[str, str, str, str]]:
    with app.app_context():
        return [
            (found.case_reference, found.stage, found.form_key, found.created_by.email)
            for found in db.session.scalars(select(Invitation).order_by(Invitation.case_reference))
        ]


def due_ids(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(PostClosureDue.case_reference, PostClosureDue.id)).all())


THREE_CLOSED = case_list(
    closed("EH-1", "07700 900982"), closed("EH-2", "Family@Example.com"), closed("EH-3"), still_open("EH-4")
)


def test_three_newly_closed_cases_with_two_contacts_send_two_links_and_list_one(notify_app, notify, staff, admin):
    turn_on(notify_app, staff)
    page = admin.get(upload(admin, THREE_CLOSED))
    assert [sent["phone_number"] for sent in notify.sent("sms")] == ["07700900982"]
    assert [sent["email_address"] for sent in notify.sent("email")] == ["Family@Example.com"]
    result = page.select_one("#post-closure-result").get_text(" ", strip=True)
    assert result.startswith("3 newly closed cases found; 3 chosen (every one, seed ")
    assert result.endswith(
        "2 sent their links by text message or email, 1 listed for its worker on the Invitations page."
    )
    qa = "qa@example.gov.uk"
    assert made(notify_app) == [("EH-1", "closure", "closure", qa), ("EH-2", "closure", "closure", qa)]
    assert list(due_ids(notify_app)) == ["EH-3"]
    # Each link has its one reminder waiting, as from the invitation page.
    assert len([message for message in messages(notify_app) if message.sent_at is None]) == 2


def test_the_contacts_are_nowhere_in_the_database_once_sent_but_in_the_reminder_waiting(
    notify_app, notify, staff, admin
):
    turn_on(notify_app, staff)
    upload(admin, THREE_CLOSED)
    stored = every_stored_value(notify_app)
    # Only the waiting reminders hold them (forgotten once sent, as every family's message is); never the case.
    assert stored.count("07700900982") == 1
    assert stored.count("Family@Example.com") == 1
    assert "07700 900982" not in stored
    for message in messages(notify_app):
        if message.sent_at is not None:
            assert message.recipient == ""


def test_importing_the_same_file_again_sends_and_lists_nothing_new(notify_app, notify, staff, admin):
    turn_on(notify_app, staff)
    upload(admin, THREE_CLOSED)
    upload(admin, THREE_CLOSED)
    assert len(notify.sent("sms")) + len(notify.sent("email")) == 2
    assert len(made(notify_app)) == 2
    assert list(due_ids(notify_app)) == ["EH-3"]


def test_the_worker_makes_the_listed_link_once_and_the_case_leaves_the_list(notify_app, notify, staff, admin, worker):
    turn_on(notify_app, staff)
    upload(admin, THREE_CLOSED)
    page = worker.get("/invitations")
    section = page.select_one("#post-closure").find_next("table")
    assert [cell.get_text(strip=True) for cell in section.select("tbody td")[:2]] == ["EH-3", "Ashford Early Help Unit"]
    form = section.select_one("form")
    assert form["action"] == f"/invitations/post-closure/{due_ids(notify_app)['EH-3']}"
    slips = post_page(worker, form["action"], {})
    assert slips.h1.get_text(strip=True) == "Invitation made"
    [slip] = slips.select(".qaf-slip")
    assert "Case EH-3, Ashford Early Help Unit, closure." in slip.get_text(" ", strip=True)
    assert made(notify_app)[-1] == ("EH-3", "closure", "closure", "worker@example.gov.uk")
    assert worker.get("/invitations").select_one("#post-closure") is None
    again = worker.client.post(form["action"])
    assert again.status_code == 404
    assert len(made(notify_app)) == 3


def test_texting_a_listed_case_from_the_invitation_page_takes_it_off_the_list(notify_app, notify, staff, admin, worker):
    turn_on(notify_app, staff)
    upload(admin, THREE_CLOSED)
    link = worker.get("/invitations").select_one("#post-closure").find_next("table").select_one("a.govuk-link")
    page = worker.get(link["href"])
    assert page.select_one("input[name=case_reference]")["value"] == "EH-3"
    assert page.select_one("input[name=stage][value=closure]").has_attr("checked")
    data = {
        "case_reference": "EH-3",
        "stage": "closure",
        "team": page.select_one("select[name=team] option[selected]")["value"],
        "form": "closure",
        "send_by": "sms",
        "mobile": "07700 900983",
    }
    post_page(worker, "/invitations/new", data)
    assert [sent["phone_number"] for sent in notify.sent("sms")] == ["07700900982", "07700900983"]
    assert due_ids(notify_app) == {}


def test_another_teams_worker_neither_sees_nor_makes_the_listed_link(notify_app, notify, staff, admin):
    turn_on(notify_app, staff)
    upload(admin, THREE_CLOSED)
    other = ClientRequest(notify_app.test_client()).login(staff["other_auditor"]["email"])
    assert other.get("/invitations").select_one("#post-closure") is None
    response = other.client.post(f"/invitations/post-closure/{due_ids(notify_app)['EH-3']}")
    assert response.status_code == 403
    assert list(due_ids(notify_app)) == ["EH-3"]
    assert len(made(notify_app)) == 2


def test_the_worker_process_sends_the_links_as_its_import_finishes_not_at_the_next_sweep(notify_app, notify, staff):
    from pathlib import Path

    from qaf.models import CaseImport
    from qaf.programme.case_imports import run_case_import, upload_path

    turn_on(notify_app, staff)
    with notify_app.app_context():  # as in `flask qaf worker`: no request, no command around the job
        record = CaseImport(created_by_id=staff["qa_admin"]["id"], filename="cases.csv")
        db.session.add(record)
        db.session.commit()
        Path(notify_app.config["CASE_IMPORT_FOLDER"]).mkdir(parents=True)
        upload_path(record.id).write_bytes(THREE_CLOSED)
        run_case_import(record.id)
    assert len(notify.sent("sms")) + len(notify.sent("email")) == 2
