"""Issue 12: a mail server that accepts the connection and never answers once kept an Inadequate
audit a draft, gave its auditor a 500 after half a minute and, on SQLite, held the write lock
so that families got 500s too. The audit is stored first; the alerts go after the page has."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Alert, OutboxMessage, Response
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start, stored_audit
from tests.public.test_feedback_form import VALID_FAMILY
from tests.smtp import stuck_mail_server, use_mail_server


@pytest.fixture
def stuck_server() -> Iterator[Any]:
    with stuck_mail_server() as server:
        yield server


def test_a_stuck_mail_server_keeps_neither_an_inadequate_audit_nor_a_family_waiting(
    app, client_request, staff, stuck_server
):
    use_mail_server(app, stuck_server)
    client_request.login(staff["qa_admin"]["email"])
    # An audit with no practitioner named: the alert is the only mail (a practitioner is told of the audit too).
    audit_id = start(client_request, {"practitioner": {"id": ""}}, case="EH-3003")
    submitted: dict[str, Any] = {}

    def submit() -> None:
        # buffered: the test client closes the response, as a server does once it has sent it.
        submitted["response"] = client_request.client.post(
            f"/audits/{audit_id}/edit", data=COMPLETE | {"judgement": "inadequate", "intent": "submit"}, buffered=True
        )

    auditor = threading.Thread(target=submit)
    auditor.start()
    assert stuck_server.connected.wait(timeout=30), "the alert was never sent"

    # While QAF waits for the mail server, the audit and its alert are already stored ...
    assert stored_audit(app, audit_id).status == "submitted"
    with app.app_context():
        alert = db.session.scalars(select(Alert)).one()
        assert len(alert.recipients) == 2
    # ... and a family's feedback is taken.
    family = app.test_client()
    response = family.post("/feedback/family", data=VALID_FAMILY)
    assert (response.status_code, response.headers["Location"]) == (302, "/feedback/family/thank-you")
    assert "Thank you" in family.get("/feedback/family/thank-you").get_data(as_text=True)

    auditor.join(timeout=30)
    assert not auditor.is_alive()
    response = submitted["response"]
    assert (response.status_code, response.headers["Location"]) == (302, f"/audits/{audit_id}")
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is not None
        first, second = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        # The first alert waited its second and failed; the second is left for send-outbox
        # rather than costing another timeout.
        assert first.sent_at is None
        assert first.error.startswith("attempt 1 failed: ")
        assert "timed out" in first.error
        assert (second.sent_at, second.error) == (None, "")
    page = client_request.get("/admin/outbox")
    tags = [tag.get_text(strip=True) for tag in page.select("h2 + p .govuk-tag")]
    assert sorted(tags) == ["Failed", "Queued"]
