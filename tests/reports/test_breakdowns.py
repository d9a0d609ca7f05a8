"""The Breakdowns sheet and the dashboard's breakdowns: each headline measure by stage, round or
wave, partner agency type, district and respondent, with staff groups under 5 never shown."""

from datetime import date
from typing import Any

import pytest
from flask import Flask

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import FeedbackRound
from qaf.reports.report import SUPPRESSED
from qaf.responses import store_response
from tests.reports.conftest import FAMILY_ANSWERS, IN_Q3, respond, table_rows, team_id, workbook_for
from tests.reports.test_workbook import STAFF_ANSWERS

FAMILY_HELPED = "Families saying the help helped"
PARTNER_SATISFACTION = "Partner satisfaction"
RESPONSES = "Responses from families, children and partners"
PARTNER_ANSWERS = {
    "agency_type": "school",
    "communication": "agree",
    "information_sharing": "agree",
    "joint_working": "agree",
    "timeliness": "agree",
    "impact_on_families": "agree",
    "understand_offer": "agree",
    "kept_informed": "agree",
    "overall_satisfaction": "satisfied",
}


def breakdown(book: Any, title: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows of one breakdown on the Breakdowns sheet, by (measure, group)."""
    name = "T_Breakdowns_" + "".join(character if character.isalnum() else "_" for character in title)
    return {(row["Measure"], row["Group"]): row for row in table_rows(book["Breakdowns"], name)}


def a_round(app: Flask, form_key: str, name: str) -> int:
    with app.app_context():
        record = FeedbackRound(form_key=form_key, name=name, opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 31))
        db.session.add(record)
        db.session.commit()
        return int(record.id)


def respond_in_round(app: Flask, form: str, answers: dict[str, Any], round_id: int) -> None:
    with app.app_context():
        store_response(all_forms()[form], answers, team_id=None, stage=None, round_id=round_id, submitted_at=IN_Q3)


def test_family_feedback_is_broken_down_by_stage_respondent_and_the_teams_district(app, staff):
    respond(app, FAMILY_ANSWERS, stage="assessment")
    respond(app, FAMILY_ANSWERS | {"help_helped": "worse"}, stage="assessment", team="dover-ehu")
    respond(app, FAMILY_ANSWERS | {"who_is_answering": "young_person_16_plus"}, stage="review")
    book = workbook_for(app)

    stages = breakdown(book, "By stage of intervention")
    assert stages[(FAMILY_HELPED, "Assessment")] | {"Measure": None} == {
        "Measure": None,
        "Group": "Assessment",
        "Responses": 2,
        "Answering": 2,
        "Positive": 0.5,
    }
    assert stages[(FAMILY_HELPED, "Review")]["Positive"] == 1
    assert stages[(RESPONSES, "Review")]["Responses"] == 1
    # The stages in the order of a case: assessment, then review.
    assert [group for measure, group in stages if measure == FAMILY_HELPED] == ["Assessment", "Review"]

    districts = breakdown(book, "By district")
    assert districts[(FAMILY_HELPED, "Ashford")]["Responses"] == 2
    assert districts[(FAMILY_HELPED, "Dover")]["Positive"] == 0

    respondents = breakdown(book, "By respondent")
    assert respondents[(FAMILY_HELPED, "A parent or carer")]["Responses"] == 2
    assert respondents[(FAMILY_HELPED, "A young person aged 16 or over")]["Responses"] == 1


def test_partner_feedback_is_broken_down_by_agency_type_round_and_the_district_they_gave(app, staff):
    autumn = a_round(app, "partner", "April to September 2026")
    respond(app, PARTNER_ANSWERS | {"district": "Dover"}, form="partner", team=None, stage=None)
    respond(app, PARTNER_ANSWERS | {"agency_type": "health", "overall_satisfaction": "dissatisfied"}, form="partner")
    respond_in_round(app, "partner", PARTNER_ANSWERS, autumn)
    book = workbook_for(app)

    agencies = breakdown(book, "By partner agency type")
    assert agencies[(PARTNER_SATISFACTION, "A school or college")]["Responses"] == 2
    assert agencies[(PARTNER_SATISFACTION, "A school or college")]["Positive"] == 1
    assert agencies[(PARTNER_SATISFACTION, "Health")]["Positive"] == 0

    rounds = breakdown(book, "By round or wave")
    assert rounds[(PARTNER_SATISFACTION, "April to September 2026")]["Responses"] == 1
    assert rounds[(PARTNER_SATISFACTION, "Ad hoc (no round)")]["Responses"] == 2

    districts = breakdown(book, "By district")
    # The district the partner named; else their team's; else not given.
    assert districts[(PARTNER_SATISFACTION, "Dover")]["Responses"] == 1
    assert districts[(PARTNER_SATISFACTION, "Ashford")]["Responses"] == 1
    assert districts[(PARTNER_SATISFACTION, "Not given")]["Responses"] == 1


@pytest.mark.parametrize(("answered", "shown"), [(4, False), (5, True)])
def test_a_staff_survey_wave_of_fewer_than_5_is_never_shown(app, staff, answered, shown):
    wave = a_round(app, "staff-survey", "Autumn 2026 wave")
    for _ in range(answered):
        respond_in_round(app, "staff-survey", STAFF_ANSWERS, wave)
    rows = [
        row
        for (_measure, group), row in breakdown(workbook_for(app), "By round or wave").items()
        if group == "Autumn 2026 wave"
    ]
    assert rows, "the wave has a row for each staff survey index"
    for row in rows:
        if shown:
            assert row["Responses"] == answered
            assert row["Positive"] is not None
        else:
            assert (row["Responses"], row["Answering"], row["Positive"]) == (SUPPRESSED, None, None)


def test_the_dashboard_shows_the_breakdowns_for_its_scope(app, staff, client_request):
    respond(app, FAMILY_ANSWERS, stage="assessment")
    respond(app, FAMILY_ANSWERS, stage="review", team="dover-ehu")
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get("/reports?period=2026-27+Q3")
    captions = [caption.get_text(" ", strip=True) for caption in page.select("caption")]
    assert "By stage of intervention" in captions
    assert "By district" in captions
    table = next(caption.parent for caption in page.select("caption") if caption.get_text(strip=True) == "By district")
    text = table.get_text(" ", strip=True)
    assert "Ashford" in text
    assert "Dover" in text

    dover = client_request.get(f"/reports?period=2026-27+Q3&team={team_id(app, 'dover-ehu')}")
    table = next(caption.parent for caption in dover.select("caption") if caption.get_text(strip=True) == "By district")
    assert "Ashford" not in table.get_text(" ", strip=True)
