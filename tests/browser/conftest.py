"""Fixtures for the real-browser tests: the site served from a thread, Debian's Chromium, axe-core.

The site runs on a fresh SQLite file for each test with CSRF protection on, over HTTPS with a
certificate from a throwaway authority, exactly as a family's browser meets it in a council's
deployment (``site_behind_proxy`` serves it behind a TLS-terminating proxy instead).
Playwright's own browser download does not work on our machines,
so the tests drive Debian's Chromium (``apt-get install chromium``). Without it they are
skipped, unless the CI environment variable is set: then they fail.
"""

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Playwright, sync_playwright
from sqlalchemy import select

from qaf import create_app
from qaf.extensions import db
from qaf.models import Response, Service, Team
from tests.conftest import copy_empty_schema
from tests.https import Certificates, deployed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# Public pages are checked at each: the narrowest screen WCAG's reflow asks for, two common phones, a laptop.
WIDTHS = (320, 375, 390, 1280)
# Long enough for a slow CI machine, short enough that a missing element fails quickly.
TIMEOUT_MS = 10_000
# A page's first load in a new context (its first TLS connections, the app's first render of its templates)
# takes longest, and longer still while another test process uses the other CPU (make pytest runs two).
NAVIGATION_TIMEOUT_MS = 30_000


# --- The site --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResponse:
    form_key: str
    team: str | None
    stage: str | None
    respondent_type: str | None
    answers: dict[str, Any]


@dataclass(frozen=True)
class LiveSite:
    app: Flask
    url: str

    def stored_responses(self) -> list[StoredResponse]:
        """Every response in the database, oldest first, as plain values."""
        with self.app.app_context():
            rows = db.session.scalars(select(Response).order_by(Response.id))
            return [
                StoredResponse(
                    form_key=row.form_key,
                    team=row.team.slug if row.team else None,
                    stage=row.stage,
                    respondent_type=row.respondent_type,
                    answers=dict(row.answers),
                )
                for row in rows
            ]


@pytest.fixture(scope="session")
def certificates() -> Certificates:
    return Certificates()


def serve_site(
    tmp_path: Path, certificates: Certificates, behind_proxy: bool = False, **settings: Any
) -> Iterator[LiveSite]:
    """The app (with ``settings`` over the tests' own) on a fresh SQLite file with one service and two teams, served
    over HTTPS on a free local port."""
    database = copy_empty_schema(tmp_path / "qaf.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "x" * 32,
            "PASSWORD_HASHING": "cheapest-for-tests",
            # The browser fills a form faster than any person could.
            "PUBLIC_MIN_FILL_SECONDS": 0,
            "TRUSTED_PROXIES": 1 if behind_proxy else 0,
        }
        | settings
    )
    with app.app_context():
        service = Service(slug="early-help-units", name="Early Help Units")
        db.session.add_all(
            [
                Team(slug="ashford-ehu", name="Ashford Early Help Unit", district="Ashford", service=service),
                Team(slug="dover-ehu", name="Dover Early Help Unit", district="Dover", service=service),
            ]
        )
        db.session.commit()
    with deployed(app, certificates, behind_proxy=behind_proxy) as url:
        yield LiveSite(app=app, url=url)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory, certificates: Certificates) -> Iterator[LiveSite]:
    """One site for a whole test module, for tests that only look at pages or do not count what is stored."""
    yield from serve_site(tmp_path_factory.mktemp("site"), certificates, behind_proxy=False)


@pytest.fixture
def live_site(tmp_path: Path, certificates: Certificates) -> Iterator[LiveSite]:
    """The site served over TLS directly, as gunicorn does with a certificate."""
    yield from serve_site(tmp_path, certificates, behind_proxy=False)


@pytest.fixture
def site_behind_proxy(tmp_path: Path, certificates: Certificates) -> Iterator[LiveSite]:
    """The site served over plain HTTP behind a proxy that ends TLS and forwards X-Forwarded-* headers."""
    yield from serve_site(tmp_path, certificates, behind_proxy=True)


# --- The browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, started once for the whole run."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: the browser tests must run on CI", pytrace=False)
        pytest.skip(f"{reason}: skipping the browser tests")
    playwright: Playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


def _watched_page(browser: Browser, site: LiveSite, **context_options: Any) -> tuple[Page, list[str]]:
    """A page in a fresh browser context, and the list its own script and console errors are added to."""
    # The certificate is the test run's own: Chromium is told not to check it, the tests check the rest.
    context: BrowserContext = browser.new_context(base_url=site.url, ignore_https_errors=True, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        # The browser reports a 404 page as a failed load of the page itself: expected on an error page.
        failed_document = message.text.startswith("Failed to load resource") and message.location.get("url") == page.url
        if message.type == "error" and not failed_document:
            problems.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"script error on {page.url}: {error}")

    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return page, problems


def _fail_on(problems: list[str]) -> None:
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def _open_page(browser: Browser, site: LiveSite, **context_options: Any) -> Iterator[Page]:
    """A page in a fresh browser context that fails the test if the page's own scripts fail."""
    page, problems = _watched_page(browser, site, **context_options)
    try:
        yield page
    finally:
        page.context.close()
    _fail_on(problems)


def screen(width: int) -> dict[str, Any]:
    """A browser context's options for a screen ``width`` pixels wide: a touch phone, or a laptop from 1280."""
    if width >= DESKTOP["viewport"]["width"]:
        return {**DESKTOP, "viewport": {"width": width, "height": 900}}
    return {**PHONE, "viewport": {"width": width, "height": 812}}


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def width(request: pytest.FixtureRequest) -> int:
    """Each of WIDTHS in turn: a test asking for it runs once a width, in the one browser of the run."""
    return int(request.param)


@pytest.fixture(scope="module")
def _kept_pages(chromium: Browser, shared_site: LiveSite) -> Iterator[dict[int, tuple[Page, list[str]]]]:
    pages: dict[int, tuple[Page, list[str]]] = {}
    yield pages
    for page, _problems in pages.values():
        page.context.close()


@pytest.fixture
def page_at_width(
    _kept_pages: dict[int, tuple[Page, list[str]]], chromium: Browser, shared_site: LiveSite, width: int
) -> Iterator[Page]:
    """A page on the shared site at each width, kept for the module's other tests at that width.

    Its caches stay warm (fonts, styles, scripts, TLS), which saves a fresh context's cold first
    load on every test; for tests that look at pages, or count only what they stored themselves.
    """
    if width not in _kept_pages:
        _kept_pages[width] = _watched_page(chromium, shared_site, **screen(width))
    page, problems = _kept_pages[width]
    problems.clear()
    yield page
    _fail_on(problems)


@pytest.fixture
def phone(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    """A page on a phone-sized touch screen (375 x 812, like an iPhone 13 mini)."""
    yield from _open_page(chromium, live_site, **PHONE)


@pytest.fixture
def phone_without_javascript(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    """A phone-sized page with JavaScript switched off."""
    yield from _open_page(chromium, live_site, java_script_enabled=False, **PHONE)


@pytest.fixture
def desktop(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    """A page on a laptop-sized screen, for keyboard use."""
    yield from _open_page(chromium, live_site, **DESKTOP)


# --- Accessibility checks --------------------------------------------------------------------


def _describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe-core's findings as text a person can act on: rule, impact, what to fix and where."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(str(part) for part in node['target'])}: {node['html'][:200]}")
            for summary_line in node.get("failureSummary", "").splitlines():
                if summary_line.strip():
                    lines.append(f"      {summary_line.rstrip()}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(axe: Axe) -> Callable[[Page], None]:
    """Run axe-core on the page as it is now (WCAG 2.0, 2.1 and 2.2, A and AA) and fail on any violation."""

    def check(page: Page) -> None:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        violations = axe.run(page, options=options).response["violations"]
        assert not violations, (
            f"axe-core found {len(violations)} accessibility problem(s) on {page.url} "
            f"({page.title()!r}):\n{_describe_violations(violations)}"
        )

    return check
