"""Tables on a phone: a wide table scrolls inside its own region, the page itself never sideways (WCAG 1.4.10).

Each page is opened at 320 px (the narrowest screen reflow asks for) and 390 px (a common phone), with
the demo programme's data in its tables; axe-core checks the scrolling regions can be reached by keyboard
and have a name.
"""

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Allocation, Audit, AuditAction, Sample, User
from tests.browser.conftest import LiveSite, screen
from tests.browser.test_programme_in_a_browser import add_programme, sign_in

pytestmark = pytest.mark.browser

# Set to a folder to keep a screenshot of each page, for a person to look at.
SCREENSHOTS = os.environ.get("QAF_SCREENSHOTS")

# The outermost elements that reach past the screen's right edge, outside any scrolling region: what to fix.
WIDER_THAN_SCREEN = """width => [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > width + 1)
    .filter(element => !element.parentElement.closest(".qaf-table-container"))
    .filter(element => element.parentElement.getBoundingClientRect().right <= width + 1)
    .map(element => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`)
    .join(", ")"""


@pytest.fixture(scope="module")
def programme_site(shared_site: LiveSite) -> dict[str, int]:
    """The demo programme, an auditor with overdue work and a submitted audit with an overdue action."""
    ids = add_programme(shared_site.app)
    with shared_site.app.app_context():
        auditor = db.session.get(User, ids["auditor"])
        assert auditor is not None
        overdue = db.session.get(Allocation, ids["allocation"])
        assert overdue is not None
        overdue.auditor_id = auditor.id
        overdue.due_date = date.today() - timedelta(days=3)
        audit = db.session.query(Audit).filter_by(auditor_id=auditor.id).first()
        assert audit is not None
        db.session.add(
            AuditAction(
                audit_id=audit.id,
                action="Update the chronology with the school's referral and the health visitor's notes",
                owner_id=auditor.id,
                due_date=date.today() - timedelta(days=10),
                created_by_id=auditor.id,
            )
        )
        db.session.commit()
        ids["audit"] = audit.id
        ids["sample"] = db.session.scalar(select(func.min(Sample.id)))
    return ids


@pytest.fixture(params=(320, 390), ids=lambda width: f"{width}px")
def phone_page(request: pytest.FixtureRequest, chromium: Browser, shared_site: LiveSite) -> Iterator[Page]:
    context = chromium.new_context(base_url=shared_site.url, ignore_https_errors=True, **screen(request.param))
    yield context.new_page()
    context.close()


def page_width_problems(page: Page, path: str, who: str) -> list[str]:
    """Open ``path``; say so if the page is wider than the screen, and keep a screenshot when asked to.

    A phone's browser zooms out to show a page wider than itself, making ``window.innerWidth`` the
    page's width: the screen's own width is the viewport the browser was given.
    """
    page.goto(path)
    page.locator("h1").wait_for()
    screen_width = page.viewport_size["width"] if page.viewport_size else 0
    if SCREENSHOTS:
        name = f"{who}-{path.strip('/').replace('/', '-') or 'home'}-{screen_width}.png"
        page.screenshot(path=str(Path(SCREENSHOTS) / name), full_page=True)
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    widest = page.evaluate(WIDER_THAN_SCREEN, screen_width)
    if max(scroll_width, inner_width) > screen_width:
        return [f"{path} is {scroll_width}/{inner_width} px wide on a {screen_width} px screen: {widest}"]
    return []


def test_an_auditors_home_page_fits_a_phone_and_shows_what_is_overdue(programme_site, phone_page, assert_accessible):
    page = sign_in(phone_page, "auditor@example.gov.uk")
    assert page_width_problems(page, "/staff", "auditor") == []
    # The tag is on the screen as the page opens, not only after scrolling the table sideways.
    tag = page.locator("#allocations + .qaf-table-container").get_by_text("Overdue", exact=True).first
    box = tag.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= (page.viewport_size or {"width": 0})["width"]
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/staff",
        "/programme",
        "/programme/samples/{sample}",
        "/programme/activities/{activity}",
        "/programme/allocations",
        "/programme/assigned",
        "/programme/cases",
        "/programme/auditors",
        "/programme/peer-reviews",
        "/reports",
        "/audits",
        "/audits/{audit}",
        "/actions/tracker",
        "/admin/people",
    ],
)
def test_the_qa_teams_pages_fit_a_phone(programme_site, phone_page, assert_accessible, path):
    page = sign_in(phone_page, "qa@example.gov.uk")
    assert page_width_problems(page, path.format(**programme_site), "qa") == []
    assert_accessible(page)
