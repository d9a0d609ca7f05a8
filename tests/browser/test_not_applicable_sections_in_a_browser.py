"""An auditor in a real browser marks the early help assessment audit's review meeting not applicable
(the case has had no review yet) and submits it with that section empty, with JavaScript on and off.

Set QAF_SCREENSHOTS to a folder to keep screenshots of the edit and view pages.
"""

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from qaf.audits.workflow import start_audit
from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec
from qaf.models import Audit, User

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"
SCREENSHOTS = os.environ.get("QAF_SCREENSHOTS")
TICK = "input[name=review_meeting_not_applicable]"


def everything_but_the_review_meeting(spec: FormSpec) -> dict[str, Any]:
    """A draft answering every required question outside the review meeting section: a Good judgement."""
    answers: dict[str, Any] = {}
    for section in spec.sections:
        if section.id == "review_meeting":
            continue
        for question in section.questions:
            if not question.required:
                continue
            if question.options:
                value = question.options[0].value
                answers[question.id] = [value] if question.allows_many else value
            else:
                answers[question.id] = "Seen in the record"
    return answers | {"judgement": "good", "unresolved_safeguarding": "no"}


def open_draft(live_site, page: Page) -> int:
    """Alex signed in, with a draft of the Early Help Assessment audit answered but for the review meeting."""
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
        audit = start_audit(spec, case_reference="EH-1001", team_id=1, practitioner_id=None, auditor=auditor)
        audit.answers = everything_but_the_review_meeting(spec)
        db.session.commit()
        audit_id = audit.id
    page.goto("/sign-in")
    page.fill("#email", "auditor@example.gov.uk")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff")
    page.goto(f"/audits/{audit_id}/edit")
    return audit_id


def stored(live_site, audit_id: int) -> Audit:
    with live_site.app.app_context():
        audit = db.session.get_one(Audit, audit_id)
        db.session.expunge(audit)
        return audit


def screenshot(page: Page, name: str) -> None:
    """The whole page, and the review meeting section from its heading on."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
        box = page.locator("h2", has_text="Early Help Assessment Review Meeting").bounding_box()
        assert box is not None
        top = box["y"] + page.evaluate("window.scrollY") - 40
        clip = {"x": 0, "y": top, "width": page.viewport_size["width"] if page.viewport_size else 1280, "height": 700}
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}-section.png"), full_page=True, clip=clip)


def submit_without_the_review(live_site, page: Page, audit_id: int) -> None:
    page.get_by_role("button", name="Submit audit").click()
    page.wait_for_url(f"**/audits/{audit_id}")
    expect(page.locator("body")).to_contain_text("Audit submitted.")
    audit = stored(live_site, audit_id)
    assert audit.status == "submitted"
    assert audit.answers["review_meeting_not_applicable"] == ["not_applicable"]
    assert not any(key.startswith("review_") and key[7:8].isdigit() for key in audit.answers)


def test_the_auditor_ticks_the_review_meeting_not_applicable_and_submits(live_site, desktop, assert_accessible):
    page = desktop
    audit_id = open_draft(live_site, page)
    tick = page.get_by_role("checkbox", name="This section does not apply")
    expect(tick).to_have_count(1)
    # The tick box comes first in its section, under the section's heading.
    first_input = page.locator("xpath=//h2[.='Early Help Assessment Review Meeting']/following::input[1]")
    expect(first_input).to_have_attribute("name", "review_meeting_not_applicable")
    expect(tick).not_to_be_checked()
    assert_accessible(page)
    tick.focus()
    page.keyboard.press("Space")
    expect(tick).to_be_checked()
    assert_accessible(page)
    screenshot(page, "edit-page-section-ticked")

    submit_without_the_review(live_site, page, audit_id)
    section = page.locator("xpath=//h2[.='Early Help Assessment Review Meeting']/following-sibling::*[1]")
    expect(section).to_contain_text("Section not applicable: the auditor marked that this section does not apply.")
    # No row a standard of the section, each "Not answered".
    expect(page.get_by_text("used scaling questions to measure progress")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "view-page-section-not-applicable")


def test_with_javascript_off_the_tick_box_works_on_submit(live_site, phone_without_javascript):
    page = phone_without_javascript
    audit_id = open_draft(live_site, page)
    # Without the tick the review meeting's standards are required.
    page.get_by_role("button", name="Submit audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("whether the review date and time take the family's circumstances into account")
    assert stored(live_site, audit_id).status == "draft"
    page.check(TICK)
    screenshot(page, "edit-page-without-javascript")
    submit_without_the_review(live_site, page, audit_id)
    expect(page.get_by_text("Section not applicable: the auditor marked")).to_be_visible()
    screenshot(page, "view-page-without-javascript")
