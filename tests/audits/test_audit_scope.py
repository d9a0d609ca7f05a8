"""Who may start an audit of which team: their own part of the organisation, or a case allocated to them."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Alert, Allocation, Audit, Team, utc_now
from qaf.responses import ensure_form_version
from tests.audits.conftest import COMPLETE
from tests.conftest import ClientRequest, error_summary


def signed_in(app, staff, who: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff[who]["email"])


def team_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Team.id).where(Team.slug == slug))


def offered(page, name: str) -> list[str]:
    return [option.get_text().strip() for option in page.select(f"#{name} option") if option.get("value")]


def stored(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def audit_of(app, staff, team: str, practitioner: str | None = "practitioner", case="EH-3001") -> dict[str, str]:
    return {
        "template": "sample-audit",
        "case_reference": case,
        "team": str(team_id(app, team)),
        "practitioner": str(staff[practitioner]["id"]) if practitioner else "",
    }


def allocate(app, staff, who: str, team: str, case: str, *, cancelled: bool = False) -> None:
    with app.app_context():
        db.session.add(
            Allocation(
                case_reference=case,
                team_id=team_id(app, team),
                auditor_id=staff[who]["id"],
                form_key="sample-audit",
                due_date=date.today() + timedelta(days=7),
                cancelled_at=utc_now() if cancelled else None,
            )
        )
        db.session.commit()


@pytest.mark.parametrize(
    ("who", "teams"),
    [
        ("auditor", ["Ashford Early Help Unit (Early Help Units)"]),
        (
            "service_manager",
            ["Ashford Early Help Unit (Early Help Units)", "Dover Early Help Unit (Early Help Units)"],
        ),
        ("other_auditor", ["Thanet Youth Hub (Youth Hubs)"]),
        (
            "qa_admin",
            [
                "Ashford Early Help Unit (Early Help Units)",
                "Dover Early Help Unit (Early Help Units)",
                "Thanet Youth Hub (Youth Hubs)",
            ],
        ),
    ],
)
def test_the_new_audit_form_offers_only_the_teams_in_the_auditors_scope(app, staff, who, teams):
    assert offered(signed_in(app, staff, who).get("/audits/new"), "team") == teams


def test_the_new_audit_form_offers_only_practitioners_in_those_teams_but_never_the_auditor(app, staff):
    people = offered(signed_in(app, staff, "auditor").get("/audits/new"), "practitioner")
    assert "Priya Worker (Ashford Early Help Unit)" in people
    assert not [person for person in people if "Olu Other" in person or "Alex Auditor" in person]
    # Thanet's only member of staff is its auditor: nobody audits their own practice.
    assert offered(signed_in(app, staff, "other_auditor").get("/audits/new"), "practitioner") == []


def test_an_audit_posted_by_hand_for_a_team_in_another_service_is_refused_and_nothing_is_stored(app, staff):
    other = signed_in(app, staff, "other_auditor")
    page = other.post("/audits/new", audit_of(app, staff, "ashford-ehu"), _expected_status=200)
    assert page.title.get_text().strip().startswith("Error: ")
    assert ("Select the team from the list", "#team") in error_summary(page)
    assert stored(app, Audit) == 0


def test_a_team_manager_cannot_start_an_audit_of_another_team_in_their_service(app, staff):
    auditor = signed_in(app, staff, "auditor")
    page = auditor.post("/audits/new", audit_of(app, staff, "dover-ehu", practitioner=None), _expected_status=200)
    assert error_summary(page) == [("Select the team from the list", "#team")]
    assert stored(app, Audit) == 0


def test_a_service_manager_starts_an_audit_of_any_team_in_their_service(app, staff):
    manager = signed_in(app, staff, "service_manager")
    manager.post("/audits/new", audit_of(app, staff, "dover-ehu", practitioner=None))
    page = manager.post("/audits/new", audit_of(app, staff, "thanet-youth", practitioner=None), _expected_status=200)
    assert error_summary(page) == [("Select the team from the list", "#team")]
    assert stored(app, Audit) == 1


def test_a_practitioner_posted_by_hand_from_another_service_is_refused(app, staff):
    auditor = signed_in(app, staff, "auditor")
    form = audit_of(app, staff, "ashford-ehu", practitioner="other_auditor")
    page = auditor.post("/audits/new", form, _expected_status=200)
    assert error_summary(page) == [("Select the practitioner from the list", "#practitioner")]
    assert stored(app, Audit) == 0


def test_the_practitioner_must_belong_to_the_chosen_team(app, staff):
    manager = signed_in(app, staff, "service_manager")
    page = manager.post("/audits/new", audit_of(app, staff, "dover-ehu"), _expected_status=200)
    assert error_summary(page) == [
        ("Select a practitioner in Dover Early Help Unit, the team that holds the case", "#practitioner")
    ]
    assert stored(app, Audit) == 0


def test_an_auditor_audits_a_case_allocated_to_them_in_another_service_and_only_that_case(app, staff):
    allocate(app, staff, "other_auditor", "ashford-ehu", "EH-3001")
    other = signed_in(app, staff, "other_auditor")
    assert "Ashford Early Help Unit (Early Help Units)" in offered(other.get("/audits/new"), "team")
    page = other.post("/audits/new", audit_of(app, staff, "ashford-ehu", case="EH-3002"), _expected_status=200)
    assert error_summary(page) == [
        ("Enter a case in Ashford Early Help Unit that has been allocated to you", "#case_reference")
    ]
    assert stored(app, Audit) == 0
    other.post("/audits/new", audit_of(app, staff, "ashford-ehu", case="eh-3001"))
    with app.app_context():
        audit = db.session.scalars(select(Audit)).one()
        assert (audit.case_reference, audit.auditor_id) == ("EH-3001", staff["other_auditor"]["id"])
        audit_id = audit.id
    other.post(f"/audits/{audit_id}/edit", COMPLETE | {"intent": "submit"})
    with app.app_context():
        assert db.session.get(Audit, audit_id).status == "submitted"


def test_a_cancelled_allocation_gives_no_access(app, staff):
    allocate(app, staff, "other_auditor", "ashford-ehu", "EH-3001", cancelled=True)
    other = signed_in(app, staff, "other_auditor")
    assert offered(other.get("/audits/new"), "team") == ["Thanet Youth Hub (Youth Hubs)"]
    other.post("/audits/new", audit_of(app, staff, "ashford-ehu"), _expected_status=200)
    assert stored(app, Audit) == 0


def test_a_draft_outside_the_auditors_scope_can_be_neither_saved_nor_submitted(app, staff):
    with app.app_context():
        draft = Audit(
            form_key="sample-audit",
            form_version_id=ensure_form_version(all_forms()["sample-audit"]),
            case_reference="EH-3001",
            team_id=team_id(app, "ashford-ehu"),
            practitioner_id=staff["practitioner"]["id"],
            auditor_id=staff["other_auditor"]["id"],
        )
        db.session.add(draft)
        db.session.commit()
        draft_id = draft.id
    other = signed_in(app, staff, "other_auditor")
    other.get(f"/audits/{draft_id}/edit", _expected_status=403)
    other.post(f"/audits/{draft_id}/edit", {"a1": "met", "intent": "draft"}, _expected_status=403)
    other.post(
        f"/audits/{draft_id}/edit", COMPLETE | {"judgement": "inadequate", "intent": "submit"}, _expected_status=403
    )
    with app.app_context():
        audit = db.session.get(Audit, draft_id)
        assert (audit.status, audit.answers, audit.grade) == ("draft", {}, None)
    assert stored(app, Alert) == 0


def test_a_case_the_case_list_puts_in_another_team_cannot_be_audited_under_the_auditors_own_team(app, staff):
    from qaf.models import Case

    with app.app_context():
        db.session.add(Case(reference="EH-3001", team_id=team_id(app, "ashford-ehu"), opened_on=date(2026, 4, 1)))
        db.session.commit()
    other = signed_in(app, staff, "other_auditor")
    page = other.post(
        "/audits/new", audit_of(app, staff, "thanet-youth", practitioner=None, case="eh-3001"), _expected_status=200
    )
    assert error_summary(page) == [
        ("Enter a case held by Thanet Youth Hub: the case list has this case in another team", "#case_reference")
    ]
    assert "Ashford" not in page.select_one(".govuk-error-summary").get_text()
    assert stored(app, Audit) == 0
    # A case the list does not hold is not checked; one it holds in the chosen team is fine.
    other.post("/audits/new", audit_of(app, staff, "thanet-youth", practitioner=None, case="TH-1"))
    signed_in(app, staff, "auditor").post("/audits/new", audit_of(app, staff, "ashford-ehu", practitioner=None))
    assert stored(app, Audit) == 2
