"""Every public page, error message and confirmation passes axe-core (WCAG 2.2 AA) at 320, 375, 390 and 1280 px.

One site serves the whole module and one browser the whole run, with one page a width kept from
test to test. Beyond axe, each page must not scroll sideways (WCAG 1.4.10 Reflow) and the links and
buttons of its header and footer must be at least 24 by 24 pixels (2.5.8 Target Size).
"""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from qaf.config import PROJECT_ROOT
from qaf.extensions import db
from qaf.formspec import load_forms
from qaf.models import FeedbackRound
from tests.browser.conftest import LiveSite

pytestmark = pytest.mark.browser

PUBLIC_FORMS = sorted(
    key
    for key, spec in load_forms(PROJECT_ROOT / "forms").items()
    if spec.audience in ("family", "child", "partner", "staff")
)
PAGES = [
    ("/", 200),
    ("/privacy", 200),
    ("/accessibility", 200),
    ("/no-such-page", 404),
    ("/i/" + "x" * 43, 404),  # an invitation link that does not work
]
# Links and buttons in the header and footer smaller than 24 x 24 pixels, as [text, width, height].
SMALL_TARGETS = """() => [...document.querySelectorAll("header a, header button, footer a")]
    .filter((element) => element.getClientRects().length > 0)
    .map((element) => [element.textContent.trim(), element.getBoundingClientRect()])
    .filter(([text, box]) => box.width < 24 || box.height < 24)
    .map(([text, box]) => [text, box.width, box.height])"""


@pytest.fixture(scope="module")
def site(shared_site: LiveSite) -> LiveSite:
    """The shared site, with a staff survey wave open (the survey is only answered through one)."""
    with shared_site.app.app_context():
        today = date.today()
        db.session.add(
            FeedbackRound(
                form_key="staff-survey", name="Winter staff survey", opens_on=today, closes_on=today + timedelta(days=7)
            )
        )
        db.session.commit()
    return shared_site


@pytest.fixture
def screen_page(site: LiveSite, page_at_width: Page) -> Page:
    return page_at_width


@pytest.fixture
def check(assert_accessible: Callable[[Page], None]) -> Callable[[Page], None]:
    def check(page: Page) -> None:
        assert_accessible(page)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({scroll_width} px)"
        assert page.evaluate(SMALL_TARGETS) == [], f"{page.url}: targets under 24 x 24 px"

    return check


@pytest.mark.parametrize(("path", "status"), PAGES)
def test_page_is_accessible_at_every_width(screen_page, check, path, status):
    response = screen_page.goto(path)
    assert response is not None
    assert response.status == status
    check(screen_page)


@pytest.fixture(scope="module")
def checked_confirmations() -> set[tuple[int, str]]:
    """Confirmation pages checked so far, by width and content: several forms share one word for word."""
    return set()


@pytest.mark.parametrize("form_key", PUBLIC_FORMS)
def test_each_form_its_error_messages_and_its_confirmation_are_accessible_at_every_width(
    screen_page, check, checked_confirmations, width, form_key
):
    page = screen_page
    response = page.goto(f"/feedback/{form_key}")
    assert response is not None
    assert response.status == 200
    check(page)

    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page)

    page.goto(f"/feedback/{form_key}/thank-you")
    expect(page.locator(".govuk-panel")).to_be_visible()
    confirmation = (width, page.title() + page.locator("main").inner_html())
    if confirmation not in checked_confirmations:
        check(page)
        checked_confirmations.add(confirmation)
