"""The QA programme's pages in a real browser: schedule, cases, samples, allocation, peer review, thematic work.

Each page, and each form's error state, is checked with axe-core (WCAG 2.2 AA): zero problems.
"""

from datetime import date

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import (
    Activity,
    ActivityWork,
    Allocation,
    Audit,
    PeerReview,
    Service,
    Team,
    ThematicEvaluation,
    User,
    utc_now,
)
from qaf.programme.demo import load_demo_programme
from qaf.responses import ensure_form_version

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


def add_programme(app) -> dict[str, int]:
    """Staff, the demo schedule with its cases, sample and allocations, and a peer review ready to settle."""
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        admin = User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin", password_hash=password_hash)
        auditor = User(
            email="auditor@example.gov.uk", name="Alex Auditor", role="auditor", team_id=1, password_hash=password_hash
        )
        reviewer = User(email="other@example.gov.uk", name="Olu Other", role="auditor", team_id=2)
        db.session.add_all([admin, auditor, reviewer])
        db.session.commit()
        load_demo_programme()
        version = ensure_form_version(all_forms()["ehat-quality-audit"])
        common = {
            "form_key": "ehat-quality-audit",
            "form_version_id": version,
            "case_reference": "DEMO-00001",
            "submitted_at": utc_now(),
        }
        first = Audit(**common, team_id=1, auditor_id=auditor.id, status="submitted", grade="good", answers={})
        second = Audit(**common, team_id=1, auditor_id=reviewer.id, status="submitted", grade="inadequate", answers={})
        db.session.add_all([first, second])
        db.session.flush()
        allocation = Allocation(
            kind="peer_review",
            case_reference="DEMO-00001",
            team_id=1,
            auditor_id=reviewer.id,
            form_key="ehat-quality-audit",
            due_date=date.today(),
            audit_id=second.id,
        )
        db.session.add(allocation)
        db.session.flush()
        review = PeerReview(first_audit_id=first.id, allocation_id=allocation.id, seed=1, share=10)
        db.session.add(review)
        db.session.commit()
        return {
            "activity": db.session.scalar(
                select(Activity.id).where(Activity.name == "Early Help Assessment dip sample")
            ),
            "work": db.session.scalar(select(ActivityWork.id).order_by(ActivityWork.id)),
            "allocation": db.session.scalar(select(Allocation.id).where(Allocation.kind == "audit")),
            "peer_review": review.id,
            "thematic": db.session.scalar(select(ThematicEvaluation.id)),
            "auditor": auditor.id,
        }


def sign_in(page: Page, email: str) -> Page:
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff")
    return page


def check(page: Page, assert_accessible, path: str, heading: str) -> None:
    page.goto(path)
    assert heading in page.locator("h1").inner_text()
    assert_accessible(page)


def check_errors(page: Page, assert_accessible, button: str) -> None:
    page.click(f"button:has-text('{button}')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_the_schedule_and_activity_pages_are_accessible(live_site, desktop, assert_accessible):
    ids = add_programme(live_site.app)
    with live_site.app.app_context():
        hubs = Service(slug="youth-hubs", name="Youth Hubs")
        db.session.add_all([hubs, Team(slug="thanet-youth", name="Thanet Youth Hub", district="Thanet", service=hubs)])
        db.session.commit()
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme", "QA programme")
    assert page.get_by_role("heading", name="Done on time").is_visible()
    check(page, assert_accessible, f"/programme/activities/{ids['activity']}", "Early Help Assessment dip sample")
    check(page, assert_accessible, "/programme/activities/new", "Add an activity")
    check_errors(page, assert_accessible, "Save activity")
    check(page, assert_accessible, f"/programme/activities/{ids['activity']}/edit", "Change")
    check(page, assert_accessible, f"/programme/work/{ids['work']}", "work due")
    check(page, assert_accessible, "/programme/assigned", "Assigned to you")
    # One activity across two services (Kent: each children's centre and youth hub).
    check(page, assert_accessible, f"/programme/activities/{ids['activity']}/edit", "Change")
    page.get_by_label("Early Help Units", exact=True).check()
    page.get_by_label("Youth Hubs", exact=True).check()
    page.click("button:has-text('Save activity')")
    page.wait_for_url(f"**/programme/activities/{ids['activity']}")
    assert "Early Help Units and Youth Hubs" in page.locator("main").inner_text()


def test_the_case_sample_and_allocation_pages_are_accessible(live_site, desktop, assert_accessible):
    ids = add_programme(live_site.app)
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme/cases", "Cases")
    check(page, assert_accessible, "/programme/cases/import", "Import a case list")
    check_errors(page, assert_accessible, "Import cases")
    with live_site.app.app_context():
        slug = db.session.scalar(select(Team.slug).order_by(Team.id).limit(1))
    refused, imported = (
        ("EH-1,nowhere,2026-01-10", "Case list not imported"),
        (f"EH-2,{slug},2026-01-10", "Case list imported"),
    )
    for line, heading in (refused, imported):
        csv_file = {"name": "cases.csv", "mimeType": "text/csv", "buffer": f"reference,team,opened\n{line}\n".encode()}
        page.set_input_files("#case_file", files=[csv_file])
        page.click("button:has-text('Import cases')")
        page.wait_for_url("**/programme/cases/imports/*")
        assert page.locator("h1").inner_text() == heading
        assert page.title().startswith("Error: ") == (heading == "Case list not imported")
        assert_accessible(page)
    # The demo's open cases of that team were not in the file: listed, with the way to close them.
    assert "open cases were not in this file" in page.locator("#left-out").inner_text()
    imported_page = page.url
    page.click("a:has-text('Close these')")
    page.wait_for_url("**/close-left-out")
    assert "not in this file" in page.locator("h1").inner_text()
    assert_accessible(page)
    check_errors(page, assert_accessible, "Continue")
    page.check("input[name=close][value=no]")
    page.click("button:has-text('Continue')")
    page.wait_for_url(imported_page)
    assert "Nothing was changed" in page.content()
    assert_accessible(page)
    check(page, assert_accessible, "/programme/cases/headings", "Headings in your case system's export")
    page.fill("#reference", "Team")
    check_errors(page, assert_accessible, "Save headings")
    check(page, assert_accessible, f"/programme/activities/{ids['activity']}/samples/new", "Draw a sample")
    page.fill("#due_date-day", "40")
    check_errors(page, assert_accessible, "Draw the sample")
    check(page, assert_accessible, "/programme/samples/1", "Sample 1")
    check(page, assert_accessible, "/programme/allocations", "Allocations")
    check(page, assert_accessible, f"/programme/allocations/{ids['allocation']}", "Allocation of case")
    check(page, assert_accessible, "/programme/auditors", "Auditors and quotas")
    check(page, assert_accessible, f"/programme/auditors/{ids['auditor']}", "Monthly quota")


def test_an_auditor_sees_and_starts_their_assigned_audits_accessibly(live_site, desktop, assert_accessible):
    add_programme(live_site.app)
    page = sign_in(desktop, "auditor@example.gov.uk")
    check(page, assert_accessible, "/programme/assigned", "Assigned to you")
    page.locator("button:has-text('Start')").first.click()
    page.wait_for_url("**/edit")
    assert "DEMO-" in page.locator("main").inner_text()
    assert_accessible(page)


def test_the_peer_review_pages_are_accessible(live_site, desktop, assert_accessible):
    ids = add_programme(live_site.app)
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme/peer-reviews", "Peer reviews")
    check(page, assert_accessible, "/programme/peer-reviews/new", "Draw audits for peer review")
    page.fill("#share", "")
    check_errors(page, assert_accessible, "Draw and allocate")
    check(page, assert_accessible, f"/programme/peer-reviews/{ids['peer_review']}", "Peer review of case DEMO-00001")
    check_errors(page, assert_accessible, "Settle the grade")


def test_the_thematic_evaluation_pages_are_accessible(live_site, desktop, assert_accessible):
    ids = add_programme(live_site.app)
    page = sign_in(desktop, "qa@example.gov.uk")
    check(page, assert_accessible, "/programme/thematic", "Thematic evaluations")
    check(page, assert_accessible, "/programme/thematic/new", "Commission a thematic evaluation")
    check_errors(page, assert_accessible, "Save the terms of reference")
    check(page, assert_accessible, f"/programme/thematic/{ids['thematic']}", "Voice of the child")
    check(page, assert_accessible, f"/programme/thematic/{ids['thematic']}/edit", "Terms of reference")
    check(page, assert_accessible, f"/programme/thematic/{ids['thematic']}/findings", "Findings and recommendations")
    check(page, assert_accessible, f"/programme/thematic/{ids['thematic']}/samples/new", "Draw a sample")
    check(page, assert_accessible, f"/programme/thematic/{ids['thematic']}/summary", "Summary: Voice of the child")
