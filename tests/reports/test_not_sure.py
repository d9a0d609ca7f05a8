"""“I'm not sure yet” is its own figure beside “Families saying the help helped”, on every report."""

from tests.reports.conftest import FAMILY_ANSWERS, headline, respond, team_id, workbook_for
from tests.reports.test_pages import Q3, shown_measures

HELPED = "Families saying the help helped"
NOT_SURE = "Families not sure yet whether the help helped"


def answered(app) -> None:
    for value in ("yes_a_lot", "yes_a_little", "not_sure", "worse"):
        respond(app, FAMILY_ANSWERS | {"help_helped": value})


def test_the_workbook_shows_not_sure_apart_from_helped_and_says_what_it_means(app, staff):
    answered(app)
    book = workbook_for(app)
    measures = headline(book)
    assert (measures[HELPED]["This period"], measures[HELPED]["Based on"]) == (0.5, 4)
    assert (measures[NOT_SURE]["This period"], measures[NOT_SURE]["Based on"]) == (0.25, 4)
    about = " ".join(str(cell.value) for row in book["About"].iter_rows() for cell in row if cell.value)
    assert "‘I'm not sure yet’ too, is not positive" in about
    assert NOT_SURE in about


def test_the_dashboard_and_the_team_summary_show_not_sure_as_its_own_figure(app, staff, client_request):
    answered(app)
    client_request.login(staff["qa_admin"]["email"])
    shown = shown_measures(client_request.get(f"/reports?{Q3}"))
    assert (shown[HELPED][0], shown[NOT_SURE][0]) == ("50.0%", "25.0%")
    client_request.client.post("/sign-out")
    client_request.login(staff["auditor"]["email"])
    shown = shown_measures(client_request.get(f"/reports/teams/{team_id(app, 'ashford-ehu')}?{Q3}"))
    assert (shown[HELPED][0], shown[NOT_SURE][0]) == ("50.0%", "25.0%")
