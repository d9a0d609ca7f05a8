"""Complaints and compliments in a real browser: the list, the form, its errors and a change, checked with axe."""

import re

import pytest
from playwright.sync_api import Page

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import User

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


@pytest.fixture
def worker_page(live_site, desktop: Page) -> Page:
    with live_site.app.app_context():
        db.session.add(
            User(
                email="worker@example.gov.uk",
                name="Priya Worker",
                role="practitioner",
                team_id=1,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.session.commit()
    desktop.goto("/sign-in")
    desktop.fill("#email", "worker@example.gov.uk")
    desktop.fill("#password", PASSWORD)
    desktop.click("button:has-text('Sign in')")
    desktop.wait_for_url("**/staff")
    return desktop


def test_logging_and_changing_a_complaint_is_accessible(worker_page, assert_accessible):
    page = worker_page
    page.click("nav >> text=Complaints and compliments")
    assert page.locator("h1").inner_text() == "Complaints and compliments"
    assert_accessible(page)
    page.click("text=Log a complaint or compliment")
    assert_accessible(page)
    page.click("button:has-text('Save')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.check("input[name=kind][value=complaint]")
    page.fill("#received_on-day", "3")
    page.fill("#received_on-month", "11")
    page.fill("#received_on-year", "2026")
    page.select_option("#team", "1")
    page.check("input[name=theme][value=timeliness]")
    page.select_option("#outcome", "in_progress")
    page.fill("#learning", "Mrs Smith waited six weeks for a visit")
    page.click("button:has-text('Save')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert "Remove the name" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.fill("#learning", "The family waited six weeks for a first visit; allocation is now checked weekly")
    page.click("button:has-text('Save')")
    page.wait_for_url(re.compile(r".*/complaints\?period=2026-27"))
    assert "allocation is now checked weekly" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Change the complaint")).click()
    page.wait_for_url(re.compile(r".*/complaints/\d+/edit"))
    assert page.locator("h1").inner_text() == "Change the complaint"
    assert_accessible(page)
