"""Post-closure feedback in a real browser: the QA team turns it on, an import lists a closed case, a link is made."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page

from qaf.reports.periods import uk_today
from tests.browser.test_staff_pages_are_accessible import admin_page  # noqa: F401  # fixture

pytestmark = pytest.mark.browser
SHOTS = Path("/work/shots/post-closure")


def shot(page: Page, name: str) -> None:
    if SHOTS.is_dir():
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_qa_team_turns_it_on_and_a_closed_case_is_listed_and_its_link_made(
    live_site,
    admin_page: Page,  # noqa: F811
    assert_accessible,
    tmp_path,
):
    page = admin_page
    live_site.app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    page.goto("/programme/cases/post-closure")
    assert_accessible(page)
    page.check("input[name=enabled][value=yes]")
    page.fill("#percent", "")
    page.click("button:has-text('Save')")
    page.locator(".govuk-error-summary").wait_for()
    shot(page, "setting-error")
    assert_accessible(page)
    page.fill("#percent", "100")
    page.click("button:has-text('Save')")
    assert "on, every case closed in the 28 days" in page.locator("#post-closure-setting").inner_text()
    shot(page, "cases-page")
    today = uk_today()
    lines = [
        "reference,team,opened,closed,mobile",
        f"EH-51,ashford-ehu,{today - timedelta(days=300)},{today - timedelta(days=2)},",
        f"EH-52,ashford-ehu,{today - timedelta(days=1300)},{today - timedelta(days=900)},",
    ]
    upload = tmp_path / "cases.csv"
    upload.write_text("\n".join(lines) + "\n")
    page.goto("/programme/cases/import")
    page.set_input_files("input[type=file]", str(upload))
    page.click("button:has-text('Import')")
    page.locator("h1").wait_for()
    shot(page, "import-page")
    assert "1 newly closed case found; 1 chosen" in page.locator("#post-closure-result").inner_text()
    assert_accessible(page)
    shot(page, "import-page")
    page.goto("/invitations")
    assert "EH-51" in page.locator("main table").first.inner_text()
    assert_accessible(page)
    shot(page, "invitations-page")
    page.keyboard.press("Tab")
    page.focus("button:has-text('Make the link')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Invitation made')")
    assert "Case EH-51, Ashford Early Help Unit, closure." in page.locator(".qaf-slip").inner_text()
    assert_accessible(page)
    page.goto("/invitations")
    assert page.locator("#post-closure").count() == 0
