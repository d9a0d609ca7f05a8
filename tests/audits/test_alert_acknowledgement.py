"""An alert says what kind of concern it is and names no child; each person it was sent to marks it as
seen on the audit's page; one nobody marks within 2 working days goes on to the service manager, and
2 working days after that to the Director, once each."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from qaf.audits.alert_escalation import escalate_alerts
from qaf.extensions import db
from qaf.models import Alert, OutboxMessage
from qaf.working_days import working_days_after
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.conftest import ClientRequest

FRIDAY = datetime(2026, 12, 4, 10, 30)  # UTC, 10:30am in England


def signed_in(app, email: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(email)


def alerted_audit(app, staff, answers=None, sent=FRIDAY) -> int:
    """An audit of Priya's work, by the QA team, that alerts Alex (her line manager) and Sam (service manager)."""
    qa = signed_in(app, staff["qa_admin"]["email"])
    audit_id = start(qa, staff, case="EH-4004")
    qa.post(f"/audits/{audit_id}/edit", COMPLETE | (answers or {"judgement": "inadequate"}) | {"intent": "submit"})
    with app.app_context():
        db.session.scalars(select(Alert)).one().created_at = sent
        db.session.commit()
    return audit_id


def alert_messages(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.subject.startswith("QAF alert")).order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def run(app, day: date) -> str:
    with app.app_context():
        return escalate_alerts(day)


@pytest.mark.parametrize(
    ("answers", "kind"),
    [({"judgement": "inadequate"}, "Inadequate practice"), ({"safeguarding": "yes"}, "Safeguarding concern")],
)
def test_the_message_says_what_kind_of_concern_it_is_and_names_no_child(app, staff, answers, kind):
    audit_id = alerted_audit(app, staff, answers)
    messages = alert_messages(app)
    assert {message.recipient for message in messages} == {"auditor@example.gov.uk", "sm@example.gov.uk"}
    for message in messages:
        assert message.subject == f"QAF alert: {kind}, audit {audit_id} in Ashford Early Help Unit needs your attention"
        assert message.body.startswith(f"{kind}: audit {audit_id} (Sample case audit) in Ashford Early Help Unit")
        assert "EH-4004" not in message.subject + message.body
        assert "Priya" not in message.body
    page = signed_in(app, staff["service_manager"]["email"]).get(f"/audits/{audit_id}")
    assert f"{kind}. Alert 1 sent" in page.get_text()


def test_the_page_joins_several_reasons_into_one_sentence(app, staff):
    audit_id = alerted_audit(app, staff, {"judgement": "inadequate", "safeguarding": "yes"})
    with app.app_context():
        # As the shipped audit forms write their reasons: each a sentence with its full stop.
        alert = db.session.scalars(select(Alert)).one()
        alert.reasons = "The overall judgement is Inadequate.\nThere are unresolved safeguarding issues."
        db.session.commit()
    text = signed_in(app, staff["service_manager"]["email"]).get(f"/audits/{audit_id}").get_text()
    assert "The overall judgement is Inadequate; There are unresolved safeguarding issues. Told:" in text
    assert ".;" not in text


def test_a_recipient_marks_the_alert_as_seen_and_everyone_who_reads_the_audit_sees_it(app, staff):
    audit_id = alerted_audit(app, staff)
    alex = signed_in(app, staff["auditor"]["email"])
    page = alex.get(f"/audits/{audit_id}")
    assert "Not marked as seen by anyone yet." in page.get_text()
    form = page.select_one("form[action='/alerts/1/seen']")
    assert form.select_one("input[name=csrf_token]") is not None
    assert form.button.get_text(strip=True) == "Mark alert 1 as seen"

    alex.post("/alerts/1/seen", {}, _expected_redirect=f"/audits/{audit_id}")
    page = alex.get(f"/audits/{audit_id}")
    assert "You have marked alert 1 as seen." in page.get_text()
    assert page.select_one("form[action='/alerts/1/seen']") is None, "once"
    alex.post("/alerts/1/seen", {}, _expected_status=403)
    for who in ("service_manager", "practitioner", "qa_admin"):
        page = signed_in(app, staff[who]["email"]).get(f"/audits/{audit_id}")
        seen = [item.get_text(" ", strip=True) for item in page.select("#alert-1 li")]
        assert len(seen) == 1, who
        assert seen[0].startswith("Seen by Alex Auditor at "), who
    # Sam was sent it too, and may still mark it; Priya and the QA team were not.
    assert (
        signed_in(app, staff["service_manager"]["email"])
        .get(f"/audits/{audit_id}")
        .select_one("form[action='/alerts/1/seen']")
    )


@pytest.mark.parametrize("who", ["practitioner", "qa_admin", "other_auditor"])
def test_someone_it_was_not_sent_to_cannot_mark_it_as_seen(app, staff, who):
    audit_id = alerted_audit(app, staff)
    client = signed_in(app, staff[who]["email"])
    client.post("/alerts/1/seen", {}, _expected_status=403)
    client.post("/alerts/9999/seen", {}, _expected_status=404)
    if who != "other_auditor":
        assert client.get(f"/audits/{audit_id}").select_one("form[action='/alerts/1/seen']") is None
    with app.app_context():
        assert db.session.scalars(select(Alert)).one().seen_by == []


def test_a_friday_alert_nobody_sees_goes_to_the_service_manager_on_wednesday_and_the_director_on_friday(app, staff):
    app.config["DIRECTOR_EMAIL"] = "director@example.gov.uk"
    audit_id = alerted_audit(app, staff)
    first = len(alert_messages(app))
    # Monday and Tuesday are its 2 working days.
    assert run(app, date(2026, 12, 8)).startswith("0 alert(s) sent on to service managers")
    said = run(app, date(2026, 12, 9))
    assert said == "1 alert(s) sent on to service managers; 0 alert(s) sent on to the Director"
    [chased] = alert_messages(app)[first:]
    assert chased.recipient == "sm@example.gov.uk"
    assert chased.subject == (
        f"QAF alert: Inadequate practice, audit {audit_id} in Ashford Early Help Unit has not been marked as seen"
    )
    assert "has not been marked as seen by anyone it was sent to in 2 working days" in chased.body
    assert "Alex Auditor (line manager), Sam Manager (service manager)" in chased.body
    assert "EH-4004" not in chased.body
    assert "Priya" not in chased.body
    assert run(app, date(2026, 12, 9)).startswith("0 alert(s)"), "once"
    assert run(app, date(2026, 12, 10)) == "0 alert(s) sent on to service managers; 0 alert(s) sent on to the Director"

    # 2 more working days (Wednesday, Thursday): the Director on Friday, once.
    assert run(app, date(2026, 12, 11)).endswith("1 alert(s) sent on to the Director")
    assert run(app, date(2026, 12, 14)).endswith("0 alert(s) sent on to the Director")
    assert [message.recipient for message in alert_messages(app)[first:]] == [
        "sm@example.gov.uk",
        "director@example.gov.uk",
    ]
    page = signed_in(app, staff["service_manager"]["email"]).get(f"/audits/{audit_id}")
    said = [item.get_text(" ", strip=True) for item in page.select("#alert-1 li")]
    assert said[0] == "Not marked as seen by anyone yet."
    assert said[1].startswith("Nobody marked it as seen within 2 working days: sent on to the service manager ")
    assert said[2].startswith("Nobody marked it as seen within 4 working days: sent on to the Director ")


def test_an_alert_someone_has_seen_goes_no_further(app, staff):
    app.config["DIRECTOR_EMAIL"] = "director@example.gov.uk"
    alerted_audit(app, staff)
    first = len(alert_messages(app))
    signed_in(app, staff["service_manager"]["email"]).post("/alerts/1/seen", {})
    for day in (9, 11, 14):
        assert run(app, date(2026, 12, day)).startswith("0 alert(s) sent on to service managers; 0 alert(s)")
    assert alert_messages(app)[first:] == []


def test_an_alert_seen_after_the_service_manager_was_told_does_not_go_to_the_director(app, staff):
    app.config["DIRECTOR_EMAIL"] = "director@example.gov.uk"
    alerted_audit(app, staff)
    run(app, date(2026, 12, 9))
    signed_in(app, staff["auditor"]["email"]).post("/alerts/1/seen", {})
    assert run(app, date(2026, 12, 11)).endswith("0 alert(s) sent on to the Director")


def test_without_a_director_address_the_run_says_the_director_was_not_told(app, staff):
    alerted_audit(app, staff)
    said = run(app, date(2026, 12, 11)).splitlines()
    assert said == [
        "1 alert(s) sent on to service managers; 0 alert(s) sent on to the Director",
        "Not sent on: alert 1: DIRECTOR_EMAIL is not set, so the Director was not told",
    ]


def test_working_days_skip_weekends_and_bank_holidays():
    assert working_days_after(date(2026, 12, 4), 2) == date(2026, 12, 8)  # Friday: Monday, Tuesday
    # Christmas Eve 2026: Christmas Day (Friday) and Boxing Day's substitute (Monday 28th) are not counted.
    assert working_days_after(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert working_days_after(date(2027, 3, 25), 1) == date(2027, 3, 30)  # past Good Friday and Easter Monday
