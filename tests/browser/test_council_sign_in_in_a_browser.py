"""Signing in with the council's account in a real browser, at the real provider the tests run: by keyboard,
and every QAF page on the way checked with axe-core.

The provider knows QAF's callback as http://localhost/sign-in/oidc/callback (PUBLIC_URL), and the
browser is sent on from there to the site under test, as a proxy in front of QAF would.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import User
from tests.auth.oidc import Provider, council_settings
from tests.browser.conftest import DESKTOP, Certificates, LiveSite, _open_page, serve_site

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"
CALLBACK = "http://localhost/sign-in/oidc/callback"
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
# Where the pages' pictures go when a person wants to look at them (QAF_SCREENSHOTS=/work/shots/oidc).
SCREENSHOTS = os.environ.get("QAF_SCREENSHOTS", "")


def _site(tmp_path: Path, certificates: Certificates, provider: Provider, **settings: object) -> Iterator[LiveSite]:
    for site in serve_site(
        tmp_path, certificates, **council_settings(provider), PUBLIC_URL="http://localhost", **settings
    ):
        with site.app.app_context():
            db.session.add_all(
                [
                    User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team_id=1),
                    User(
                        email="qa@example.gov.uk",
                        name="Quinn Admin",
                        role="qa_admin",
                        password_hash=hash_password(PASSWORD),
                    ),
                ]
            )
            db.session.commit()
        yield site


@pytest.fixture
def live_site(tmp_path: Path, certificates: Certificates, oidc_provider: Provider) -> Iterator[LiveSite]:
    yield from _site(tmp_path, certificates, oidc_provider)


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def through_the_provider(page: Page, site: LiveSite, login: str) -> None:
    """From QAF's sign-in page, by keyboard: the council's button, then the provider's login and consent."""

    def on_to_the_site(route: Route) -> None:
        route.fulfill(status=302, headers={"Location": site.url + route.request.url.removeprefix("http://localhost")})

    page.route(f"{CALLBACK}**", on_to_the_site)
    # The provider's own test login page asks a web font service for its font: the tests reach nothing outside.
    page.route(OUTSIDE, lambda route: route.fulfill(status=200, content_type="text/css", body=""))
    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in with your council account").focus()
    page.keyboard.press("Enter")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Continue").click()


def test_the_sign_in_page_offers_the_council_account_accessibly(live_site, desktop, assert_accessible):
    desktop.goto("/sign-in")
    assert desktop.get_by_role("button", name="Sign in with your council account").is_visible()
    assert desktop.locator("#password").is_visible()
    assert_accessible(desktop)
    shot(desktop, "sign-in-with-passwords-on")


def test_staff_sign_in_with_the_council_account_by_keyboard(live_site, desktop, assert_accessible):
    through_the_provider(desktop, live_site, "priya")
    desktop.wait_for_url("**/staff")
    assert "Priya Worker" in desktop.content()
    assert_accessible(desktop)


def test_someone_without_an_account_is_refused_accessibly(live_site, desktop, assert_accessible):
    through_the_provider(desktop, live_site, "stranger")
    desktop.get_by_role("heading", name="You do not have a QAF account").wait_for()
    assert "nobody@example.gov.uk" in desktop.content()
    assert_accessible(desktop)
    shot(desktop, "refused-no-account")


@pytest.fixture
def desktop_without_passwords(
    tmp_path: Path, certificates: Certificates, oidc_provider: Provider, chromium
) -> Iterator[Page]:
    settings = {"PASSWORD_SIGN_IN": False, "BREAK_GLASS_EMAILS": ("qa@example.gov.uk",)}
    for site in _site(tmp_path, certificates, oidc_provider, **settings):
        yield from _open_page(chromium, site, **DESKTOP)


def test_with_passwords_off_only_the_council_account_is_offered_and_break_glass_works(
    desktop_without_passwords, assert_accessible
):
    page = desktop_without_passwords
    page.goto("/sign-in")
    assert page.get_by_role("button", name="Sign in with your council account").is_visible()
    assert page.locator("#password").count() == 0
    assert_accessible(page)
    shot(page, "sign-in-with-passwords-off")
    page.goto("/sign-in/break-glass")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    shot(page, "break-glass-error")
    page.fill("#email", "qa@example.gov.uk")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/staff")
