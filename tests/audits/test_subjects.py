"""An audit template says what it is about (``subject``): a case, a team (a unit, centre or hub) or a
person. Audits of a team or a person are started without a case reference."""

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import SpecError, parse_spec
from qaf.models import Audit
from tests.conftest import ClientRequest, error_summary


def new(client: ClientRequest, template: str, case: str = "", practitioner: str = "", status: int = 302):
    return client.post(
        "/audits/new",
        {"template": template, "case_reference": case, "team": "1", "practitioner": practitioner},
        _expected_status=status,
    )


def test_a_unit_meeting_peer_audit_is_about_a_team_and_needs_no_case_reference(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    new(auditor, "unit-meeting-peer-audit")
    with app.app_context():
        audit = db.session.scalars(select(Audit)).one()
        assert (audit.case_reference, audit.team.slug, audit.practitioner_id) == ("", "ashford-ehu", None)
        audit_id = audit.id
    page = auditor.get(f"/audits/{audit_id}/edit")
    assert "About Ashford Early Help Unit" in " ".join(page.get_text().split())
    listed = auditor.get("/audits")
    assert listed.find("a", href=f"/audits/{audit_id}/edit").get_text(" ", strip=True).startswith("Ashford")


@pytest.mark.parametrize("template", ["safeguarding-checklist", "group-activity-observation"])
def test_centre_and_hub_audits_are_about_a_team(app, staff, template):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    new(auditor, template)


def test_a_case_audit_still_needs_its_case_reference_and_a_team_audit_takes_none(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = new(auditor, "sample-audit", status=200)
    assert error_summary(page) == [("Enter the case reference", "#case_reference")]
    page = new(auditor, "unit-meeting-peer-audit", case="EH-1", status=200)
    assert error_summary(page) == [
        (
            "Leave the case reference empty: this audit is about a team, centre or hub, not a case",
            "#case_reference",
        )
    ]
    with app.app_context():
        assert db.session.scalars(select(Audit)).all() == []


def test_a_practice_observation_is_about_the_person_observed(app, staff):
    auditor = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    page = new(auditor, "practice-observation", status=200)
    assert error_summary(page) == [("Select the person whose practice you are observing", "#practitioner")]
    new(auditor, "practice-observation", practitioner=str(staff["practitioner"]["id"]))
    with app.app_context():
        audit = db.session.scalars(select(Audit)).one()
        assert audit.about == "Priya Worker"


def test_a_template_subject_is_case_team_or_person_and_only_on_audit_templates():
    template = (
        "key: t\nversion: 1\ntitle: T\naudience: {audience}\nsubject: {subject}\nsections:\n"
        "  - title: S\n    questions:\n      - {{id: q, type: yes_no, label: Q, thing: q}}\n"
    )
    for audience, subject in (("auditor", "place"), ("staff", "team")):
        with pytest.raises(SpecError) as caught:
            parse_spec(template.format(audience=audience, subject=subject), "forms/t.yaml")
        assert "subject" in str(caught.value)
    assert parse_spec(template.format(audience="auditor", subject="team"), "forms/t.yaml").subject == "team"
