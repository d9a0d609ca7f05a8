"""Group moderation in a real browser: the list, choosing the month's evaluation, recording the group's result.

Each page, and each form's error state, is checked with axe-core (WCAG 2.2 AA): zero problems.
"""

from datetime import date

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Audit, Team, User, utc_now
from qaf.responses import ensure_form_version
from tests.browser.test_programme_in_a_browser import add_programme, check, check_errors, sign_in

pytestmark = pytest.mark.browser


def add_evaluation(app) -> tuple[int, str]:
    """A submitted collaborative practice evaluation of the first team by Alex, and a service manager there."""
    with app.app_context():
        team = db.session.scalar(select(Team).order_by(Team.id).limit(1))
        auditor = db.session.scalar(select(User).where(User.email == "auditor@example.gov.uk"))
        db.session.add(User(email="sm@example.gov.uk", name="Sam Manager", role="service_manager", team_id=team.id))
        audit = Audit(
            form_key="practice-evaluation",
            form_version_id=ensure_form_version(all_forms()["practice-evaluation"]),
            case_reference="DEMO-00002",
            team_id=team.id,
            auditor_id=auditor.id,
            status="submitted",
            grade="good",
            submitted_at=utc_now(),
            answers={},
        )
        db.session.add(audit)
        db.session.commit()
        return team.service_id, team.service.name


def test_the_group_moderation_pages_are_accessible(live_site, desktop, assert_accessible):
    add_programme(live_site.app)
    with live_site.app.app_context():
        service_id = db.session.scalar(select(Team.service_id).order_by(Team.id).limit(1))
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme/group-moderation", "Group moderation")
    # Nothing to draw from yet: the error state.
    check(page, assert_accessible, f"/programme/group-moderation/{service_id}/choose", "Choose this month's evaluation")
    page.select_option("#form_key", "practice-evaluation")
    check_errors(page, assert_accessible, "Choose at random")
    add_evaluation(live_site.app)
    page.click("button:has-text('Choose at random')")
    page.wait_for_url("**/programme/group-moderation/*")
    assert "Group moderation:" in page.locator("h1").inner_text()
    assert_accessible(page)
    check_errors(page, assert_accessible, "Record the moderation")
    page.get_by_label("Quinn Admin").check()
    page.get_by_label("Sam Manager").check()
    today = date.today()
    page.fill("#held_on-day", str(today.day))
    page.fill("#held_on-month", str(today.month))
    page.fill("#held_on-year", str(today.year))
    page.get_by_label("Good", exact=True).check()
    page.fill("#comment", "The record shows the child's voice throughout.")
    page.click("button:has-text('Record the moderation')")
    page.locator(".govuk-notification-banner").wait_for(state="visible")
    assert "Moderated by a group: Quinn Admin, Sam Manager" in page.locator("main").inner_text()
    assert_accessible(page)
    check(page, assert_accessible, "/programme/group-moderation", "Group moderation")
