"""Blind peer review in the reports: a second auditor reads nothing of the first audit until both are in."""

from datetime import date

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Audit
from tests.reports.conftest import IN_Q3, action, audit, peer_review, team_id
from tests.reports.test_pages import Q3, shown_measures
from tests.reports.test_workbook import EHAT

FIRST = EHAT | {"judgement": "inadequate", "impact": "2", "assessment_1": "not_met"}


def sign_in_as(client_request, person: dict) -> None:
    client_request.client.post("/sign-out")
    client_request.login(person["email"])


def summary_page(app, client_request):
    page = client_request.get(f"/reports/teams/{team_id(app, 'dover-ehu')}?{Q3}")
    return shown_measures(page), page.get_text(" ", strip=True)


def submit_second(app, second_id: int) -> None:
    with app.app_context():
        second = db.session.scalar(select(Audit).where(Audit.id == second_id))
        assert second is not None
        second.status, second.submitted_at = "submitted", IN_Q3
        db.session.commit()


def test_the_second_auditor_reads_nothing_of_the_first_audit_in_a_team_summary_until_theirs_is_in(
    app, staff, client_request
):
    first = audit(app, staff, FIRST, team="dover-ehu")
    action(app, staff, first, raised=IN_Q3, due=date(2026, 12, 1), description="Revisit the safety plan")
    second = peer_review(app, staff, first, "good", submitted=False, reviewer="service_manager")
    sign_in_as(client_request, staff["service_manager"])
    shown, text = summary_page(app, client_request)
    assert shown["Audits submitted"][0] == "0"
    assert shown["Audits graded Good or better"][0] == "No data"
    assert shown["Mean audit scaling"][0] == "No data"
    assert shown["Actions raised"][0] == "0"
    assert not any(name.startswith("Not met:") for name in shown)
    assert "Revisit the safety plan" not in text
    assert "The assessment is holistic" not in text
    assert "Any audit you are peer reviewing blind is left out of this summary" in text

    sign_in_as(client_request, staff["qa_admin"])  # anyone else sees the audit as it is
    shown, text = summary_page(app, client_request)
    assert shown["Audits graded Good or better"][0] == "0.0%"
    assert "Revisit the safety plan" in text
    assert "peer reviewing" not in text

    submit_second(app, second)
    sign_in_as(client_request, staff["service_manager"])
    shown, text = summary_page(app, client_request)
    assert shown["Audits submitted"][0] == "2"
    assert shown["Mean audit scaling"][0] != "No data"
    assert "Revisit the safety plan" in text
