"""The staff home page and moving many allocations at once, in a real browser, checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_programme_in_a_browser import add_programme, check, check_errors, sign_in

pytestmark = pytest.mark.browser


def test_the_home_page_is_accessible_for_an_auditor_and_the_qa_team(live_site, desktop, chromium, assert_accessible):
    add_programme(live_site.app)
    page = sign_in(desktop, "auditor@example.gov.uk")
    assert page.locator("h1").inner_text() == "Your work"
    expect(page.locator("#allocations")).to_be_visible()
    assert_accessible(page)
    page.locator("main button:has-text('Start')").first.click()
    page.wait_for_url("**/edit")
    admin = sign_in(
        chromium.new_context(ignore_https_errors=True, base_url=live_site.url).new_page(), "qa@example.gov.uk"
    )
    expect(admin.locator("#moderation")).to_be_visible()
    assert_accessible(admin)
    admin.context.close()


def test_moving_many_allocations_is_accessible_with_its_errors_and_its_summary(live_site, desktop, assert_accessible):
    add_programme(live_site.app)
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme/allocations", "Allocations")
    check_errors(page, assert_accessible, "Move the ticked allocations")
    page.locator("input[name=allocation]").first.check()
    page.select_option("#to", index=1)
    page.click("button:has-text('Move the ticked allocations')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("allocation")
    assert_accessible(page)
