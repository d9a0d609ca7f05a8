"""Two QA administrators editing the same draft: the later save, made on an older page, is refused."""

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import FormDraft, User
from tests.conftest import ClientRequest
from tests.editor.conftest import posted_question, revision, start_draft

FAMILY = "/admin/forms/family"
FIRST_QUESTION = f"{FAMILY}/draft/sections/0/questions/0"


def second_admin(app) -> ClientRequest:
    from qaf.auth.passwords import hash_password
    from tests.conftest import PASSWORD

    with app.app_context():
        db.session.add(
            User(
                email="qa2@example.gov.uk", name="Robin Second", role="qa_admin", password_hash=hash_password(PASSWORD)
            )
        )
        db.session.commit()
    return ClientRequest(app.test_client()).login("qa2@example.gov.uk")


def test_a_save_on_a_page_opened_before_someone_elses_change_is_refused_and_overwrites_nothing(app, admin):
    start_draft(admin, "family")
    other = second_admin(app)
    mine = posted_question(admin.get(FIRST_QUESTION))
    theirs = posted_question(other.get(FIRST_QUESTION))
    other.post(FIRST_QUESTION, theirs | {"label": "Robin's wording"}, _expected_redirect=f"{FAMILY}/draft")
    admin.post(FIRST_QUESTION, mine | {"label": "Quinn's wording"}, _expected_redirect=f"{FAMILY}/draft")
    page = admin.get(f"{FAMILY}/draft")
    banner = page.select_one(".govuk-notification-banner").get_text()
    assert "Someone else changed this draft since you opened it: Robin Second saved it on" in banner
    assert "your change was not saved" in banner
    with app.app_context():
        draft = db.session.scalar(select(FormDraft))
        assert draft.definition["sections"][0]["questions"][0]["label"] == "Robin's wording"
        assert draft.revision == 2


def test_publishing_a_draft_changed_since_the_publish_page_opened_is_refused(app, admin):
    start_draft(admin, "family")
    opened_at = revision(app, "family")
    other = second_admin(app)
    other.post(
        FIRST_QUESTION,
        posted_question(other.get(FIRST_QUESTION)) | {"label": "Changed"},
        _expected_redirect=f"{FAMILY}/draft",
    )
    admin.post(f"{FAMILY}/draft/publish", {"revision": opened_at}, _expected_redirect=f"{FAMILY}/draft")
    assert "Someone else changed this draft" in admin.get(f"{FAMILY}/draft").get_text()
    assert "Who is filling in this form?" in admin.client.get("/feedback/family").get_data(as_text=True)
