"""The reports dashboard and a team summary in a real browser: axe-core finds no WCAG 2.2 AA problems,
on a laptop and on a phone, with data in every table, and the download button gives the workbook."""

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Allocation, Audit, AuditAction, PeerReview, User
from qaf.reports.periods import period_containing, uk_today
from qaf.responses import ensure_form_version, store_response

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


def sign_in(page: Page, email: str) -> Page:
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/staff")
    return page


@pytest.fixture
def reports_site(live_site):
    """A QA administrator, a team manager in Ashford, and this quarter's feedback, audit (peer reviewed) and action."""
    this_quarter = period_containing(uk_today())
    at = datetime.combine(this_quarter.first_day, datetime.min.time()).replace(hour=12)
    with live_site.app.app_context():
        password_hash = hash_password(PASSWORD)
        admin = User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin", password_hash=password_hash)
        manager = User(
            email="tm@example.gov.uk", name="Tom Manager", role="auditor", team_id=1, password_hash=password_hash
        )
        db.session.add_all([admin, manager])
        db.session.commit()
        forms = all_forms()
        for helped in ("yes_a_lot", "no_change", "yes_a_little"):
            answers = {
                "who_is_answering": "parent_carer",
                "help_helped": helped,
                "what_helped": "=1+1",
                "listened_to": "agree",
                "involved_in_plan": "agree",
                "treated_with_respect": "agree",
                "help_at_right_time": "agree",
                "things_at_start": 3,
                "things_now": 8,
            }
            store_response(forms["family"], answers, team_id=1, stage="closure", submitted_at=at)
        spec = forms["ehat-quality-audit"]
        audit = Audit(
            form_key=spec.key,
            form_version_id=ensure_form_version(spec),
            case_reference="EH-1",
            team_id=1,
            auditor_id=manager.id,
            status="submitted",
            answers={"assessment_1": "met", "assessment_2": "not_met", "impact": "7", "judgement": "good"},
            grade="good",
            scaling=7,
            submitted_at=at,
        )
        db.session.add(audit)
        db.session.flush()
        db.session.add(
            AuditAction(
                audit_id=audit.id,
                action="Update the chronology",
                owner_id=manager.id,
                due_date=date(2099, 1, 1),
                created_by_id=manager.id,
                created_at=at,
            )
        )
        second = Audit(
            form_key=spec.key,
            form_version_id=audit.form_version_id,
            case_reference="EH-1",
            team_id=1,
            auditor_id=admin.id,
            status="submitted",
            answers=audit.answers | {"judgement": "requires_improvement"},
            grade="requires_improvement",
            submitted_at=at,
        )
        db.session.add(second)
        db.session.flush()
        allocation = Allocation(
            kind="peer_review",
            case_reference="EH-1",
            team_id=1,
            auditor_id=admin.id,
            form_key=spec.key,
            due_date=at.date(),
            audit_id=second.id,
        )
        db.session.add(allocation)
        db.session.flush()
        db.session.add(PeerReview(first_audit_id=audit.id, allocation_id=allocation.id, seed=1, share=100))
        db.session.commit()
    return live_site


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_dashboard_is_accessible_and_downloads_the_workbook(request, reports_site, assert_accessible, screen):
    page = sign_in(request.getfixturevalue(screen), "qa@example.gov.uk")
    page.goto("/reports")
    assert page.locator("h1").inner_text() == "Reports"
    assert page.locator("table.qaf-measures tbody tr").count() > 5
    kappa = page.locator("table.qaf-measures tbody tr", has_text="Peer review kappa")
    assert kappa.locator("td").first.inner_text() == "0.00"
    assert_accessible(page)
    page.locator("summary:has-text('Use other dates')").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("button:has-text('Download the spreadsheet')")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert "family" in book.sheetnames
    page.goto("/reports?period=not+a+period")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_team_summary_is_accessible(request, reports_site, assert_accessible, screen):
    page = sign_in(request.getfixturevalue(screen), "tm@example.gov.uk")
    page.goto("/reports/teams")
    assert page.locator("h1").inner_text() == "Ashford Early Help Unit: team summary"
    assert "Update the chronology" in page.locator("main").inner_text()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("form.qaf-filter").first.is_visible()
    assert not page.locator("details").is_visible()
    assert_accessible(page)
