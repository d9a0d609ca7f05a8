"""A practitioner's comments on an audit of their work, and an alert marked as seen, in a real browser:
with the keyboard, with JavaScript off, and checked with axe-core (WCAG 2.2 AA) including the error state."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Alert, AlertRecipient, Audit, User, utc_now
from qaf.responses import ensure_form_version
from tests.browser.test_programme_in_a_browser import PASSWORD, check, check_errors, sign_in

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/workflow")


def shot(page: Page, name: str) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def add_audits(app) -> dict[str, int]:
    """Alex (auditor) has a draft and a submitted practice evaluation of Priya's work; the submitted one
    alerted Alex, her line manager, and Sam, the service manager."""
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        alex = User(email="auditor@example.gov.uk", name="Alex Auditor", role="auditor", team_id=1)
        priya = User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team_id=1)
        sam = User(email="sm@example.gov.uk", name="Sam Manager", role="service_manager", team_id=1)
        for person in (alex, priya, sam):
            person.password_hash = password_hash
        priya.line_manager = alex
        db.session.add_all([alex, priya, sam])
        db.session.flush()
        common = {
            "form_key": "practice-evaluation",
            "form_version_id": ensure_form_version(all_forms()["practice-evaluation"]),
            "case_reference": "DEMO-00003",
            "team_id": 1,
            "auditor_id": alex.id,
            "practitioner_id": priya.id,
            "answers": {},
        }
        draft = Audit(**common)
        submitted = Audit(**common, status="submitted", grade="inadequate", submitted_at=utc_now())
        db.session.add_all([draft, submitted])
        db.session.flush()
        alert = Alert(
            audit_id=submitted.id,
            reasons="The practice evaluation found inadequate practice",
            concerns="Inadequate practice",
        )
        alert.recipients = [
            AlertRecipient(user_id=alex.id, email=alex.email, why="line manager"),
            AlertRecipient(user_id=sam.id, email=sam.email, why="service manager"),
        ]
        db.session.add(alert)
        db.session.commit()
        return {"draft": draft.id, "submitted": submitted.id}


def test_a_practitioner_comments_with_the_keyboard_and_the_pages_are_accessible(live_site, desktop, assert_accessible):
    ids = add_audits(live_site.app)
    page = sign_in(desktop, "worker@example.gov.uk")
    check(page, assert_accessible, "/audits", "Audits")
    check(page, assert_accessible, f"/audits/{ids['draft']}/comments", f"Comments on audit {ids['draft']}")
    check_errors(page, assert_accessible, "Add comment")
    shot(page, "comments-error")
    page.focus("#comment")
    page.keyboard.type("The family asked for evening visits, so the plan changed.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Priya Worker (practitioner)" in page.locator("#comments + ul").inner_text()
    assert_accessible(page)
    shot(page, "comments-draft")
    check(page, assert_accessible, f"/audits/{ids['submitted']}", f"Audit {ids['submitted']}")
    shot(page, "audit-page-practitioner")


def test_a_recipient_marks_an_alert_as_seen_with_the_keyboard(live_site, desktop, assert_accessible):
    ids = add_audits(live_site.app)
    page = sign_in(desktop, "auditor@example.gov.uk")
    check(page, assert_accessible, f"/audits/{ids['submitted']}", f"Audit {ids['submitted']}")
    shot(page, "alert-not-seen")
    page.focus("button:has-text('Mark alert 1 as seen')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Seen by Alex Auditor at " in page.locator("#alert-1").inner_text()
    assert page.locator("button:has-text('Mark alert 1 as seen')").count() == 0
    assert_accessible(page)
    shot(page, "alert-seen")


def test_comments_and_marking_an_alert_seen_work_without_javascript(live_site, phone_without_javascript):
    ids = add_audits(live_site.app)
    page = sign_in(phone_without_javascript, "worker@example.gov.uk")
    page.goto(f"/audits/{ids['submitted']}")
    page.fill("#comment", "I agree with the areas for development.")
    page.click("button:has-text('Add comment')")
    page.wait_for_url(f"**/audits/{ids['submitted']}#comments")
    assert "I agree with the areas for development." in page.locator("#comments + ul").inner_text()
    shot(page, "audit-page-phone-no-js")
    page.goto("/staff")
    page.click("button:has-text('Sign out')")
    page = sign_in(page, "sm@example.gov.uk")
    page.goto(f"/audits/{ids['submitted']}")
    page.click("button:has-text('Mark alert 1 as seen')")
    assert "Seen by Sam Manager at " in page.locator("#alert-1").inner_text()
