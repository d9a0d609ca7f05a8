"""Blind peer review: the second auditor cannot see the first grade anywhere; the moderator sees both and settles."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Audit, PeerReview, Team, User
from qaf.programme.peer_review import agreement_rows
from qaf.programme.periods import financial_quarter
from tests.audits.conftest import COMPLETE
from tests.audits.test_audit_workflow import start
from tests.programme.conftest import signed_in

TODAY = date.today()


def date_fields(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def submitted_audit(app, staff, case="EH-1001", judgement="good") -> int:
    auditor = signed_in(app, staff, "auditor")
    audit_id = start(auditor, staff, case=case)
    auditor.post(f"/audits/{audit_id}/edit", COMPLETE | {"judgement": judgement, "intent": "submit"})
    return audit_id


def make_reviewer_a_service_manager_in_the_same_service(app, staff) -> None:
    """Olu moves to Dover as a service manager: in scope of Ashford's audits, so blindness is the policy's doing."""
    with app.app_context():
        person = db.session.get(User, staff["other_auditor"]["id"])
        person.role = "service_manager"
        person.team_id = db.session.scalar(select(Team.id).where(Team.slug == "dover-ehu"))
        person.session_version += 1
        db.session.commit()


def draw(admin, share="100", seed="5") -> None:
    admin.post(
        "/programme/peer-reviews/new",
        {
            "form_key": "sample-audit",
            **date_fields("submitted_from", TODAY - timedelta(days=7)),
            **date_fields("submitted_to", TODAY),
            "share": share,
            "seed": seed,
            **date_fields("due_date", TODAY + timedelta(days=14)),
        },
        _expected_redirect="/programme/peer-reviews",
    )


def the_review(app) -> PeerReview:
    with app.app_context():
        review = db.session.scalars(select(PeerReview)).one()
        _ = review.allocation.auditor, review.first_audit
        db.session.expunge_all()
        return review


@pytest.fixture
def drawn(app, staff, admin):
    make_reviewer_a_service_manager_in_the_same_service(app, staff)
    first = submitted_audit(app, staff)
    signed_in(app, staff, "other_auditor").get(f"/audits/{first}")  # in scope before the draw
    draw(admin)
    return first


def test_a_share_of_submitted_audits_goes_to_a_second_auditor_from_another_team(app, staff, admin):
    submitted_audit(app, staff, "EH-1")
    submitted_audit(app, staff, "EH-2")
    draw(admin, share="50")
    review = the_review(app)
    assert review.allocation.auditor_id == staff["other_auditor"]["id"]
    assert (review.seed, review.share, review.allocation.kind) == (5, 50, "peer_review")
    assert review.allocation.case_reference == review.first_audit.case_reference
    page = admin.get("/programme/peer-reviews")
    assert "1 of 2 audits drawn for peer review with seed 5" in page.get_text()
    assert page.select_one(".govuk-notification-banner--success") is not None


def test_a_draw_that_finds_no_audits_says_so_not_as_a_success(app, staff, admin):
    draw(admin)
    page = admin.get("/programme/peer-reviews")
    banner = " ".join(page.select_one(".govuk-notification-banner").get_text().split())
    assert "No audits were drawn for peer review: no audits of the template submitted then are waiting." in banner
    assert page.select_one(".govuk-notification-banner--success") is None


def test_the_second_auditor_cannot_open_or_see_the_first_audit_before_submitting_theirs(app, staff, drawn):
    reviewer = signed_in(app, staff, "other_auditor")
    reviewer.get(f"/audits/{drawn}", _expected_status=403)
    reviewer.get(f"/audits/{drawn}/moderate", _expected_status=403)
    reviewer.get(f"/audits/{drawn}/actions/new", _expected_status=403)
    review = the_review(app)
    reviewer.get(f"/programme/peer-reviews/{review.id}", _expected_status=403)
    for page in ("/audits", "/programme/assigned", "/programme/peer-reviews", "/programme/thematic"):
        text = reviewer.get(page).get_text()
        assert "Good" not in text, page
        assert f"/audits/{drawn}" not in str(reviewer.get(page)), page
    assigned = reviewer.get("/programme/assigned")
    row = next(row for row in assigned.select("tr") if "EH-1001" in row.get_text())
    assert "blind peer review" in row.get_text()

    response = reviewer.client.post(f"/programme/allocations/{review.allocation_id}/start")
    second = int(re.fullmatch(r"/audits/(\d+)/edit", response.headers["Location"]).group(1))
    page = reviewer.get(f"/audits/{second}/edit")
    assert "EH-1001" in page.get_text()
    assert "Good" not in page.select_one(".govuk-summary-list").get_text()
    reviewer.post(f"/audits/{second}/edit", COMPLETE | {"judgement": "requires_improvement", "intent": "draft"})
    reviewer.get(f"/audits/{drawn}", _expected_status=403)
    reviewer.post(f"/audits/{second}/edit", COMPLETE | {"judgement": "requires_improvement", "intent": "submit"})
    reviewer.get(f"/audits/{drawn}")


def test_alerted_managers_and_the_team_are_never_second_auditors(app, staff, admin):
    make_reviewer_a_service_manager_in_the_same_service(app, staff)
    submitted_audit(app, staff, judgement="inadequate")  # alerts every service manager in the service
    admin.post(
        "/programme/peer-reviews/new",
        {
            "form_key": "sample-audit",
            **date_fields("submitted_from", TODAY),
            **date_fields("submitted_to", TODAY),
            "share": "100",
            **date_fields("due_date", TODAY + timedelta(days=14)),
        },
    )
    assert "nobody from another team may review it" in admin.get("/programme/peer-reviews").get_text()
    with app.app_context():
        assert db.session.scalars(select(PeerReview)).all() == []


def test_the_moderator_settles_the_grade_with_both_audits_side_by_side(app, staff, drawn):
    manager = signed_in(app, staff, "service_manager")
    assert "Waiting for your moderation" not in manager.get("/audits").get_text()
    manager.get(f"/audits/{drawn}/moderate", _expected_status=403)
    review = the_review(app)
    page = manager.get(f"/programme/peer-reviews/{review.id}")
    assert "Waiting for the second audit by Olu Other" in page.get_text()
    assert not page.select("form[action*=peer-reviews]")

    reviewer = signed_in(app, staff, "other_auditor")
    response = reviewer.client.post(f"/programme/allocations/{review.allocation_id}/start")
    second = int(re.fullmatch(r"/audits/(\d+)/edit", response.headers["Location"]).group(1))
    reviewer.post(
        f"/audits/{second}/edit",
        COMPLETE | {"judgement": "requires_improvement", "a1": "not_met", "intent": "submit"},
    )
    manager.get(f"/audits/{second}/moderate", _expected_status=403)
    page = manager.get(f"/programme/peer-reviews/{review.id}")
    grade_row = next(row for row in page.select("tr") if "Overall grade" in row.get_text())
    assert [cell.get_text(strip=True) for cell in grade_row.select("td")] == ["Good", "Requires improvement"]
    standard = next(row for row in page.select("tr") if "The assessment is up to date" in row.get_text())
    assert [cell.get_text(strip=True) for cell in standard.select("td")] == ["Partly met", "Not met"]
    assert "(the answers differ)" in standard.get_text()
    # Neither auditor settles their own peer review.
    reviewer.get(f"/programme/peer-reviews/{review.id}", _expected_status=403)
    signed_in(app, staff, "auditor").get(f"/programme/peer-reviews/{review.id}", _expected_status=403)

    manager.post(
        f"/programme/peer-reviews/{review.id}",
        {"grade": "requires_improvement", "comment": "The plan has no outcomes"},
        _expected_redirect=f"/programme/peer-reviews/{review.id}",
    )
    with app.app_context():
        first_audit, second_audit = db.session.get(Audit, drawn), db.session.get(Audit, second)
        assert first_audit.final_grade == "requires_improvement"
        assert first_audit.moderator_id == staff["service_manager"]["id"]
        assert second_audit.moderated_at is not None
        assert second_audit.final_grade == "requires_improvement"
        settled = db.session.get(PeerReview, review.id)
        assert (settled.settled_grade, settled.settled_comment) == ("requires_improvement", "The plan has no outcomes")
    page = manager.get(f"/programme/peer-reviews/{review.id}")
    assert "final grade Requires improvement" in page.get_text()
    listing = manager.get("/programme/peer-reviews")
    row = next(
        row for row in listing.select("tbody tr") if "Sample case audit" in row.get_text() and "%" in row.get_text()
    )
    assert [cell.get_text(strip=True) for cell in row.select("td")][2:] == ["1", "0", "0.0%", "0.00"]


def test_agreement_is_counted_per_template_and_quarter_once_both_are_submitted(app, staff, admin):
    for number, judgement in enumerate(["good", "good", "inadequate"]):
        submitted_audit(app, staff, f"EH-{number}", judgement)
    draw(admin)
    reviewer = signed_in(app, staff, "other_auditor")
    starts = [form["action"] for form in reviewer.get("/programme/assigned").select("form[action$='/start']")]
    assert starts == [f"/programme/allocations/{number}/start" for number in (1, 2, 3)]
    # Second grades: good, inadequate, inadequate. Pairs: agree, disagree, agree.
    # po = 2/3; pe = (2*1 + 1*2) / 9 = 4/9; kappa = (6/9 - 4/9) / (5/9) = 0.4
    for action, judgement in zip(starts, ["good", "inadequate", "inadequate"], strict=True):
        location = reviewer.client.post(action).headers["Location"]
        assert agreement_rows_now(app) == [] or agreement_rows_now(app)[0].figures.pairs < 3  # drafts do not count
        reviewer.post(location, COMPLETE | {"judgement": judgement, "intent": "submit"})
    rows = agreement_rows_now(app)
    assert [(row.form_key, row.period, row.figures.pairs, row.figures.agreed) for row in rows] == [
        ("sample-audit", financial_quarter(TODAY)[0], 3, 2)
    ]
    assert rows[0].figures.kappa == pytest.approx(0.4)
    page = signed_in(app, staff, "service_manager").get("/programme/peer-reviews")
    row = next(row for row in page.select("tbody tr") if "%" in row.get_text())
    assert [cell.get_text(strip=True) for cell in row.select("td")] == [
        "Sample case audit",
        financial_quarter(TODAY)[0],
        "3",
        "2",
        "66.7%",  # the reports' rounding: the dashboard says the same
        "0.40",
    ]


def agreement_rows_now(app):
    with app.app_context():
        return agreement_rows()
