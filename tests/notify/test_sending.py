"""Email and text messages through GOV.UK Notify (its stand-in): templates, the key, failures and retries,
delivery read back, and a worker that dies mid-send."""

import socket
from datetime import timedelta

import pytest
from sqlalchemy import update

from qaf.extensions import db
from qaf.mail import MAX_ATTEMPTS, RETRY_AFTER_SECONDS, deliver_outbox, send_email
from qaf.models import OutboxMessage, utc_now
from tests.conftest import ClientRequest
from tests.notify.conftest import messages, post_page, run_scheduled, scheduled_retries
from tests.notify_stand_in import SERVICE_ID, TEMPLATE_EMAIL, use_notify


def write_email(app, recipient="lead@example.gov.uk", subject="An audit was submitted", body="Read it in QAF.") -> int:
    with app.app_context():
        message = send_email(recipient, subject, body)
        db.session.commit()
        return message.id


def outbox_states(app, staff) -> dict[str, str]:
    page = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"]).get("/admin/outbox")
    return {
        heading.get_text(strip=True): " ".join(heading.find_next("p").get_text().split())
        for heading in page.select("h2")
    }


def test_an_email_goes_through_notify_with_the_email_template_its_subject_and_body(notify_app, notify):
    message_id = write_email(notify_app)
    with notify_app.app_context():
        assert str(deliver_outbox([message_id])) == "1 sent, 0 failed of 1 to send"
    [sent] = notify.sent("email")
    assert sent["template_id"] == TEMPLATE_EMAIL
    assert sent["email_address"] == "lead@example.gov.uk"
    assert sent["personalisation"] == {"subject": "An audit was submitted", "body": "Read it in QAF."}
    assert sent["reference"] == f"qaf-outbox-{message_id}"
    [message] = messages(notify_app)
    assert message.sent_at is not None
    assert message.notify_id == sent["id"]


def test_an_email_a_page_writes_is_sent_by_the_job_queue_after_the_page(notify_app, notify, staff):
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    post_page(admin, f"/admin/people/{staff['auditor']['id']}/send-set-password-link", {}, status=302)
    [sent] = notify.sent("email")
    assert sent["email_address"] == staff["auditor"]["email"]
    assert "set-password" in sent["personalisation"]["body"]


def test_a_bad_key_is_refused_with_403_and_the_message_shown_failed_on_the_outbox(notify_app, notify, staff):
    wrong_secret = "11111111-2222-4333-8444-555555555555"
    use_notify(notify_app, notify, api_key=f"qaf_tests-{SERVICE_ID}-{wrong_secret}")
    message_id = write_email(notify_app)
    with notify_app.app_context():
        deliver_outbox([message_id])
    assert [request.status for request in notify.requests] == [403]
    assert notify.sent() == []
    assert scheduled_retries(notify_app) == [], "a bad key is not tried again"
    state = outbox_states(notify_app, staff)["An audit was submitted"]
    assert state.startswith("Failed To lead@example.gov.uk")
    assert "Notify answered 403: AuthError: Invalid token" in state
    assert state.endswith("it will not be tried again")


def test_a_key_for_another_service_is_refused(notify_app, notify):
    other_service = "99999999-8888-4777-8666-555555555555"
    use_notify(notify_app, notify, api_key=f"qaf_tests-{other_service}-0d9b1f5e-2c4a-4e8b-b7a6-5f3e9c1d2a40")
    with notify_app.app_context():
        deliver_outbox([write_email(notify_app)])
    assert [request.status for request in notify.requests] == [403]


@pytest.mark.parametrize("failure", ["rate_limit", "daily_limit", "server_error"])
def test_a_failure_that_may_pass_is_tried_again_after_a_wait_and_sent_once(notify_app, notify, staff, failure):
    notify.fail_next(1, failure)
    first, second = write_email(notify_app, subject="First"), write_email(notify_app, subject="Second")
    with notify_app.app_context():
        delivery = deliver_outbox([first, second])
    assert (delivery.sent, delivery.failed, delivery.left) == (0, 1, 1), "the rest wait rather than hit the limit"
    [(name, arguments, when)] = scheduled_retries(notify_app)
    assert (name, arguments) == ("deliver_outbox", ([first, second], True))
    assert when >= utc_now() + timedelta(seconds=RETRY_AFTER_SECONDS[0] - 5)
    assert outbox_states(notify_app, staff)["First"].endswith(
        f"(attempt 1 of {MAX_ATTEMPTS}; send-outbox will try again)"
    )
    run_scheduled(notify_app)
    assert sorted(sent["personalisation"]["subject"] for sent in notify.sent()) == ["First", "Second"]
    assert all(message.sent_at for message in messages(notify_app))
    # Before trying again, QAF asked Notify whether it had taken the first after all.
    assert [request.method for request in notify.requests] == ["POST", "GET", "POST", "POST"]


def test_each_wait_is_longer_than_the_last(notify_app, notify):
    message_id = write_email(notify_app)
    waits = []
    for _attempt in range(3):
        notify.fail_next(1, "server_error")
        with notify_app.app_context():
            deliver_outbox([message_id], retrying=True)
        [(_name, _arguments, when)] = scheduled_retries(notify_app)
        waits.append(when)
        notify_app.extensions["qaf_jobs"].queue.flush()
    assert waits == sorted(waits)
    assert len(set(waits)) == 3


def test_notify_out_of_reach_is_a_failure_that_may_pass(notify_app):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    notify_app.config["NOTIFY_BASE_URL"] = f"http://127.0.0.1:{port}"
    message_id = write_email(notify_app)
    with notify_app.app_context():
        deliver_outbox([message_id])
    [message] = messages(notify_app)
    assert message.error.startswith("attempt 1 failed: Notify answered 503")
    assert len(scheduled_retries(notify_app)) == 1


def test_a_message_notify_refuses_as_invalid_is_failed_for_good(notify_app, notify, staff):
    notify.fail_next(1, "bad_phone_number")
    message_id = write_email(notify_app, subject="Refused")
    with notify_app.app_context():
        deliver_outbox([message_id])
    assert scheduled_retries(notify_app) == []
    state = outbox_states(notify_app, staff)["Refused"]
    assert "Notify answered 400: ValidationError: phone_number Not a UK mobile number" in state
    with notify_app.app_context():
        assert str(deliver_outbox()) == "0 sent, 0 failed of 0 to send", "send-outbox leaves it too"


def test_delivery_is_read_back_from_notify_and_shown_on_the_outbox(notify_app, notify, staff):
    delivered, bounced, travelling = (write_email(notify_app, subject=subject) for subject in ("A", "B", "C"))
    with notify_app.app_context():
        deliver_outbox([delivered, bounced, travelling])
    ids = {sent["personalisation"]["subject"]: sent["id"] for sent in notify.sent()}
    notify.set_status(ids["A"], "delivered")
    notify.set_status(ids["B"], "permanent-failure")
    notify.set_status(ids["C"], "sending")
    admin = ClientRequest(notify_app.test_client()).login(staff["qa_admin"]["email"])
    admin.post("/admin/outbox/deliveries", {}, _expected_redirect="/admin/outbox")
    states = outbox_states(notify_app, staff)
    assert states["A"].startswith("Delivered To lead@example.gov.uk")
    assert states["B"].startswith("Failed To lead@example.gov.uk")
    assert states["B"].endswith("not delivered: the number or address may not exist")
    assert states["C"].startswith("Sent To")
    result = notify_app.test_cli_runner().invoke(args=["qaf", "send-outbox"])
    assert result.output.splitlines()[-1] == "0 delivery status(es) read from GOV.UK Notify"


def _as_if_a_worker_died_sending(app, message_id: int, minutes_ago: int) -> None:
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                sent_at=None,
                notify_id=None,
                error="sending: attempt 1",
                claimed_at=utc_now() - timedelta(minutes=minutes_ago),
            )
        )
        db.session.commit()


def test_a_worker_killed_after_notify_took_the_message_does_not_send_it_twice(notify_app, notify):
    message_id = write_email(notify_app)
    with notify_app.app_context():
        deliver_outbox([message_id])
    _as_if_a_worker_died_sending(notify_app, message_id, minutes_ago=11)
    result = notify_app.test_cli_runner().invoke(args=["qaf", "send-outbox"])
    assert result.output.startswith("1 sent, 0 failed of 1 to send")
    [sent] = notify.sent()
    [message] = messages(notify_app)
    assert message.sent_at is not None
    assert message.notify_id == sent["id"]


def test_a_worker_killed_before_notify_took_the_message_sends_it_once_on_the_next_run(notify_app, notify):
    message_id = write_email(notify_app)
    _as_if_a_worker_died_sending(notify_app, message_id, minutes_ago=11)
    for _run in range(2):
        notify_app.test_cli_runner().invoke(args=["qaf", "send-outbox"])
    assert len(notify.sent()) == 1


def test_a_message_a_live_worker_is_sending_is_left_to_it(notify_app, notify):
    message_id = write_email(notify_app)
    _as_if_a_worker_died_sending(notify_app, message_id, minutes_ago=1)
    result = notify_app.test_cli_runner().invoke(args=["qaf", "send-outbox"])
    assert result.output.startswith("0 sent, 0 failed of 0 to send")
    assert notify.sent() == []


def test_notify_is_off_until_its_key_and_templates_are_set(tmp_path, monkeypatch):
    from qaf.config import load_config
    from qaf.notify import sends_email, sends_text_messages

    for name in ("NOTIFY_API_KEY", "NOTIFY_TEMPLATE_EMAIL", "NOTIFY_TEMPLATE_SMS", "NOTIFY_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(tmp_path)
    assert config["NOTIFY_BASE_URL"] == "https://api.notifications.service.gov.uk"
    assert (sends_email(config), sends_text_messages(config)) == (False, False)
    monkeypatch.setenv("NOTIFY_API_KEY", "key")
    monkeypatch.setenv("NOTIFY_TEMPLATE_SMS", "template")
    config = load_config(tmp_path)
    assert (sends_email(config), sends_text_messages(config)) == (False, True)
