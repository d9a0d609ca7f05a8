"""Drawing samples from the pages, allocating them (never anyone's own case, within quotas) and starting audits."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Allocation, Audit, Sample, SampleCase
from tests.conftest import error_summary
from tests.programme.conftest import add_cases, signed_in
from tests.programme.test_schedule import activity_form

DUE = date.today() + timedelta(days=20)


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


@pytest.fixture
def cases(app, staff):
    add_cases(
        app,
        {"worker_email": "auditor@example.gov.uk", "worker_id": staff["auditor"]["id"]},
        {"worker_email": "worker@example.gov.uk", "worker_id": staff["practitioner"]["id"]},
        {"team": "thanet-youth", "worker_email": "other@example.gov.uk"},
        {"team": "dover-ehu"},
    )


def rfp_activity(line="any", **changes) -> dict:
    """The RFP practice audit across the council: 100% of the cases active in the last six months, to auditors."""
    return activity_form(
        **{
            "name": "RFP practice audit",
            "each_team": "no",
            "services": None,
            "form_key": "sample-audit",
            "sample_rule": "percentage_active",
            "percent": "100",
            "months": "6",
            "allocation_line": line,
        }
        | changes
    )


def make_activity(admin, line="any", **changes):
    admin.post("/programme/activities/new", rfp_activity(line, **changes), _expected_redirect="/programme/activities/1")


def edit_activity(admin, line="any", **changes):
    """Change the activity made by ``make_activity`` (its people, its line)."""
    admin.post(
        "/programme/activities/1/edit", rfp_activity(line, **changes), _expected_redirect="/programme/activities/1"
    )


def draw(admin, seed="123", **fields) -> int:
    """Draw from the activity's page as the QA team would, keeping the rule the page suggests (and drawing
    another sample for the same work when one is drawn already)."""
    page = admin.get("/programme/activities/1/samples/new")
    suggested = {
        name: page.select_one(f"#{name}")["value"]
        for name in ("percent", "months", "count")
        if page.select_one(f"#{name}") and page.select_one(f"#{name}").get("value")
    }
    suggested["sample_rule"] = page.select_one("input[name=sample_rule][checked]")["value"]
    if page.select_one("input[name=another]"):
        suggested["another"] = "yes"  # these tests mean to draw again; drawing again unasked is tested on its own
    admin.post(
        "/programme/activities/1/samples/new",
        {"seed": seed, **date_fields("due_date", DUE), **suggested, **fields},
        _expected_redirect=None,
    )
    with admin.client.application.app_context():
        return db.session.scalar(select(Sample.id).order_by(Sample.id.desc()).limit(1))


def allocations(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.scalars(select(Allocation).where(Allocation.cancelled_at.is_(None)))
        return {row.case_reference: row.auditor.email for row in rows}


def test_a_sample_is_drawn_with_its_seed_and_each_case_says_why(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin)
    page = admin.get(f"/programme/samples/{sample_id}")
    text = " ".join(page.get_text().split())
    assert "100% of the cases active in the last 6 months" in text
    assert "Seed 123" in text
    assert "4 picked from 4 that matched" in text
    assert "Drawn at random with seed 123: 100% of 4 cases active" in text
    with app.app_context():
        sample = db.session.get(Sample, sample_id)
        assert (sample.seed, sample.rule, sample.parameters) == (
            123,
            "percentage_active",
            {"percent": 100, "months": 6},
        )
        assert sample.due_date == DUE


def test_the_same_seed_draws_the_same_cases_from_the_page(app, staff, admin):
    add_cases(app, *({"team": "dover-ehu"} for _ in range(40)))
    admin.post(
        "/programme/activities/new",
        activity_form(each_team="no", services=None, form_key="sample-audit", sample_rule="fixed_count", count="5"),
    )
    first, again, other = draw(admin, "77"), draw(admin, "77"), draw(admin, "78")
    with app.app_context():

        def picked(sample_id):
            query = select(SampleCase.case_id).where(SampleCase.sample_id == sample_id).order_by(SampleCase.position)
            return list(db.session.scalars(query))

        assert picked(first) == picked(again)
        assert picked(first) != picked(other)
        assert len(picked(first)) == 5


def test_a_blank_seed_is_chosen_and_recorded(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin, seed="")
    with app.app_context():
        assert db.session.get(Sample, sample_id).seed >= 0


def test_a_second_sample_for_the_same_work_is_drawn_only_when_confirmed(app, staff, admin, cases):
    """Cumbria: a themed sample after the month's dip sample made 16 cases for "eight a month"."""
    make_activity(admin)
    page = admin.get("/programme/activities/1/samples/new")
    assert page.select_one(".govuk-warning-text") is None
    assert page.select_one("input[name=another]") is None
    first = draw(admin)
    page = admin.get("/programme/activities/1/samples/new")
    warning = " ".join(page.select_one(".govuk-warning-text").get_text().split())
    assert "A sample has been drawn already for this work" in warning
    link = page.select_one(f"a[href='/programme/samples/{first}']")
    assert link is not None
    assert "4 cases" in link.parent.get_text()
    assert page.select_one("label[for=another]").get_text(strip=True) == "Draw another sample anyway"
    fields = {"seed": "9", "sample_rule": "percentage_active", "percent": "100", "months": "6"}
    page = admin.post(
        "/programme/activities/1/samples/new", {**fields, **date_fields("due_date", DUE)}, _expected_status=200
    )
    assert error_summary(page) == [
        ("Select ‘Draw another sample anyway’ to draw a second sample for this work", "#another")
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Sample)) == 1, "nothing is drawn"
    admin.post(
        "/programme/activities/1/samples/new",
        {**fields, **date_fields("due_date", DUE), "another": "yes"},
        _expected_redirect=f"/programme/samples/{first + 1}",
    )


def test_recently_audited_cases_can_be_left_out(app, staff, admin, cases):
    make_activity(admin)
    auditor = signed_in(app, staff, "service_manager")
    auditor.post(
        "/audits/new", {"template": "sample-audit", "case_reference": "EH-0004", "team": "2", "practitioner": ""}
    )
    sample_id = draw(admin, sample_rule="percentage_active", percent="100", months="6", exclude_audited_days="30")
    with app.app_context():
        sample = db.session.get(Sample, sample_id)
        assert sample.excluded == 1
        assert sorted(item.case.reference for item in sample.cases) == ["EH-0001", "EH-0002", "EH-0003"]


def test_nobody_is_given_a_case_they_work_on(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {}, _expected_redirect=f"/programme/samples/{sample_id}")
    given = allocations(app)
    assert len(given) == 4
    assert given["EH-0001"] == "other@example.gov.uk"
    assert given["EH-0003"] == "auditor@example.gov.uk"
    # Allocating again gives nothing twice.
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == given


def test_monthly_quotas_are_respected(app, staff, admin, cases):
    make_activity(admin)
    admin.post(f"/programme/auditors/{staff['other_auditor']['id']}", {"per_month": "1"})
    admin.post(f"/programme/auditors/{staff['auditor']['id']}", {"per_month": "2"})
    page = admin.get("/programme/auditors")
    assert "Olu Other" in page.get_text()
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    given = allocations(app)
    assert given["EH-0001"] == "other@example.gov.uk"
    counts = {email: list(given.values()).count(email) for email in set(given.values())}
    assert counts == {"other@example.gov.uk": 1, "auditor@example.gov.uk": 2}
    page = admin.get(f"/programme/samples/{sample_id}")
    assert "1 case not allocated yet" in page.get_text()
    # A second sample due the same month finds everyone at their quota.
    second = draw(admin)
    admin.post(f"/programme/samples/{second}/allocate", {})
    assert len(allocations(app)) == 3


def test_in_their_own_line_auditors_get_only_their_own_teams_cases(app, staff, admin, cases):
    make_activity(admin, line="own_line")
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == {"EH-0002": "auditor@example.gov.uk"}


def test_a_case_not_allocated_says_which_rule_kept_each_person_from_it(app, staff, admin, cases):
    """Own line: Alex (Ashford) works on EH-0001; Olu works on EH-0003 (Thanet's); Dover's is in nobody's line."""
    make_activity(admin, line="own_line")
    sample_id = draw(admin)
    page = allocate_and_look(admin, sample_id)
    own_case = "works on it (nobody audits their own case)"
    outside = "outside its line (the activity is set to own line)"
    assert banner(page) == (
        False,
        [
            "1 case allocated. 3 cases not allocated.",
            *(
                f"Not allocated: {reference}: nobody who may audit it inside their own line: of the activity's 2 "
                f"people, 1 person {own_case}; 1 person is {outside}"
                for reference in ("EH-0001", "EH-0003")
            ),
            f"Not allocated: EH-0004: nobody who may audit it inside their own line: of the activity's 2 people, "
            f"2 people are {outside}",
        ],
    )


def test_outside_their_own_line_auditors_get_only_other_teams_cases(app, staff, admin, cases):
    make_activity(admin, line="outside_line")
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == {
        "EH-0001": "other@example.gov.uk",
        "EH-0002": "other@example.gov.uk",
        "EH-0003": "auditor@example.gov.uk",
        "EH-0004": "auditor@example.gov.uk",
    }


def allocation_of(app, reference) -> Allocation:
    with app.app_context():
        found = db.session.scalar(select(Allocation).where(Allocation.case_reference == reference))
        db.session.expunge(found)
        return found


def test_an_allocation_cannot_be_moved_to_the_cases_worker_and_can_be_cancelled(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    allocation = allocation_of(app, "EH-0001")
    admin.get("/programme/allocations")
    page = admin.post(
        f"/programme/allocations/{allocation.id}",
        {"auditor": str(staff["auditor"]["id"]), "cancel": "no", **date_fields("due_date", DUE)},
        _expected_status=200,
    )
    assert error_summary(page) == [("Alex Auditor works on this case: nobody audits their own cases", "#auditor")]
    admin.post(
        f"/programme/allocations/{allocation.id}",
        {"auditor": str(staff["other_auditor"]["id"]), "cancel": "yes", **date_fields("due_date", DUE)},
    )
    assert "EH-0001" not in allocations(app)
    page = admin.get(f"/programme/samples/{sample_id}")
    assert "1 case not allocated yet" in page.get_text()


def test_an_auditor_sees_their_allocations_and_starting_one_opens_the_audit_filled_in(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    allocation = allocation_of(app, "EH-0002")
    assert allocation.auditor_id == staff["auditor"]["id"]
    auditor = signed_in(app, staff, "auditor")
    links = [link["href"] for link in auditor.get("/audits").select("a")]
    assert "/programme/assigned" in links
    page = auditor.get("/programme/assigned")
    row = next(row for row in page.select("tr") if "EH-0002" in row.get_text())
    assert "Sample case audit" in row.get_text()
    assert DUE.strftime("%-d %B %Y") in row.get_text()
    assert row.select_one("form")["action"] == f"/programme/allocations/{allocation.id}/start"

    signed_in(app, staff, "other_auditor").post(
        f"/programme/allocations/{allocation.id}/start", {}, _expected_status=403
    )
    signed_in(app, staff, "practitioner").post(
        f"/programme/allocations/{allocation.id}/start", {}, _expected_status=403
    )
    response = auditor.client.post(f"/programme/allocations/{allocation.id}/start")
    audit_id = int(re.fullmatch(r"/audits/(\d+)/edit", response.headers["Location"]).group(1))
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.case_reference, audit.team.slug, audit.practitioner_id, audit.auditor_id, audit.form_key) == (
            "EH-0002",
            "ashford-ehu",
            staff["practitioner"]["id"],
            staff["auditor"]["id"],
            "sample-audit",
        )
    page = auditor.get(f"/audits/{audit_id}/edit")
    assert "EH-0002" in page.get_text()
    again = auditor.client.post(f"/programme/allocations/{allocation.id}/start")
    assert again.headers["Location"] == f"/audits/{audit_id}/edit"
    assert "In progress" in auditor.get("/programme/assigned").get_text()


def _service_activity(admin, **changes):
    admin.post(
        "/programme/activities/new",
        activity_form(
            name="Early Help Units 10% audit",
            each_team="no",
            services="1",
            form_key="sample-audit",
            sample_rule="percentage_active",
            percent="100",
            months="6",
        )
        | changes,
        _expected_redirect="/programme/activities/1",
    )


def test_an_activity_for_one_service_samples_and_allocates_only_within_it(app, staff, admin, cases):
    _service_activity(admin)
    sample_id = draw(admin)
    with app.app_context():
        picked = set(db.session.scalars(select(SampleCase.case_id).where(SampleCase.sample_id == sample_id)))
        sample = db.session.get(Sample, sample_id)
        assert (len(picked), sample.candidates) == (3, 3), "the Youth Hub's case is not the units' to sample"
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == {"EH-0002": "auditor@example.gov.uk", "EH-0004": "auditor@example.gov.uk"}


def test_a_service_manager_with_no_team_is_given_their_services_cases(app, staff, admin, cases):
    from qaf.models import User

    with app.app_context():
        manager = db.session.get(User, staff["service_manager"]["id"])
        manager.team_id, manager.home_service_id = None, 1
        db.session.commit()
    _service_activity(admin, who_role="service_manager")
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert set(allocations(app).values()) == {"sm@example.gov.uk"}


def _sm_activity(admin, line: str, **changes):
    admin.post(
        "/programme/activities/new",
        activity_form(
            each_team="no",
            services=None,
            form_key="sample-audit",
            sample_rule="percentage_active",
            percent="100",
            months="6",
            who_role="service_manager",
            allocation_line=line,
        )
        | changes,
        _expected_redirect="/programme/activities/1",
    )


def test_a_service_manager_is_inside_the_line_of_every_team_in_their_service(app, staff, admin, cases):
    from qaf.models import User

    with app.app_context():
        manager = db.session.get(User, staff["service_manager"]["id"])
        manager.team_id, manager.home_service_id = None, 1
        db.session.commit()
    _sm_activity(admin, "own_line")
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == {
        "EH-0001": "sm@example.gov.uk",
        "EH-0002": "sm@example.gov.uk",
        "EH-0004": "sm@example.gov.uk",
    }, "Ashford's and Dover's cases are in Sam's line; the Youth Hub's is not"
    text = " ".join(admin.get(f"/programme/samples/{sample_id}").get_text().split())
    assert "EH-0003: nobody who may audit it inside their own line" in text


def test_outside_the_line_a_services_cases_go_to_someone_who_does_not_manage_it(app, staff, admin, cases):
    _sm_activity(admin, "outside_line", people=str(staff["other_auditor"]["id"]))
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    assert allocations(app) == {
        "EH-0001": "other@example.gov.uk",
        "EH-0002": "other@example.gov.uk",
        "EH-0003": "sm@example.gov.uk",
        "EH-0004": "other@example.gov.uk",
    }, "Sam manages Dover's service too: its case goes to Olu, from another service"


def allocate_and_look(admin, sample_id):
    """Allocate the sample's cases and open the page the QA team is sent back to (earlier messages shown first)."""
    admin.client.get("/programme/allocations")
    admin.post(f"/programme/samples/{sample_id}/allocate", {}, _expected_redirect=f"/programme/samples/{sample_id}")
    return admin.get(f"/programme/samples/{sample_id}")


def banner(page) -> tuple[bool, list[str]]:
    """Whether the page's banner is a success, and its lines."""
    lines = [" ".join(line.get_text().split()) for line in page.select(".govuk-notification-banner__heading")]
    return page.select_one(".govuk-notification-banner--success") is not None, lines


def test_allocating_every_case_says_so_in_a_success_banner(app, staff, admin, cases):
    make_activity(admin)
    sample_id = draw(admin)
    page = allocate_and_look(admin, sample_id)
    assert banner(page) == (True, ["4 cases allocated."])


def test_allocating_no_case_says_so_plainly_with_the_reasons_not_as_a_success(app, staff, admin, cases):
    make_activity(admin)
    for who in ("auditor", "other_auditor"):
        admin.post(f"/programme/auditors/{staff[who]['id']}", {"per_month": "0"})
    sample_id = draw(admin)
    page = allocate_and_look(admin, sample_id)
    assert banner(page) == (
        False,
        ["No cases were allocated."]
        + [
            f"Not allocated: EH-000{n}: everyone who may audit it has reached their monthly quota" for n in (1, 2, 3, 4)
        ],
    )
    assert allocations(app) == {}


def test_allocating_some_cases_says_how_many_were_left_not_as_a_success(app, staff, admin, cases):
    make_activity(admin)
    admin.post(f"/programme/auditors/{staff['other_auditor']['id']}", {"per_month": "1"})
    admin.post(f"/programme/auditors/{staff['auditor']['id']}", {"per_month": "2"})
    sample_id = draw(admin)
    page = allocate_and_look(admin, sample_id)
    success, lines = banner(page)
    assert not success
    assert lines[0] == "3 cases allocated. 1 case not allocated."
    assert lines[1].endswith("everyone who may audit it has reached their monthly quota")
    page = allocate_and_look(admin, sample_id)
    assert banner(page)[1][0] == "No cases were allocated."
    admin.post(f"/programme/auditors/{staff['auditor']['id']}", {"per_month": ""})
    allocate_and_look(admin, sample_id)
    page = allocate_and_look(admin, sample_id)
    assert banner(page) == (False, ["No cases were allocated: every case in the sample has an auditor already."])
