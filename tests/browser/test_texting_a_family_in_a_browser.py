"""A worker texts a family their link from the invitation page, in a real browser, through the Notify stand-in."""

import re
import time

import pytest
from playwright.sync_api import Page

from tests.browser.test_staff_pages_are_accessible import admin_page, submit_empty_and_check  # noqa: F401  # fixture
from tests.notify_stand_in import notify_stand_in, use_notify

pytestmark = pytest.mark.browser


def test_a_worker_texts_a_family_their_link(live_site, admin_page: Page, assert_accessible):  # noqa: F811
    page = admin_page
    with notify_stand_in() as notify:
        use_notify(live_site.app, notify)
        page.goto("/invitations/new")
        assert "by text message or email" in page.locator("main").inner_text()
        assert_accessible(page)
        page.check("input[name=form][value=family]")
        page.fill("#case_reference", "EH-779")
        page.select_option("#team", "1")
        page.check("input[name=stage][value=review]")
        page.check("input[name=send_by][value=sms]")
        page.fill("#mobile", "01632 960001")
        submit_empty_and_check(page, assert_accessible, "Make the link")
        page.click(".govuk-error-summary a")
        assert page.evaluate("document.activeElement.id") == "mobile"
        page.fill("#mobile", "07700 900 982")
        page.click("button:has-text('Make the link')")
        assert "Invitation made" in page.locator("h1").inner_text()
        assert "being sent to the family by text message" in page.locator("main").inner_text()
        assert_accessible(page)
        token = re.search(r"/i/([\w-]+)", page.locator(".qaf-slip__link").inner_text()).group(1)
        # The page has gone back to the browser; the text goes just after it.
        for _wait in range(100):
            if notify.sent("sms"):
                break
            time.sleep(0.05)
        [sent] = notify.sent("sms")
        assert sent["phone_number"] == "07700900982"
        assert sent["personalisation"]["body"].endswith(token)
        page.goto("/admin/outbox")
        assert "To a family by text message" in page.locator("main").inner_text()
        assert "900982" not in page.locator("main").inner_text()
        # The message's words are in the page's GOV.UK font, not the browser's serif for <pre>.
        font = "e => getComputedStyle(e).fontFamily"
        assert page.locator(".qaf-email").first.evaluate(font) == page.locator("main p").first.evaluate(font)
        assert_accessible(page)
