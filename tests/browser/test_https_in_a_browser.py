"""Chromium over HTTPS: a family sends feedback and staff sign in, directly over TLS and behind a proxy.

Every browser test already runs over TLS (see conftest.py); these walk the two journeys that
a broken CSRF or cookie set-up stops first, in both deployment shapes, and check what the
browser itself was told (a Secure, host-only session cookie, HSTS).
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import User
from tests.browser.conftest import PHONE, LiveSite, _open_page
from tests.browser.test_family_feedback_in_a_browser import (
    FAMILY_ANSWERS,
    FAMILY_FORM,
    answer_family_questions,
    answer_team_and_stage,
    expect_confirmation,
    send,
)

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


@pytest.fixture(params=["served over TLS", "behind a TLS-terminating proxy"])
def https_site(request) -> LiveSite:
    fixture = "site_behind_proxy" if request.param == "behind a TLS-terminating proxy" else "live_site"
    return request.getfixturevalue(fixture)


@pytest.fixture
def https_phone(chromium: Browser, https_site: LiveSite) -> Iterator[Page]:
    yield from _open_page(chromium, https_site, **PHONE)


def test_a_family_sends_feedback_over_https_on_a_phone(https_site, https_phone):
    page = https_phone
    assert https_site.url.startswith("https://")
    page.goto(FAMILY_FORM)
    answer_team_and_stage(page)
    answer_family_questions(page)
    send(page)
    expect_confirmation(page)
    [stored] = https_site.stored_responses()
    assert stored.team == "dover-ehu"
    assert stored.answers["what_helped"] == FAMILY_ANSWERS["what_helped"]

    [cookie] = page.context.cookies()
    assert cookie["name"] == "__Host-qaf-session"
    assert cookie["secure"] is True
    assert cookie["httpOnly"] is True


def test_staff_sign_in_over_https_and_stay_signed_in(https_site, https_phone):
    with https_site.app.app_context():
        db.session.add(
            User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin", password_hash=hash_password(PASSWORD))
        )
        db.session.commit()
    page = https_phone
    response = page.goto("/sign-in")
    assert response is not None
    assert response.headers["strict-transport-security"].startswith("max-age=")
    page.get_by_label("Email address").fill("qa@example.gov.uk")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.get_by_text("Quinn Admin")).to_be_visible()
    page.goto("/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    expect(page.get_by_text("Quinn Admin")).to_be_visible()
