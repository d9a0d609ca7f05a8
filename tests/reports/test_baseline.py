"""A baseline question (how things were when the help started) is not a measure of the service."""

import pytest

from tests.reports.conftest import FAMILY_ANSWERS, respond, table_rows, team_id, workbook_for
from tests.reports.test_pages import Q3

TRAINING = {
    "course": "Signs of Safety",
    "course_date": "2026-11-02",
    "delivery": "in_person",
    "aims_clear": "agree",
    "confidence_before": 2,
    "confidence_after": 8,
    "impact_on_practice": 8,
    "do_differently": "Use scaling questions",
}


def test_the_team_summary_leaves_baseline_questions_out_of_strengths_and_development(app, staff, client_request):
    respond(app, FAMILY_ANSWERS | {"things_at_start": 2, "things_now": 3})
    client_request.login(staff["auditor"]["email"])
    page = client_request.get(f"/reports/teams/{team_id(app, 'ashford-ehu')}?{Q3}")
    text = page.get_text(" ", strip=True)
    development = page.find("h2", string="Areas for development").find_next("ul").get_text(" ", strip=True)
    assert "How are things for your family now?" in development
    assert "When the help started" not in text


def test_the_before_and_after_pair_of_the_training_form_is_a_change_in_the_summary(app, staff):
    for _ in range(5):
        respond(app, TRAINING, form="training", stage=None)
    changes = table_rows(workbook_for(app)["Summary"], "T_Changes_training")
    assert [row["This period"] for row in changes] == [pytest.approx(6.0)]
