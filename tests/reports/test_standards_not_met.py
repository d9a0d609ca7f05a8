"""The standards most often not met are in the order of the share shown, with the count beside it."""

from tests.reports.conftest import audit, headline, workbook_for
from tests.reports.test_pages import Q3, shown_measures
from tests.reports.test_workbook import EHAT


def audits_with_a_rarely_answered_standard(app, staff) -> None:
    """assessment_1 not met in 2 of 3 audits (67%); assessment_2 in 1 of 1 (100%: twice not applicable)."""
    audit(app, staff, EHAT | {"assessment_1": "not_met", "assessment_2": "not_met", "assessment_3": "met"})
    audit(app, staff, EHAT | {"assessment_1": "not_met", "assessment_2": "not_applicable", "assessment_3": "met"})
    audit(app, staff, EHAT | {"assessment_1": "met", "assessment_2": "not_applicable", "assessment_3": "met"})


def test_the_workbook_orders_not_met_by_the_share_it_shows_and_notes_the_count(app, staff):
    audits_with_a_rarely_answered_standard(app, staff)
    rows = [row for name, row in headline(workbook_for(app)).items() if name.startswith("Not met:")]
    assert [row["This period"] for row in rows] == [1.0, 2 / 3]
    assert [row["Notes"] for row in rows] == ["Not met in 1 audit(s)", "Not met in 2 audit(s)"]


def test_the_dashboard_orders_not_met_by_the_share_it_shows(app, staff, client_request):
    audits_with_a_rarely_answered_standard(app, staff)
    client_request.login(staff["qa_admin"]["email"])
    shown = shown_measures(client_request.get(f"/reports?{Q3}"))
    assert [values[0] for name, values in shown.items() if name.startswith("Not met:")] == ["100.0%", "66.7%"]
