"""Staff pages in a real browser: signing in, people and teams, the audit journey, invitations and rounds.

Each page, and each form's error state, is checked with axe-core (WCAG 2.2 AA): zero problems.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import FeedbackRound, User

pytestmark = pytest.mark.browser

PASSWORD = "kettle orchard lantern"


@pytest.fixture
def admin_page(live_site, desktop: Page) -> Page:
    with live_site.app.app_context():
        db.session.add_all(
            [
                User(
                    email="qa@example.gov.uk",
                    name="Quinn Admin",
                    role="qa_admin",
                    password_hash=hash_password(PASSWORD),
                ),
                User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team_id=1),
            ]
        )
        db.session.commit()
    desktop.goto("/sign-in")
    desktop.fill("#email", "qa@example.gov.uk")
    desktop.fill("#password", PASSWORD)
    desktop.click("button:has-text('Sign in')")
    desktop.wait_for_url("**/staff")
    return desktop


def visit_and_check(page: Page, assert_accessible, path: str, heading: str) -> None:
    page.goto(path)
    assert heading in page.locator("h1").inner_text()
    assert_accessible(page)


def submit_empty_and_check(page: Page, assert_accessible, button: str) -> None:
    page.click(f"button:has-text('{button}')")
    # Wait for the new page, not the one the button was on.
    page.wait_for_load_state()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_sign_in_and_its_error_state_are_accessible(live_site, desktop, assert_accessible):
    visit_and_check(desktop, assert_accessible, "/sign-in", "Sign in")
    submit_empty_and_check(desktop, assert_accessible, "Sign in")
    visit_and_check(desktop, assert_accessible, "/forgot-password", "Reset your password")


def test_people_and_teams_pages_are_accessible(admin_page, assert_accessible):
    visit_and_check(admin_page, assert_accessible, "/staff", "Your work")
    visit_and_check(admin_page, assert_accessible, "/admin/people", "People")
    visit_and_check(admin_page, assert_accessible, "/admin/people/new", "Add a person")
    submit_empty_and_check(admin_page, assert_accessible, "Add person")
    visit_and_check(admin_page, assert_accessible, "/admin/people/import", "Add people from a CSV file")
    submit_empty_and_check(admin_page, assert_accessible, "Add people")
    visit_and_check(admin_page, assert_accessible, "/admin/people/2", "Priya Worker")
    visit_and_check(admin_page, assert_accessible, "/admin/organisation", "Services and teams")
    visit_and_check(admin_page, assert_accessible, "/admin/teams/new", "Add a team")
    submit_empty_and_check(admin_page, assert_accessible, "Save")
    visit_and_check(admin_page, assert_accessible, "/admin/audit-log", "Audit log")
    visit_and_check(admin_page, assert_accessible, "/admin/outbox", "Outbox")
    visit_and_check(admin_page, assert_accessible, "/account/change-password", "Change your password")


def test_the_audit_journey_is_accessible_from_start_to_actions(live_site, admin_page, assert_accessible):
    page = admin_page
    visit_and_check(page, assert_accessible, "/audits", "Audits")
    # Once the audit is known the form asks what it needs: here no case reference, and the person observed.
    visit_and_check(page, assert_accessible, "/audits/new?template=practice-observation", "Start an audit")
    visit_and_check(page, assert_accessible, "/audits/new", "Start an audit")
    submit_empty_and_check(page, assert_accessible, "Start audit")
    page.check("input[name=template][value=ehat-quality-audit]")
    page.fill("#case_reference", "EH-4001")
    page.select_option("#team", "1")
    page.select_option("#practitioner", "2")
    page.click("button:has-text('Start audit')")
    page.wait_for_url(re.compile(r".*/audits/\d+/edit"))
    assert_accessible(page)
    page.click("button:has-text('Submit audit')")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)

    with live_site.app.app_context():
        spec = all_forms()["ehat-quality-audit"]
    for question in spec.questions:
        if question.required and question.options:
            choice = "inadequate" if question.id == spec.grade_question else question.options[0].value
            page.check(f"input[name={question.id}][value='{choice}']")
        elif question.required:
            page.fill(f"#{question.id}", "Seen in the record")
    page.click("button:has-text('Submit audit')")
    page.wait_for_url(re.compile(r".*/audits/\d+$"))
    assert "Alert 1 sent" in page.locator("main").inner_text()
    assert_accessible(page)

    page.click("text=Raise an action")
    assert_accessible(page)
    submit_empty_and_check(page, assert_accessible, "Raise action")
    page.fill("#target", "The chronology shows what happened and when")
    page.fill("#action", "Update the chronology")
    page.select_option("#owner", "2")
    due = date.today() + timedelta(days=7)
    page.fill("#due_date-day", str(due.day))
    page.fill("#due_date-month", str(due.month))
    page.fill("#due_date-year", str(due.year))
    page.click("button:has-text('Raise action')")
    page.click("text=Update the chronology")
    assert_accessible(page)
    visit_and_check(page, assert_accessible, "/actions/tracker", "Action tracker")


def test_invitations_are_accessible_for_the_worker_and_the_family(live_site, admin_page, chromium, assert_accessible):
    page = admin_page
    visit_and_check(page, assert_accessible, "/invitations", "Invitations")
    visit_and_check(page, assert_accessible, "/invitations/new", "Invite a family")
    submit_empty_and_check(page, assert_accessible, "Make the link")
    page.check("input[name=form][value=family]")
    page.fill("#case_reference", "EH-777")
    page.select_option("#team", "1")
    page.check("input[name=stage][value=review]")
    page.click("button:has-text('Make the link')")
    assert "Invitation made" in page.locator("h1").inner_text()
    assert_accessible(page)
    # The slip shows PUBLIC_URL's address; the test site runs on its own port.
    link = live_site.url + re.search(r"/i/[\w-]+", page.locator(".qaf-slip__link").inner_text()).group(0)
    visit_and_check(page, assert_accessible, "/invitations/bulk", "Invite families from a CSV file")

    family = chromium.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, ignore_https_errors=True
    ).new_page()
    family.goto(link)
    assert_accessible(family)
    family.click("button:has-text('Send feedback')")
    family.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(family)
    with live_site.app.app_context():
        spec = all_forms()["family"]
    for question in spec.questions:
        # The first answer to who is answering is a parent or carer: the question for young people is not shown.
        if question.required and question.show_if is None:
            family.check(f"input[name={question.id}] >> nth=0")
    family.click("button:has-text('Send feedback')")
    assert "Feedback sent" in family.locator("h1").inner_text()
    family.goto(link)
    assert "already answered" in family.locator("h1").inner_text()
    assert_accessible(family)
    family.context.close()


def test_cancelling_and_re_issuing_a_link_and_the_dead_link_are_accessible(
    live_site, admin_page, chromium, assert_accessible
):
    page = admin_page
    page.goto("/invitations/new")
    page.check("input[name=form][value=closure]")
    page.fill("#case_reference", "EH-778")
    page.select_option("#team", "1")
    page.check("input[name=stage][value=closure]")
    page.click("button:has-text('Make the link')")
    old_link = live_site.url + re.search(r"/i/[\w-]+", page.locator(".qaf-slip__link").inner_text()).group(0)
    visit_and_check(page, assert_accessible, "/invitations", "Invitations")
    page.click("text=Cancel or re-issue")
    assert "Invitation for case EH-778" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.click("button:has-text('Cancel this link and make a new one')")
    assert "Invitation made" in page.locator("h1").inner_text()
    new_link = live_site.url + re.search(r"/i/[\w-]+", page.locator(".qaf-slip__link").inner_text()).group(0)

    family = chromium.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, ignore_https_errors=True
    ).new_page()
    family.goto(old_link)
    assert "This link was cancelled" in family.locator("h1").inner_text()
    assert_accessible(family)
    family.goto(new_link)
    assert "case reference" in family.locator("main").inner_text()
    assert_accessible(family)
    family.context.close()


def test_rounds_and_a_round_link_are_accessible(live_site, admin_page, assert_accessible):
    page = admin_page
    visit_and_check(page, assert_accessible, "/admin/rounds", "Rounds and waves")
    visit_and_check(page, assert_accessible, "/admin/rounds/new", "Open a round or wave")
    submit_empty_and_check(page, assert_accessible, "Save")
    with live_site.app.app_context():
        found = FeedbackRound(
            form_key="partner", name="Autumn round", opens_on=date.today(), closes_on=date.today() + timedelta(days=9)
        )
        db.session.add(found)
        db.session.commit()
        round_id = found.id
    visit_and_check(page, assert_accessible, f"/admin/rounds/{round_id}", "Autumn round")
    visit_and_check(page, assert_accessible, f"/admin/rounds/{round_id}/edit", "Change Autumn round")
    page.fill("#name", "")
    submit_empty_and_check(page, assert_accessible, "Save changes")
    visit_and_check(page, assert_accessible, f"/admin/rounds/{round_id}/delete", "Delete Autumn round")
    visit_and_check(page, assert_accessible, f"/feedback/partner/rounds/{round_id}", "")
    visit_and_check(page, assert_accessible, "/reports/response-rates", "Response rates")


def test_voiding_a_burst_of_responses_is_accessible(live_site, admin_page, assert_accessible):
    from datetime import datetime

    from tests.reports.conftest import FAMILY_ANSWERS, respond

    start = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    for second in range(12):
        respond(live_site.app, FAMILY_ANSWERS | {"help_helped": "no_change"}, at=start + timedelta(seconds=second))
    page = admin_page
    visit_and_check(page, assert_accessible, "/admin/voids", "Void")
    page.get_by_role("link", name=re.compile("^Choose")).first.click()
    expect(page.locator("input[name=response]:checked")).to_have_count(12)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Void")).click()
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert_accessible(page)
    page.get_by_label("Why are they being voided?").fill("One address, twelve answers in twelve seconds")
    page.get_by_role("button", name=re.compile("^Void")).click()
    # The next page, not the one the button was on: wait for what only it says.
    expect(page.locator("main")).to_contain_text("12 responses are voided now")
    assert_accessible(page)


def test_the_sign_in_link_pages_are_accessible(live_site, desktop, assert_accessible):
    visit_and_check(desktop, assert_accessible, "/sign-in-link", "Get a link to sign in")
    submit_empty_and_check(desktop, assert_accessible, "Email me a sign-in link")
    desktop.fill("#email", "nobody@example.gov.uk")
    desktop.click("button:has-text('Email me a sign-in link')")
    desktop.wait_for_load_state()
    assert_accessible(desktop)


SHOTS = Path("/work/shots/partners")


def shoot(page: Page, name: str) -> None:
    """The page at desktop width and at 390 px, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} scrolls sideways at 390 px"
    if size:
        page.set_viewport_size(size)


def test_partner_contacts_and_emailing_a_round_are_accessible(live_site, admin_page, assert_accessible):
    from qaf.models import PartnerContact, RoundEmail
    from qaf.responses import store_response

    page = admin_page
    visit_and_check(page, assert_accessible, "/admin/partner-contacts", "Partner contacts")
    visit_and_check(page, assert_accessible, "/admin/partner-contacts/new", "Add a partner contact")
    submit_empty_and_check(page, assert_accessible, "Save")
    page.fill("#organisation", "Ashford Oaks Primary School")
    page.check("input[name=agency_type][value=school]")
    page.fill("#email", "head@ashfordoaks.sch.uk")
    page.click("button:has-text('Save')")
    page.wait_for_url("**/admin/partner-contacts")
    visit_and_check(page, assert_accessible, "/admin/partner-contacts/import", "Add or change partner contacts")
    submit_empty_and_check(page, assert_accessible, "Add or change contacts")
    kinds = ("school", "health", "police", "voluntary_sector")
    with live_site.app.app_context():
        contacts = [
            PartnerContact(
                organisation=f"{kind.replace('_', ' ').title()} partner {n}",
                agency_type=kind,
                district="Dover" if n % 2 else "",
                email=f"partner{n}@{kind.replace('_', '-')}.example.org",
            )
            for n, kind in enumerate(kinds * 3)
        ]
        found = FeedbackRound(
            form_key="partner", name="Autumn round", opens_on=date.today(), closes_on=date.today() + timedelta(days=30)
        )
        db.session.add_all([*contacts, found])
        db.session.flush()
        db.session.add_all(
            RoundEmail(round_id=found.id, contact_id=contact.id, agency_type=contact.agency_type)
            for contact in contacts[:8]
        )
        db.session.commit()
        round_id, contact_id = found.id, contacts[0].id
        spec = all_forms()["partner"]
        base = {question.id: question.options[0].value for question in spec.questions if question.required}
        for kind, count in (("school", 6), ("health", 2), ("police", 7)):
            for _ in range(count):
                store_response(spec, base | {"agency_type": kind}, team_id=None, stage=None, round_id=round_id)
    visit_and_check(page, assert_accessible, "/admin/partner-contacts", "Partner contacts")
    shoot(page, "contacts")
    visit_and_check(page, assert_accessible, f"/admin/partner-contacts/{contact_id}", "Change the contact at")
    visit_and_check(page, assert_accessible, f"/admin/partner-contacts/{contact_id}/remove", "Remove the contact at")
    visit_and_check(page, assert_accessible, f"/admin/rounds/{round_id}", "Autumn round")
    shoot(page, "round")
    page.click("a:has-text('Email the link to 5 partner contacts')")
    page.wait_for_url(f"**/admin/rounds/{round_id}/email-partners")
    assert "Email the link to partner contacts" in page.locator("h1").inner_text()
    assert_accessible(page)
    shoot(page, "send")
    for box in page.locator("input[name=contacts]").all():
        box.uncheck()
    submit_empty_and_check(page, assert_accessible, "Email the link to the contacts chosen")
    page.locator("input[name=contacts]").first.check()
    page.click("button:has-text('Email the link to the contacts chosen')")
    page.wait_for_url(f"**/admin/rounds/{round_id}")
    assert "Email the link to 5 partner contacts" not in page.content()
    assert "9 partner contacts" in page.locator(".govuk-summary-list").inner_text()


def test_emailing_a_staff_wave_is_accessible(live_site, admin_page, assert_accessible):
    page = admin_page
    with live_site.app.app_context():
        found = FeedbackRound(
            form_key="staff-survey", name="Spring wave", opens_on=date.today(), closes_on=date.today() + timedelta(9)
        )
        db.session.add(found)
        db.session.commit()
        round_id = found.id
    visit_and_check(page, assert_accessible, f"/admin/rounds/{round_id}/email-staff", "Email the link to staff")
    page.fill("#addresses", "ava.ahmed@kent.gov.uk\nben at kent")
    submit_empty_and_check(page, assert_accessible, "Email the link")
    shoot(page, "staff-wave-error")
    page.fill("#addresses", "ava.ahmed@kent.gov.uk, ben.brown@kent.gov.uk")
    page.click("button:has-text('Email the link')")
    page.wait_for_url(f"**/admin/rounds/{round_id}")
    assert "2 staff (their addresses are not kept)" in page.locator(".govuk-summary-list").inner_text()
    assert_accessible(page)
