"""A QA administrator changes a form in a draft: nobody answers it until it is published."""

from sqlalchemy import select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import FormDraft
from tests.editor.conftest import posted_question, revision, start_draft

FAMILY = "/admin/forms/family"
FIRST_QUESTION = f"{FAMILY}/draft/sections/0/questions/0"


def test_the_list_shows_every_form_and_template_with_its_version_and_draft(app, admin):
    page = admin.get("/admin/forms")
    rows = {" ".join(row.td.get_text().split()): row for row in page.select("tbody tr")}
    assert "Tell us about the help your family has had" in rows
    assert "Starting version, from its file" in rows["Tell us about the help your family has had"].get_text()
    start_draft(admin, "family")
    page = admin.get("/admin/forms")
    family = next(row for row in page.select("tbody tr") if "family has had" in row.get_text())
    assert "Draft" in family.get_text()


def test_the_first_change_makes_a_draft_from_the_current_version(app, admin):
    page = admin.get(FAMILY)
    assert page.find("button", string="Change this form")
    start_draft(admin, "family")
    page = admin.get(f"{FAMILY}/draft")
    assert page.h1.get_text() == "Draft of Tell us about the help your family has had"
    assert "Who is filling in this form?" in page.get_text()
    with app.app_context():
        draft = db.session.scalar(select(FormDraft))
        assert draft.definition["sections"][0]["questions"][0]["id"] == "who_is_answering"
        assert draft.revision == 1


def test_rewording_a_question_changes_the_draft_and_not_the_form(app, admin):
    start_draft(admin, "family")
    page = admin.get(FIRST_QUESTION)
    data = posted_question(page) | {"label": "Who is answering?", "hint": "Choose one"}
    admin.post(FIRST_QUESTION, data, _expected_redirect=f"{FAMILY}/draft")
    with app.app_context():
        raw = db.session.scalar(select(FormDraft)).definition["sections"][0]["questions"][0]
        assert raw["label"] == "Who is answering?"
        assert raw["hint"] == "Choose one"
        # Kept as they were: the page did not change them.
        assert raw["thing"] == "who is filling in this form"
        assert raw["options"][4]["hint"] == "For example, a grandparent or family friend"
        with app.test_request_context():
            assert all_forms()["family"].questions[0].label == "Who is filling in this form?"
    assert "Who is filling in this form?" in admin.client.get("/feedback/family").get_data(as_text=True)


def test_a_question_without_its_label_is_refused_with_an_error_and_nothing_saved(app, admin):
    start_draft(admin, "family")
    data = posted_question(admin.get(FIRST_QUESTION)) | {"label": ""}
    page = admin.post(FIRST_QUESTION, data, _expected_status=200)
    assert page.select_one(".govuk-error-summary a").get_text().strip() == "Enter the question"
    assert revision(app, "family") == 1
