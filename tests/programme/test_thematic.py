"""Thematic evaluations: terms of reference, cases by rule or by hand, linked audits, findings and a summary."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Allocation, Sample, ThematicEvaluation
from tests.audits.conftest import COMPLETE
from tests.conftest import error_summary
from tests.programme.conftest import add_cases, signed_in

DUE = date.today() + timedelta(days=40)

TERMS = {
    "title": "Voice of the child",
    "why": "Families said they were not listened to.\nThe board asked for it now.",
    "scope": "Cases open in the last six months; criteria: the child's voice standards",
    "who": "Practice development leaders",
    "how": "Desk-top audit, then a conversation with each worker",
    "timescale": "Six weeks, then a report to the board",
    "due_on-day": str(DUE.day),
    "due_on-month": str(DUE.month),
    "due_on-year": str(DUE.year),
    "form_key": "sample-audit",
}


def test_terms_of_reference_are_all_asked_for(app, staff, admin):
    page = admin.post("/programme/thematic/new", {"title": "Voice of the child"}, _expected_status=200)
    assert [text for text, _href in error_summary(page)] == [
        "Enter why it has been commissioned",
        "Enter the scope and criteria",
        "Select the people who will undertake it",
        "Enter how it will be undertaken",
        "Enter the timescale",
        "Enter the date the report is due",
        "Select the audit template",
    ]


def terms(staff, *who: str) -> dict:
    """The terms of reference, naming ``who`` (keys of ``staff``) to undertake it: the auditor if nobody is given."""
    return TERMS | {"people": [str(staff[person]["id"]) for person in who or ("auditor",)]}


def test_an_evaluation_runs_from_terms_to_cases_audits_findings_and_a_summary(app, staff, admin):
    add_cases(app, {"team": "dover-ehu"}, {"team": "dover-ehu"}, {"team": "dover-ehu"})
    admin.post("/programme/thematic/new", terms(staff), _expected_redirect="/programme/thematic/1")
    page = admin.get("/programme/thematic/1")
    text = page.get_text()
    assert "Families said they were not listened to." in text
    assert "The board asked for it now." in text
    assert "No cases chosen yet." in text

    page = admin.post(
        "/programme/thematic/1/samples/new",
        {
            "references": "EH-0001, eh-0003\nEH-9999",
            "due_date-day": str(DUE.day),
            "due_date-month": str(DUE.month),
            "due_date-year": str(DUE.year),
        },
        _expected_status=200,
    )
    assert error_summary(page) == [("There is no case with the reference EH-9999", "#references")]
    admin.post(
        "/programme/thematic/1/samples/new",
        {
            "references": "EH-0001, eh-0003",
            "due_date-day": str(DUE.day),
            "due_date-month": str(DUE.month),
            "due_date-year": str(DUE.year),
        },
    )
    with app.app_context():
        sample = db.session.scalars(select(Sample)).one()
        assert (sample.rule, sample.thematic_id, sample.form_key) == ("by_hand", 1, "sample-audit")
        assert [item.case.reference for item in sample.cases] == ["EH-0001", "EH-0003"]
        sample_id = sample.id
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    with app.app_context():
        allocation = db.session.scalars(select(Allocation).order_by(Allocation.id)).first()
        auditor_email = allocation.auditor.email
        allocation_id = allocation.id
    who = next(role for role, person in staff.items() if person["email"] == auditor_email)
    auditor = signed_in(app, staff, who)
    location = auditor.client.post(f"/programme/allocations/{allocation_id}/start").headers["Location"]
    audit_id = int(re.fullmatch(r"/audits/(\d+)/edit", location).group(1))
    auditor.post(location, COMPLETE | {"intent": "submit"})
    auditor.post(
        f"/audits/{audit_id}/actions/new",
        {
            "target": "The child's voice is heard in the assessment",
            "action": "Record the child's words in the assessment",
            "owner": str(staff["practitioner"]["id"]),
            "due_date-day": str(DUE.day),
            "due_date-month": str(DUE.month),
            "due_date-year": str(DUE.year),
        },
    )

    admin.post(
        "/programme/thematic/1/findings",
        {
            "findings": "The child's voice is recorded in half the cases.",
            "recommendations": "Use the three houses tool at every assessment.",
            "completed_on-day": str(date.today().day),
            "completed_on-month": str(date.today().month),
            "completed_on-year": str(date.today().year),
        },
        _expected_redirect="/programme/thematic/1",
    )
    summary = admin.get("/programme/thematic/1/summary")
    text = " ".join(summary.get_text().split())
    assert "Summary: Voice of the child" in text
    assert "The child's voice is recorded in half the cases." in text
    assert "Use the three houses tool at every assessment." in text
    assert (
        "Record the child's words in the assessment (target: The child's voice is heard in the assessment): "
        "Priya Worker" in text
    )
    assert f"/audits/{audit_id}" in str(summary)
    assert "Good" in text
    manager = signed_in(app, staff, "service_manager")
    manager.get("/programme/thematic/1/summary")
    manager.get("/programme/thematic/1/findings", _expected_status=403)
    signed_in(app, staff, "auditor").get("/programme/thematic/1", _expected_status=403)
    with app.app_context():
        assert db.session.get(ThematicEvaluation, 1).completed_on == date.today()


def test_the_terms_of_reference_can_be_changed(app, staff, admin):
    admin.post("/programme/thematic/new", terms(staff))
    page = admin.get("/programme/thematic/1/edit")
    assert page.select_one("#title")["value"] == "Voice of the child"
    admin.post("/programme/thematic/1/edit", terms(staff) | {"title": "Voice of the child and family"})
    assert "Voice of the child and family" in admin.get("/programme/thematic").get_text()


def linked_audit(app, staff, *, team: str, case: str, auditor: str, action: str) -> None:
    """A case of ``team`` in the evaluation's sample, audited by ``auditor`` and graded Good, with one action."""
    from qaf.forms_registry import all_forms
    from qaf.models import Audit, AuditAction, Case, SampleCase, Team
    from qaf.responses import ensure_form_version

    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team))
        sample = db.session.scalars(select(Sample).where(Sample.thematic_id == 1)).first()
        if sample is None:
            sample = Sample(
                thematic_id=1, rule="by_hand", seed=1, as_of=date.today(), due_date=DUE, form_key="sample-audit"
            )
            db.session.add(sample)
        kase = Case(reference=case, team_id=team_id, opened_on=date.today())
        db.session.add(kase)
        db.session.flush()
        sample_case = SampleCase(sample_id=sample.id, case_id=kase.id, position=kase.id, reason="By hand")
        audit = Audit(
            form_key="sample-audit",
            form_version_id=ensure_form_version(all_forms()["sample-audit"]),
            case_reference=case,
            team_id=team_id,
            auditor_id=staff[auditor]["id"],
            status="submitted",
            grade="good",
        )
        db.session.add_all([sample_case, audit])
        db.session.flush()
        db.session.add_all(
            [
                Allocation(
                    sample_case_id=sample_case.id,
                    case_reference=case,
                    team_id=team_id,
                    auditor_id=staff[auditor]["id"],
                    form_key="sample-audit",
                    due_date=DUE,
                    audit_id=audit.id,
                ),
                AuditAction(
                    audit_id=audit.id,
                    action=action,
                    owner_id=staff[auditor]["id"],
                    due_date=DUE,
                    created_by_id=staff[auditor]["id"],
                ),
            ]
        )
        db.session.commit()


def test_a_service_manager_sees_only_the_linked_audits_and_actions_of_their_service(app, staff, admin):
    admin.post("/programme/thematic/new", terms(staff))
    linked_audit(app, staff, team="ashford-ehu", case="EH-5001", auditor="auditor", action="Update the Ashford plan")
    linked_audit(app, staff, team="thanet-youth", case="YH-5002", auditor="other_auditor", action="Call the Thanet GP")
    manager = signed_in(app, staff, "service_manager")
    for url in ("/programme/thematic/1", "/programme/thematic/1/summary"):
        text = " ".join(manager.get(url).get_text().split())
        assert "EH-5001" in text
        assert "Update the Ashford plan" in text
        assert "YH-5002" not in text
        assert "Thanet" not in text
        assert "Call the Thanet GP" not in text
        assert "Olu Other" not in text
        assert "1 more audit is linked to this evaluation, of cases outside your part of the organisation" in text
        text = " ".join(admin.get(url).get_text().split())
        assert "Update the Ashford plan" in text
        assert "Call the Thanet GP" in text
        assert "more audit" not in text


def test_a_service_manager_told_only_of_audits_elsewhere_is_not_told_there_are_none(app, staff, admin):
    admin.post("/programme/thematic/new", terms(staff))
    linked_audit(app, staff, team="thanet-youth", case="YH-5002", auditor="other_auditor", action="Call the Thanet GP")
    text = " ".join(signed_in(app, staff, "service_manager").get("/programme/thematic/1").get_text().split())
    assert "No audits started yet." not in text
    assert "Call the Thanet GP" not in text
    assert "No actions raised on the evaluation's audits shown here yet." in text


def test_each_recommendation_can_be_raised_as_an_action_tracked_with_the_audits_actions(app, staff, admin):
    from qaf.models import AuditAction, OutboxMessage

    admin.post("/programme/thematic/new", terms(staff))
    admin.post(
        "/programme/thematic/1/findings",
        {"findings": "Half the cases.", "recommendations": "1. Use the three houses tool\n\n- Train every team"},
    )
    page = admin.get("/programme/thematic/1")
    links = [link["href"] for link in page.select("a") if "recommendation=" in link["href"]]
    assert links == [
        "/programme/thematic/1/actions/new?recommendation=1",
        "/programme/thematic/1/actions/new?recommendation=2",
    ]
    form = admin.get(links[1])
    assert "Recommendation: Train every team" in form.get_text()
    assert form.select_one("#action").get_text() == "Train every team"
    page = admin.post(links[1], {"action": "Train every team"}, _expected_status=200)
    assert [text for text, _href in error_summary(page)] == [
        "Enter the target",
        "Select who owns the action",
        "Enter the due date",
    ]
    admin.post(
        links[1],
        {
            "target": "Every worker uses the tool by March",
            "action": "Train every team",
            "owner": str(staff["service_manager"]["id"]),
            "workers": [str(staff["auditor"]["id"]), str(staff["other_auditor"]["id"])],
            "due_date-day": str(DUE.day),
            "due_date-month": str(DUE.month),
            "due_date-year": str(DUE.year),
        },
        _expected_redirect="/programme/thematic/1",
    )
    with app.app_context():
        action = db.session.scalars(select(AuditAction)).one()
        assert (action.thematic_id, action.audit_id, action.action) == (1, None, "Train every team")
        told = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert told == {"sm@example.gov.uk", "auditor@example.gov.uk", "other@example.gov.uk"}
    text = " ".join(admin.get("/programme/thematic/1").get_text().split())
    assert "Train every team (target: Every worker uses the tool by March): Sam Manager, Alex Auditor, Olu Other" in (
        text
    )

    rows = admin.get("/actions/tracker?source=thematic").select("tbody tr")
    assert [cell.get_text(" ", strip=True) for cell in rows[0].select("td")][:3] == [
        "Train every team",
        "Every worker uses the tool by March",
        "Thematic evaluation: Voice of the child",
    ]
    # A worker involved updates it; the owner closes it with its outcome.
    worker = signed_in(app, staff, "other_auditor")
    worker.post(f"/actions/{action.id}", {"status": "in_progress", "note": "Thanet booked"})
    owner = signed_in(app, staff, "service_manager")
    owner.post(f"/actions/{action.id}", {"status": "done", "outcome": "All teams trained"})
    with app.app_context():
        assert db.session.get(AuditAction, action.id).outcome == "All teams trained"
    signed_in(app, staff, "practitioner").get(f"/actions/{action.id}", _expected_status=403)
    signed_in(app, staff, "service_manager").get("/programme/thematic/1/actions/new", _expected_status=403)


def by_hand(admin, references: str) -> int:
    """Choose the evaluation's cases by hand; the id of the sample."""
    admin.post(
        "/programme/thematic/1/samples/new",
        {
            "references": references,
            "due_date-day": str(DUE.day),
            "due_date-month": str(DUE.month),
            "due_date-year": str(DUE.year),
        },
    )
    with admin.client.application.app_context():
        return db.session.scalar(select(Sample.id).order_by(Sample.id.desc()).limit(1))


def given(app) -> dict[str, str]:
    with app.app_context():
        return {row.case_reference: row.auditor.email for row in db.session.scalars(select(Allocation))}


def test_only_the_people_named_to_undertake_it_are_given_its_cases(app, staff, admin):
    add_cases(
        app,
        {"team": "dover-ehu", "worker_email": "other@example.gov.uk"},
        {"team": "dover-ehu"},
        {"team": "dover-ehu"},
        {"team": "dover-ehu"},
    )
    form = admin.get("/programme/thematic/new")
    offered = {box["value"] for box in form.select("input[name=people]")}
    assert offered == {str(staff[who]["id"]) for who in ("qa_admin", "service_manager", "auditor", "other_auditor")}
    admin.post("/programme/thematic/new", terms(staff, "other_auditor", "qa_admin") | {"who": "Two from QA"})
    for url in ("/programme/thematic/1", "/programme/thematic/1/summary"):
        who = admin.get(url).find("dt", string="Who undertakes it").find_next_sibling("dd")
        assert [item.get_text() for item in who.select("li")] == ["Olu Other", "Quinn Admin"]
        assert "Two from QA" in who.get_text()
    admin.post(f"/programme/auditors/{staff['qa_admin']['id']}", {"per_month": "1"})
    sample_id = by_hand(admin, "EH-0001, EH-0002, EH-0003, EH-0004")
    admin.client.get("/programme/thematic")
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    allocated = given(app)
    assert set(allocated.values()) == {"other@example.gov.uk", "qa@example.gov.uk"}, "nobody else: not Alex, not Sam"
    assert len(allocated) == 4
    # Olu works on EH-0001, so it is Quinn's; she takes one a month, so the rest are Olu's.
    assert [reference for reference, email in allocated.items() if email == "qa@example.gov.uk"] == ["EH-0001"]
    # The people named receive the work: Quinn can be chosen when an allocation is changed.
    page = admin.get("/programme/allocations")
    assert any(option.get_text().startswith("Quinn Admin") for option in page.select("#to option"))


def test_the_people_undertaking_it_can_be_changed_and_the_next_cases_go_to_them(app, staff, admin):
    add_cases(app, {"team": "dover-ehu"}, {"team": "thanet-youth"})
    admin.post("/programme/thematic/new", terms(staff, "other_auditor"))
    page = admin.get("/programme/thematic/1/edit")
    assert [box["value"] for box in page.select("input[name=people][checked]")] == [str(staff["other_auditor"]["id"])]
    admin.post(
        "/programme/thematic/1/edit", terms(staff, "service_manager"), _expected_redirect="/programme/thematic/1"
    )
    admin.post(f"/programme/samples/{by_hand(admin, 'EH-0001, EH-0002')}/allocate", {})
    assert given(app) == {"EH-0001": "sm@example.gov.uk", "EH-0002": "sm@example.gov.uk"}


def test_an_evaluation_with_nobody_named_allocates_nothing_and_says_why(app, staff, admin):
    """An evaluation from before people were named keeps its words for who, and has nobody to give cases to."""
    add_cases(app, {"team": "dover-ehu"})
    admin.post("/programme/thematic/new", terms(staff))
    with app.app_context():
        db.session.get(ThematicEvaluation, 1).people = []
        db.session.commit()
    text = " ".join(admin.get("/programme/thematic/1").get_text().split())
    assert "Practice development leaders" in text
    assert "Nobody named yet: its cases are given only to the people named to undertake it." in text
    sample_id = by_hand(admin, "EH-0001")
    admin.client.get("/programme/thematic")
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    page = admin.get(f"/programme/samples/{sample_id}")
    lines = [" ".join(line.get_text().split()) for line in page.select(".govuk-notification-banner__heading")]
    assert lines == [
        "No cases were allocated.",
        "Not allocated: EH-0001: nobody is named to undertake the evaluation: name them in its terms of reference",
    ]
    assert page.select_one(".govuk-notification-banner--success") is None
    assert given(app) == {}
