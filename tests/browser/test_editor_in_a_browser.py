"""The form editor in a real browser: a QA administrator rewords a question, adds one shown only to
young people and marks an audit section the auditor may skip, then publishes each; every editor page
passes axe, and the audit template is changed and published on a phone with JavaScript off."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import User
from tests.browser.conftest import NAVIGATION_TIMEOUT_MS, PHONE, TIMEOUT_MS, LiveSite
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ADMIN = "qa.admin@demo.qaf.test"
SHOTS = "/work/shots/editor-browser"


def sign_in(live_site: LiveSite, page: Page) -> None:
    with live_site.app.app_context():
        db.session.add_all(
            [
                User(email=ADMIN, name="Quinn Adams", role="qa_admin", password_hash=hash_password(PASSWORD)),
                User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team_id=1),
            ]
        )
        db.session.commit()
    page.goto("/sign-in")
    page.fill("#email", ADMIN)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff")


def click(page: Page, name: str, role: str = "link") -> None:
    page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]
    page.wait_for_load_state()


def heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def flash(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_a_qa_administrator_changes_a_form_and_an_audit_template_entirely_in_the_browser(
    live_site, chromium: Browser, desktop: Page, assert_accessible
):
    page = desktop
    sign_in(live_site, page)
    page.goto("/admin/forms")
    heading(page, "Forms and templates")
    assert_accessible(page)

    # 1. The family form: a draft, a question reworded.
    click(page, "Tell us about the help your family has had")
    assert_accessible(page)
    click(page, "Change this form", "button")
    heading(page, "Draft of Tell us about the help your family has had")
    assert_accessible(page)
    click(page, "Change Who is filling in this form?")
    heading(page, "Section 1, question 1")
    assert_accessible(page)
    page.get_by_label("Question", exact=True).fill("Who is answering?")
    click(page, "Save", "button")
    flash(page, "Question saved.")

    # 2. A question shown only to young people, its condition chosen on the condition pages.
    click(page, "Add a question to section 1")
    click(page, "Continue", "button")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_role("radio", name="Yes or no").check()
    click(page, "Continue", "button")
    page.get_by_label("Short name").fill("school_told")
    page.get_by_label("Question", exact=True).fill("Did your school know about the help?")
    page.get_by_role("group", name="Must it be answered?").get_by_role("radio", name="No").check()
    click(page, "Save", "button")
    flash(page, "Question added.")
    click(page, "Change Did your school know about the help?")
    click(page, "Change condition")
    heading(page, "When is section 1, question 2 shown?")
    assert_accessible(page)
    page.get_by_role("radio", name="Who is answering?").check()
    click(page, "Continue", "button")
    click(page, "Save", "button")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the answers that show it")
    assert_accessible(page)
    page.get_by_role("checkbox", name="A young person aged 11 to 15").check()
    page.get_by_role("checkbox", name="A young person aged 16 or over").check()
    click(page, "Save", "button")
    flash(page, "Condition saved.")
    expect(page.locator("main .govuk-summary-list")).to_contain_text(
        "Shown only when the answer to “Who is answering?” is “A young person aged 11 to 15” or "
        "“A young person aged 16 or over”"
    )
    page.screenshot(path=f"{SHOTS}/test-desktop-condition-saved.png", full_page=True)

    # 4. Checked, previewed, published: answered from the next page load.
    click(page, "Back")
    click(page, "Check your form")
    heading(page, "Check your form")
    assert_accessible(page)
    click(page, "Preview")
    heading(page, "Tell us about the help your family has had")
    school = page.get_by_role("group", name="Did your school know about the help? (optional)")
    # Shown as a family will see it: only once a young person is answering.
    expect(school).to_be_hidden()
    page.get_by_role("group", name="Who is answering?").get_by_role(
        "radio", name="A young person aged 11 to 15"
    ).check()
    expect(school).to_be_visible()
    assert_accessible(page)
    click(page, "Back to the draft")
    click(page, "Publish")
    heading(page, "Publish Tell us about the help your family has had")
    assert_accessible(page)
    click(page, "Publish", "button")
    flash(page, "Version 2 of Tell us about the help your family has had is published")
    click(page, "Version 2")
    heading(page, "Version 2 of Tell us about the help your family has had")
    assert_accessible(page)

    family = chromium.new_context(base_url=live_site.url, ignore_https_errors=True, **PHONE).new_page()
    family.set_default_timeout(TIMEOUT_MS)
    family.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    family.goto("/feedback/family?team=ashford-ehu&stage=closure")
    answering = family.get_by_role("group", name="Who is answering?")
    expect(answering).to_be_visible()
    answering.get_by_role("radio", name="A young person aged 16 or over").check()
    expect(family.get_by_role("group", name="Did your school know about the help? (optional)")).to_be_visible()
    family.context.close()

    # 3. An audit template: its draft's section page checked with axe here, then changed and published
    # on a phone with JavaScript off (where axe cannot run: it is a script).
    page.goto("/admin/forms")
    click(page, "Early Help Assessment Signs of Wellbeing and Success audit")
    click(page, "Change this form", "button")
    click(page, "Change section 3")
    heading(page, "Section 3")
    assert_accessible(page)
    phone = chromium.new_context(
        base_url=live_site.url,
        ignore_https_errors=True,
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
        **{**PHONE, "viewport": {"width": 390, "height": 844}},
    ).new_page()
    phone.set_default_timeout(TIMEOUT_MS)
    phone.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    phone.goto("/admin/forms/ehat-quality-audit/draft")
    click(phone, "Change section 3")
    heading(phone, "Section 3")
    phone.get_by_role("group", name="Can the auditor mark this section as not applicable?").get_by_role(
        "radio", name="Yes"
    ).check()
    click(phone, "Save", "button")
    flash(phone, "Section saved.")
    expect(phone.locator("main")).to_contain_text("The auditor can mark it not applicable.")
    phone.screenshot(path=f"{SHOTS}/test-phone-nojs-section-saved.png")
    click(phone, "Check your form")
    expect(phone.locator("main")).to_contain_text("There are no problems")
    click(phone, "Publish")
    click(phone, "Publish", "button")
    flash(phone, "Version 2 of Early Help Assessment Signs of Wellbeing and Success audit is published")
    page.goto("/admin/forms/ehat-quality-audit/versions/2")
    heading(page, "Version 2 of Early Help Assessment Signs of Wellbeing and Success audit")
    assert_accessible(page)

    # The next audit started on it offers the tick box.
    phone.goto("/audits/new?template=ehat-quality-audit")
    phone.fill("#case_reference", "EH-4001")
    phone.select_option("#team", "1")
    click(phone, "Start audit", "button")
    expect(phone).to_have_url(re.compile(r".*/audits/\d+/edit"))
    expect(phone.locator("#early_help_assessment_plan_not_applicable")).to_be_visible()
    expect(phone.get_by_label("This section does not apply")).to_have_count(2)
    phone.context.close()


def test_a_draft_with_problems_shows_them_on_the_check_page(live_site, desktop: Page, assert_accessible):
    page = desktop
    sign_in(live_site, page)
    page.goto("/admin/forms/family")
    click(page, "Change this form", "button")
    click(page, "Change Who is filling in this form?")
    page.get_by_label("Answers to choose from").fill("")
    click(page, "Save", "button")
    click(page, "Check your form (1 problem)")
    assert page.title().startswith("Error: Check your form")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Section 1, question 1:")
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    heading(page, "Section 1, question 1")
