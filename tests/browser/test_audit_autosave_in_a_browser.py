"""An auditor in a real browser: the draft saves itself as they type; the timeout warning lets them stay signed in."""

import pytest
from playwright.sync_api import Page, expect

from qaf.audits.workflow import start_audit
from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Audit, User

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


@pytest.fixture
def audit_page(live_site, desktop: Page) -> tuple[Page, int]:
    """Alex signed in, with a draft of the Early Help Assessment audit open."""
    with live_site.app.app_context():
        auditor = User(
            email="auditor@example.gov.uk",
            name="Alex Auditor",
            role="auditor",
            team_id=1,
            password_hash=hash_password(PASSWORD),
        )
        db.session.add(auditor)
        db.session.flush()
        spec = all_forms()["ehat-quality-audit"]
        audit_id = start_audit(spec, case_reference="EH-1001", team_id=1, practitioner_id=None, auditor=auditor).id
        db.session.commit()
    desktop.goto("/sign-in")
    desktop.fill("#email", "auditor@example.gov.uk")
    desktop.fill("#password", PASSWORD)
    desktop.click("button:has-text('Sign in')")
    desktop.wait_for_url("**/staff")
    return desktop, audit_id


def saved_answers(live_site, audit_id: int) -> dict:
    with live_site.app.app_context():
        return dict(db.session.get_one(Audit, audit_id).answers)


def test_the_draft_saves_itself_as_the_auditor_types(live_site, audit_page):
    page, audit_id = audit_page
    live_site.app.config["AUTOSAVE_SECONDS"] = 0.5
    page.goto(f"/audits/{audit_id}/edit")
    page.check("input[name=assessment_1][value=partly_met]")
    page.fill("#assessment_1_evidence", "The seven stages are there; next steps are thin")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at")
    assert saved_answers(live_site, audit_id) == {
        "assessment_1": "partly_met",
        "assessment_1_evidence": "The seven stages are there; next steps are thin",
    }
    # Typing more saves again; the page never left.
    with page.expect_response("**/autosave") as reply:
        page.fill("#theme", "Drift")
    assert reply.value.ok
    assert saved_answers(live_site, audit_id)["theme"] == "Drift"
    page.reload()
    expect(page.locator("#theme")).to_have_value("Drift")


def test_the_timeout_warning_is_accessible_and_staying_signed_in_closes_it(live_site, audit_page, assert_accessible):
    page, audit_id = audit_page
    # Warn a second or so after the page opens, instead of two minutes before a 30-minute timeout.
    live_site.app.config["SESSION_WARNING_MINUTES"] = live_site.app.config["SESSION_IDLE_MINUTES"] - 0.02
    page.goto(f"/audits/{audit_id}/edit")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible()
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    assert_accessible(page)
    with page.expect_response("**/session/keep-alive") as reply:
        page.keyboard.press("Enter")
    assert reply.value.ok
    assert reply.value.json()["seconds_left"] > 29 * 60
    expect(dialog).to_be_hidden()
