"""The practitioner whose work is audited is told when the audit starts and when it is submitted, and adds
their comments to it until it is moderated (seed 004's collaborative practice evaluation)."""

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import AuditComment, OutboxMessage, User
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.conftest import PASSWORD, ClientRequest, error_summary


def messages_to(app, email: str) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def signed_in(app, email: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(email)


def another_practitioner(app, staff) -> str:
    """Pat, a practitioner in Priya's team."""
    from qaf.auth.passwords import hash_password

    with app.app_context():
        team = db.session.get(User, staff["practitioner"]["id"]).team
        person = User(email="pat@example.gov.uk", name="Pat Other", role="practitioner", team=team)
        person.password_hash = hash_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
    return "pat@example.gov.uk"


def comments_stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditComment))


def test_the_practitioner_is_told_once_when_the_audit_starts_and_once_when_it_is_submitted(app, staff):
    auditor = signed_in(app, staff["auditor"]["email"])
    audit_id = start(auditor, staff, case="EH-1001")
    auditor.post(f"/audits/{audit_id}/edit", {"a1": "met", "intent": "draft"})
    [started] = messages_to(app, "worker@example.gov.uk")
    assert started.subject == "QAF: an audit of your work has started"
    assert f"Alex Auditor has started Audit {audit_id} (Sample case audit) in Ashford Early Help Unit" in started.body
    assert f"/audits/{audit_id}/comments" in started.body

    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    started_again, submitted = messages_to(app, "worker@example.gov.uk")
    assert started_again.id == started.id
    assert submitted.subject == "QAF: an audit of your work has been submitted"
    assert (
        f"Alex Auditor has submitted Audit {audit_id} (Sample case audit) in Ashford Early Help Unit" in submitted.body
    )
    assert submitted.body.rstrip().endswith(f"/audits/{audit_id}")
    for message in (started, submitted):
        assert "EH-1001" not in message.subject + message.body, "named by number and team, never by the case"


def test_nobody_is_told_of_an_audit_with_no_practitioner(app, staff):
    auditor = signed_in(app, staff["auditor"]["email"])
    audit_id = start(auditor, {"practitioner": {"id": ""}}, case="EH-1002")
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    assert messages_to(app, "worker@example.gov.uk") == []


def test_the_practitioner_comments_while_the_audit_is_in_progress_and_after_until_it_is_moderated(app, staff):
    auditor = signed_in(app, staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    worker = signed_in(app, staff["practitioner"]["email"])

    # In progress: she sees the audit is under way, and her comments page, but not the draft's answers.
    audits = worker.get("/audits")
    link = audits.select_one(f"a[href='/audits/{audit_id}/comments']")
    assert link is not None, "listed under Audits of your work in progress"
    worker.get(f"/audits/{audit_id}", _expected_status=403)
    page = worker.get(f"/audits/{audit_id}/comments")
    assert "The auditor's answers are shown to you once the audit is submitted" in page.get_text()
    assert "No comments yet." in page.get_text()
    worker.post(
        f"/audits/{audit_id}/comments",
        {"comment": "The family asked for evening visits.\nThe plan was changed."},
        _expected_redirect=f"/audits/{audit_id}/comments",
    )
    page = worker.get(f"/audits/{audit_id}/comments")
    comment = page.select_one("#comments + ul li")
    assert "Priya Worker (practitioner)," in comment.get_text()
    assert "The family asked for evening visits.\nThe plan was changed." in comment.get_text()

    # The auditor is pointed to the comments from the draft, and answers.
    assert "Comments on this audit (1)" in auditor.get(f"/audits/{audit_id}/edit").get_text()
    auditor.post(f"/audits/{audit_id}/comments", {"comment": "Thank you: I have added it to the evidence."})

    # Submitted: the comments are on the audit page, with the form for her.
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    worker.post(
        f"/audits/{audit_id}/comments",
        {"comment": "I agree with the grade."},
        _expected_redirect=f"/audits/{audit_id}#comments",
    )
    page = worker.get(f"/audits/{audit_id}")
    said = [item.get_text(" ", strip=True) for item in page.select("#comments + ul li")]
    assert [text.split(", ")[0] for text in said] == [
        "Priya Worker (practitioner)",
        "Alex Auditor (auditor)",
        "Priya Worker (practitioner)",
    ]
    assert said[2].endswith("I agree with the grade.")
    assert page.select_one("form[action$='/comments'] textarea#comment")
    # Whoever reads the audit reads the comments, without the form.
    manager = signed_in(app, staff["service_manager"]["email"]).get(f"/audits/{audit_id}")
    assert "I agree with the grade." in manager.get_text()
    assert manager.select_one("textarea#comment") is None

    # Moderated: the comments stay; no more are added.
    signed_in(app, staff["service_manager"]["email"]).post(
        f"/audits/{audit_id}/moderate", {"outcome": "agree", "comment": "Agreed."}
    )
    page = worker.get(f"/audits/{audit_id}")
    assert page.select_one("textarea#comment") is None
    assert "no more comments can be added" in page.get_text()
    worker.post(f"/audits/{audit_id}/comments", {"comment": "One more thing"}, _expected_status=403)
    assert comments_stored(app) == 3


def test_a_comment_must_be_written(app, staff):
    audit_id = start(signed_in(app, staff["auditor"]["email"]), staff)
    worker = signed_in(app, staff["practitioner"]["email"])
    page = worker.post(f"/audits/{audit_id}/comments", {"comment": "  "}, _expected_status=200)
    assert error_summary(page) == [("Enter your comment", "#comment")]
    assert comments_stored(app) == 0


def test_another_practitioner_neither_sees_nor_comments_on_the_audit(app, staff):
    auditor = signed_in(app, staff["auditor"]["email"])
    audit_id = start(auditor, staff)
    other = signed_in(app, another_practitioner(app, staff))
    other.get(f"/audits/{audit_id}/comments", _expected_status=403)
    other.post(f"/audits/{audit_id}/comments", {"comment": "Not mine"}, _expected_status=403)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    other.get(f"/audits/{audit_id}", _expected_status=403)
    other.get(f"/audits/{audit_id}/comments", _expected_status=403)
    other.post(f"/audits/{audit_id}/comments", {"comment": "Not mine"}, _expected_status=403)
    assert "Audits of your work" not in other.get("/audits").get_text()
    other.get("/audits/9999/comments", _expected_status=404)
    assert comments_stored(app) == 0
