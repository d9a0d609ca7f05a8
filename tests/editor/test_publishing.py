"""Publishing a draft: a new numbered version, answered from the next page load on every app server."""

import io
from datetime import UTC, datetime

import openpyxl
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, FormPublication, FormVersion, Response
from qaf.reports.collect import collect_report
from qaf.reports.periods import parse_period
from qaf.reports.workbook import build_workbook
from tests.conftest import ClientRequest, error_summary, make_app
from tests.editor.conftest import posted_question, revision, start_draft
from tests.reports.conftest import FAMILY_ANSWERS

FAMILY = "/admin/forms/family"
FIRST_QUESTION = f"{FAMILY}/draft/sections/0/questions/0"
ANSWERS = FAMILY_ANSWERS | {"stage": "closure"}


def reword(client: ClientRequest, label: str) -> None:
    start_draft(client, "family")
    data = posted_question(client.get(FIRST_QUESTION)) | {"label": label}
    client.post(FIRST_QUESTION, data, _expected_redirect=f"{FAMILY}/draft")


def publish(client: ClientRequest, app) -> None:
    client.post(f"{FAMILY}/draft/publish", {"revision": revision(app, "family")}, _expected_redirect=FAMILY)


def test_publishing_makes_version_2_after_the_files_version_1_answered_at_once_and_logged(app, admin, staff):
    reword(admin, "Who is answering?")
    page = admin.get(f"{FAMILY}/draft/publish")
    assert page.find("h2", string="Changes in this version")
    assert any("Who is answering?" in item.get_text() for item in page.select("main ul.govuk-list li"))
    publish(admin, app)
    assert "Who is answering?" in admin.client.get("/feedback/family").get_data(as_text=True)
    page = admin.get(FAMILY)
    # The file is version 1: the first version published is 2, so the two are never both called 1.
    assert "Version 2, published by Quinn Admin" in page.get_text()
    assert page.find("a", string="Version 2")
    with app.app_context():
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "form_published"))
        assert event.actor_email == "qa@example.gov.uk"
        assert "version 2" in event.description


def test_a_response_to_a_published_version_records_its_snapshot(app, admin):
    reword(admin, "Who is answering?")
    publish(admin, app)
    admin.client.post("/feedback/family?team=ashford-ehu", data=ANSWERS)
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response is not None
        publication = db.session.scalar(select(FormPublication))
        assert response.form_version.digest == publication.digest
        assert response.form_version.as_spec().questions[0].label == "Who is answering?"


def test_a_second_publish_makes_version_3_and_both_stay_listed(app, admin):
    reword(admin, "Who is answering?")
    publish(admin, app)
    reword(admin, "Who is giving feedback?")
    publish(admin, app)
    assert "Who is giving feedback?" in admin.client.get("/feedback/family").get_data(as_text=True)
    page = admin.get(f"{FAMILY}/versions/2")
    assert "Who is answering?" in page.get_text()
    assert "cannot be changed" in page.get_text()
    # Version 3 is told apart from the one published before it.
    page = admin.get(f"{FAMILY}/versions/3")
    assert page.find("h2", string="Changes since version 2")
    with app.app_context():
        numbers = db.session.scalars(select(FormPublication.number).order_by(FormPublication.number)).all()
        assert numbers == [2, 3]


def test_another_app_server_on_the_same_database_answers_the_new_version_without_a_restart(app, admin, tmp_path):
    other_server = make_app(tmp_path)
    assert "Who is filling in this form?" in other_server.test_client().get("/feedback/family").get_data(as_text=True)
    reword(admin, "Who is answering?")
    publish(admin, app)
    assert "Who is answering?" in other_server.test_client().get("/feedback/family").get_data(as_text=True)
    # Its connections closed here: left to the garbage collector, PostgreSQL's warn in a later test.
    with other_server.app_context():
        db.engine.dispose()


def test_a_published_version_cannot_be_edited_only_a_new_draft_made_from_it(app, admin):
    reword(admin, "Who is answering?")
    publish(admin, app)
    # The draft is gone with the publish: its pages are not found, and a post changes nothing.
    admin.get(FIRST_QUESTION, _expected_status=404)
    admin.client.post(FIRST_QUESTION, data={"label": "Changed after publishing", "required": "yes", "revision": "2"})
    page = admin.get(f"{FAMILY}/versions/2")
    assert not page.select("input[name=label]")
    admin.post(f"{FAMILY}/versions/2/draft", {}, _expected_redirect=f"{FAMILY}/draft")
    data = posted_question(admin.get(FIRST_QUESTION)) | {"label": "Changed in the new draft"}
    admin.post(FIRST_QUESTION, data, _expected_redirect=f"{FAMILY}/draft")
    with app.app_context():
        (publication,) = db.session.scalars(select(FormPublication))
        assert publication.definition["sections"][0]["questions"][0]["label"] == "Who is answering?"


def test_the_check_page_lists_every_problem_in_plain_words_linked_to_its_question(app, admin):
    start_draft(admin, "family")
    data = posted_question(admin.get(FIRST_QUESTION)) | {"options": "", "positive": "maybe"}
    admin.post(FIRST_QUESTION, data, _expected_redirect=f"{FAMILY}/draft")
    page = admin.get(f"{FAMILY}/draft/check")
    problems = error_summary(page)
    assert len(problems) >= 2
    assert all(link == FIRST_QUESTION for _text, link in problems)
    assert all(text.startswith("Section 1, question 1: ") for text, _link in problems)
    assert not any("YAML" in text or "options:" in text for text, _link in problems)
    # A draft with problems is neither previewed nor published.
    assert admin.client.get(f"{FAMILY}/draft/preview").headers["Location"] == f"{FAMILY}/draft/check"
    admin.post(
        f"{FAMILY}/draft/publish", {"revision": revision(app, "family")}, _expected_redirect=f"{FAMILY}/draft/check"
    )
    with app.app_context():
        assert db.session.scalar(select(FormPublication)) is None


def test_the_preview_shows_the_family_form_with_the_draft_and_stores_nothing(app, admin):
    reword(admin, "Who is answering?")
    page = admin.get(f"{FAMILY}/draft/preview")
    assert page.h1.get_text() == "Tell us about the help your family has had"
    assert "Who is answering?" in page.get_text()
    assert "This is a preview of the draft" in page.get_text()
    page = admin.post(f"{FAMILY}/draft/preview", ANSWERS | {"team": "ashford-ehu"}, _expected_status=200)
    assert "Nothing was kept" in page.get_text()
    with app.app_context():
        assert db.session.scalar(select(Response)) is None
        assert db.session.scalar(select(FormVersion)) is None


def test_an_audit_template_previews_as_the_auditor_sees_it(app, admin):
    start_draft(admin, "ehat-quality-audit")
    page = admin.get("/admin/forms/ehat-quality-audit/draft/preview")
    assert "Submit audit" in page.select_one("main form button").get_text()
    assert "This is a preview of the draft of an audit template" in page.get_text()


def test_answers_to_the_old_and_new_versions_export_side_by_side(app, admin):
    when = datetime(2026, 11, 2, 12, tzinfo=UTC).replace(tzinfo=None)
    admin.client.post("/feedback/family?team=ashford-ehu", data=ANSWERS)
    start_draft(admin, "family")
    admin.post(
        f"{FAMILY}/draft/sections/0/questions/new/yes_no",
        {
            "revision": revision(app, "family"),
            "question_id": "first_time",
            "label": "Is this your first time?",
            "required": "no",
        },
        _expected_redirect=f"{FAMILY}/draft",
    )
    publish(admin, app)
    admin.client.post("/feedback/family?team=ashford-ehu", data=ANSWERS | {"first_time": "yes"})
    with app.app_context():
        db.session.execute(Response.__table__.update().values(submitted_at=when))
        db.session.commit()
        period = parse_period("2026-27 Q3")
        book = openpyxl.load_workbook(io.BytesIO(build_workbook(period, collect_report(period, made_by="Test"))))
    sheet = book["family"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(row for row in rows if "Is this your first time?" in row)
    column = header.index("Is this your first time?")
    answers = [row[column] for row in rows[rows.index(header) + 1 :] if any(row)]
    assert sorted(str(value) for value in answers) == ["None", "Yes"]
    # Each answer names its version as the editor does: the file's 1, the published 2.
    above = rows[rows.index(header) - 1]
    assert above[column] == "Only in version 2"
    versions = [row[header.index("Version")] for row in rows[rows.index(header) + 1 :] if any(row)]
    assert sorted(versions) == ["1", "2"]


def test_a_draft_with_no_change_says_so_before_and_after_it_is_published(app, admin):
    reword(admin, "Who is answering?")
    publish(admin, app)
    start_draft(admin, "family")
    page = admin.get(f"{FAMILY}/draft/publish")
    assert "Nothing has changed: it is the same as the version answered now." in page.get_text()
    publish(admin, app)
    start_draft(admin, "family")
    page = admin.get(f"{FAMILY}/versions/3")
    assert "Nothing has changed: it is the same as version 2." in page.get_text()
    # The form has a draft again: the page says to continue it, and offers no second one.
    assert "This form has a draft already" in page.get_text()
    assert not page.find("button", string=lambda text: "Make a new draft" in (text or ""))
