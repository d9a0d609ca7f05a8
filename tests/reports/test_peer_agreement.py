"""Peer review agreement in the quarterly workbook and on the dashboard: the same figures in both,
and the same as the programme's own peer review page.

The hand-worked example: first grades good, good, inadequate; blind second grades good,
inadequate, inadequate. Two of three agree (66.7%). Chance agreement pe = (2*1 + 1*2) / 9 = 4/9,
so kappa = (6/9 - 4/9) / (1 - 4/9) = 0.4.
"""

from datetime import datetime

import pytest

from qaf.programme.peer_review import agreement_rows
from tests.reports.conftest import IN_Q2, audit, headline, peer_review, table_rows, team_id, workbook_for
from tests.reports.test_workbook import EHAT

Q3 = "period=2026-27+Q3"
TITLE = "Early Help Assessment Signs of Wellbeing and Success audit"
AGREEMENT = f"Peer review agreement ({TITLE})"
KAPPA = f"Peer review kappa ({TITLE})"


def reviewed(app, staff, first_grade: str, second_grade: str, *, team="ashford-ehu", at=None, **second) -> int:
    first = audit(app, staff, EHAT | {"judgement": first_grade}, team=team, **({"at": at} if at else {}))
    peer_review(app, staff, first, second_grade, **({"at": at} if at else {}), **second)
    return first


@pytest.fixture
def hand_worked(app, staff):
    """The example above in 2026-27 Q3 (Ashford twice, Thanet once), and one disagreeing pair in Q2."""
    reviewed(app, staff, "good", "good")
    reviewed(app, staff, "good", "inadequate")
    reviewed(app, staff, "inadequate", "inadequate", team="thanet-youth")
    reviewed(app, staff, "good", "requires_improvement", at=IN_Q2)


def test_the_workbook_summary_gives_agreement_and_kappa_with_the_previous_quarter(app, staff, hand_worked):
    book = workbook_for(app)
    rows = headline(book)
    assert rows[AGREEMENT]["This period"] == pytest.approx(2 / 3)
    assert rows[AGREEMENT]["Previous period"] == 0
    assert rows[AGREEMENT]["Change"] == pytest.approx(200 / 3)  # percentage points
    assert (rows[AGREEMENT]["Based on"], rows[AGREEMENT]["Based on (previous)"]) == (3, 1)
    assert rows[KAPPA]["This period"] == pytest.approx(0.4)
    # Q2's one pair disagrees: po = 0 and pe = 0, so kappa = 0.
    assert rows[KAPPA]["Previous period"] == pytest.approx(0.0)
    # The measures sit with the audits, before the standards and actions.
    names = list(rows)
    assert (
        names.index("Mean audit scaling") < names.index(AGREEMENT) < names.index(KAPPA) < names.index("Actions raised")
    )
    about = [row[0].value for row in book["About"].iter_rows() if row[0].value]
    assert "Peer review kappa" in about


def test_each_team_and_service_has_its_own_kappa_from_its_own_pairs(app, staff, hand_worked):
    book = workbook_for(app)
    by_team = {
        (row["Team"], row["Measure"]): row
        for row in table_rows(book["Summary"], "T_ByTeam")
        if row["Measure"].startswith("Peer review")
    }
    ashford = by_team[("Ashford Early Help Unit", AGREEMENT)]
    assert (ashford["This period"], ashford["Based on"]) == (0.5, 2)
    # Ashford: good/good and good/inadequate: po = 1/2, pe = (2*1)/4 = 1/2, kappa = 0.
    assert by_team[("Ashford Early Help Unit", KAPPA)]["This period"] == pytest.approx(0.0)
    # Thanet: one pair, both inadequate: chance agreement is certain, kappa is not defined.
    assert by_team[("Thanet Youth Hub", AGREEMENT)]["This period"] == 1
    thanet_kappa = by_team[("Thanet Youth Hub", KAPPA)]
    assert thanet_kappa["This period"] is None
    assert thanet_kappa["Based on"] == 1
    headline_kappa = [row for row in table_rows(book["Summary"], "T_Headline") if row["Measure"] == KAPPA][0]
    assert headline_kappa["Notes"] is None  # defined for everything together
    by_service = {
        (row["Service"], row["Measure"]): row["This period"] for row in table_rows(book["Summary"], "T_ByService")
    }
    assert by_service[("Early Help Units", AGREEMENT)] == 0.5
    assert by_service[("Youth Hubs", AGREEMENT)] == 1


def test_a_second_audit_still_in_draft_is_not_counted(app, staff):
    reviewed(app, staff, "good", "good")
    reviewed(app, staff, "good", "inadequate", submitted=False)
    rows = headline(workbook_for(app))
    assert (rows[AGREEMENT]["This period"], rows[AGREEMENT]["Based on"]) == (1, 1)
    assert rows[KAPPA]["This period"] is None
    assert rows[KAPPA]["Notes"] == "Not defined: every grade given was the same"


def test_templates_without_peer_reviews_have_no_agreement_rows(app, staff):
    audit(app, staff, EHAT)
    assert not [name for name in headline(workbook_for(app)) if name.startswith("Peer review")]


def test_the_dashboard_shows_the_workbooks_agreement_for_everything_and_for_one_team(
    app, staff, client_request, hand_worked
):
    client_request.login(staff["qa_admin"]["email"])
    shown = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in client_request.get(f"/reports?{Q3}").select("table.qaf-measures tbody tr")
    }
    assert shown[AGREEMENT] == ["66.7%", "0.0%", "+66.7 percentage points", "3"]
    assert shown[KAPPA] == ["0.40", "0.00", "+0.40", "3"]
    thanet = team_id(app, "thanet-youth")
    page = client_request.get(f"/reports?{Q3}&team={thanet}")
    shown = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("table.qaf-measures tbody tr")
    }
    assert shown[AGREEMENT][0] == "100.0%"
    assert shown[KAPPA][0] == "Not defined"
    assert "Cohen's kappa" in page.get_text()


def test_the_programme_page_counts_the_same_pairs_for_the_quarter(app, staff, hand_worked):
    with app.app_context():
        rows = {(row.form_key, row.period): row.figures for row in agreement_rows()}
    figures = rows[("ehat-quality-audit", "2026-27 Q3")]
    assert (figures.pairs, figures.agreed) == (3, 2)
    assert figures.kappa == pytest.approx(headline(workbook_for(app))[KAPPA]["This period"])


def test_a_first_audit_just_after_midnight_in_summer_time_counts_in_the_new_quarter_everywhere(app, staff):
    # 23:30 UTC on 30 September is 00:30 on 1 October in England: 2026-27 Q3.
    reviewed(app, staff, "good", "good", at=datetime(2026, 9, 30, 23, 30))
    assert headline(workbook_for(app))[AGREEMENT]["Based on"] == 1
    with app.app_context():
        assert [row.period for row in agreement_rows()] == ["2026-27 Q3"]


def test_the_programme_page_and_the_dashboard_round_agreement_alike(app, staff, client_request):
    """Five of eight agree: 62.5%, on both pages (the programme page once said 62%)."""
    for second in ["good"] * 5 + ["inadequate"] * 3:
        reviewed(app, staff, "good", second)
    client_request.login(staff["qa_admin"]["email"])
    dashboard = client_request.get(f"/reports?{Q3}")
    row = next(
        row for row in dashboard.select("table.qaf-measures tbody tr") if row.th.get_text(strip=True) == AGREEMENT
    )
    assert row.td.get_text(strip=True) == "62.5%"
    programme = client_request.get("/programme/peer-reviews")
    row = next(row for row in programme.select("tbody tr") if "2026-27 Q3" in row.get_text())
    assert [cell.get_text(strip=True) for cell in row.select("td")][2:] == ["8", "5", "62.5%", "0.00"]
