"""Questions limited to stages (``stages:``): never forced on a family at a stage they cannot apply to.

"We were involved in making our family's plan" was required at assessment, before any plan exists.
"""

import re
from textwrap import dedent

import pytest
from sqlalchemy import select, update

from qaf.extensions import db
from qaf.formspec import Code, FormSpec, SpecError, parse_spec
from qaf.models import Response
from qaf.reports.collect import collect_report
from qaf.reports.periods import parse_period
from tests.conftest import ClientRequest, error_summary
from tests.reports.conftest import IN_Q3, TODAY, table_rows, workbook_for

PLAN = "We were involved in making our family's plan"
PLAN_ERROR = ("Select how much you agree that you were involved in the plan", "#involved_in_plan")
HINT = "Leave this out if the help has only just started"
FAMILY = {
    "team": "ashford-ehu",
    "who_is_answering": "parent_carer",
    "help_helped": "not_sure",
    "listened_to": "agree",
    "treated_with_respect": "agree",
    "help_at_right_time": "agree",
    "things_at_start": "3",
    "things_now": "4",
}
CHILD = {
    "team": "ashford-ehu",
    "age": "young_person_11_15",
    "help_helped": "yes_a_little",
    "listened_to": "yes",
    "treated_with_respect": "yes",
    "feeling_at_start": "2",
    "feeling_now": "4",
}

STAGED = """\
key: staged
version: 1
title: Staged
audience: family
context: [stage]
respondent_question: who
sections:
  - title: Questions
    questions:
      - id: who
        type: radios
        label: Who is answering?
        options: [A parent, A child]
      - id: plan
        type: yes_no
        label: Were you involved in the plan?
        stages: [closure, review]
"""


def problems_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(dedent(text), "forms/staged.yaml")
    return caught.value


def stored(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response).order_by(Response.id)))


def test_stages_load_in_the_order_of_the_stages_whatever_order_they_are_written_in():
    spec = parse_spec(STAGED, "forms/staged.yaml")
    assert spec.question("plan").stages == ("review", "closure")
    assert spec.question("who").stages == ()


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ("[halfway]", "'stages' is a list drawn from assessment, review, closure, each once, e.g. stages: [review"),
        ("[]", "'stages' is a list drawn from assessment, review, closure"),
        ("review", "'stages' is a list drawn from assessment, review, closure"),
        ("[review, review]", "'stages' is a list drawn from assessment, review, closure, each once"),
    ],
)
def test_stages_that_are_not_a_list_of_known_stages_are_refused_with_the_line_and_a_fix(stages, message):
    error = problems_of(STAGED.replace("[closure, review]", stages))
    assert error.has(Code.QUESTION_BAD_VALUE)
    assert f"forms/staged.yaml:17 sections[0].questions[1].stages (question 'plan'): {message}" in str(error)


@pytest.mark.parametrize("audience", ["partner", "staff", "auditor"])
def test_only_family_and_child_forms_can_limit_a_question_to_stages(audience):
    error = problems_of(STAGED.replace("audience: family", f"audience: {audience}"))
    assert "stages (question 'plan'): only family and child forms are answered at a stage: remove 'stages'" in str(
        error
    )


def test_the_respondent_question_cannot_be_limited_to_stages():
    error = problems_of(
        STAGED.replace("options: [A parent, A child]", "options: [A parent, A child]\n        stages: [review]")
    )
    assert "(question 'who'): the respondent question is asked at every stage: remove 'stages'" in str(error)


def test_a_definition_without_stages_keeps_the_digest_and_snapshot_it_had_before_stages_existed():
    spec = parse_spec(STAGED.replace("        stages: [closure, review]\n", ""), "forms/staged.yaml")
    assert all("stages" not in question for question in spec.snapshot()["sections"][0]["questions"])
    staged = parse_spec(STAGED, "forms/staged.yaml")
    assert staged.digest != spec.digest
    assert FormSpec.from_snapshot(staged.snapshot(), staged.digest).question("plan").stages == ("review", "closure")


def test_a_link_for_assessment_does_not_show_the_plan_question_and_stores_the_answers_without_it(
    app, client_request, teams
):
    page = client_request.get("/feedback/family?stage=assessment")
    assert PLAN not in page.get_text()
    assert not page.select("input[name=involved_in_plan]")
    client_request.post("/feedback/family?stage=assessment", FAMILY, _expected_redirect="/feedback/family/thank-you")
    (response,) = stored(app)
    assert response.stage == "assessment"
    assert "involved_in_plan" not in response.answers


def test_a_link_for_assessment_ignores_an_answer_to_the_plan_question_sent_anyway(app, client_request, teams):
    client_request.post("/feedback/family?stage=assessment", FAMILY | {"involved_in_plan": "not-an-option"})
    (response,) = stored(app)
    assert "involved_in_plan" not in response.answers


@pytest.mark.parametrize("stage", ["review", "closure"])
def test_a_link_for_review_or_closure_asks_the_plan_question_without_a_hint_and_requires_it(
    app, client_request, teams, stage
):
    page = client_request.get(f"/feedback/family?stage={stage}")
    assert PLAN in page.get_text()
    assert HINT not in page.get_text()
    page = client_request.post(f"/feedback/family?stage={stage}", FAMILY, _expected_status=200)
    assert PLAN_ERROR in error_summary(page)
    assert stored(app) == []


def test_when_the_family_chooses_the_stage_the_plan_question_is_shown_with_a_hint_saying_when_it_applies(
    client_request, teams
):
    page = client_request.get("/feedback/family")
    legend = next(fieldset for fieldset in page.select("fieldset") if PLAN in fieldset.get_text())
    assert HINT in legend.get_text()
    assert f"{PLAN} (optional)" not in page.get_text()


def test_a_family_that_chooses_assessment_need_not_answer_the_plan_question(app, client_request, teams):
    client_request.post("/feedback/family", FAMILY | {"stage": "assessment"})
    (response,) = stored(app)
    assert (response.stage, "involved_in_plan" in response.answers) == ("assessment", False)


def test_an_answer_to_the_plan_question_at_assessment_is_not_kept(app, client_request, teams):
    client_request.post("/feedback/family", FAMILY | {"stage": "assessment", "involved_in_plan": "agree"})
    (response,) = stored(app)
    assert "involved_in_plan" not in response.answers


def test_a_family_that_chooses_review_must_answer_the_plan_question(app, client_request, teams):
    page = client_request.post("/feedback/family", FAMILY | {"stage": "review"}, _expected_status=200)
    assert PLAN_ERROR in error_summary(page)
    client_request.post("/feedback/family", FAMILY | {"stage": "review", "involved_in_plan": "agree"})
    (response,) = stored(app)
    assert response.answers["involved_in_plan"] == "agree"


def test_a_family_that_has_not_chosen_a_stage_is_asked_for_the_stage_not_the_plan(app, client_request, teams):
    page = client_request.post("/feedback/family", FAMILY, _expected_status=200)
    assert error_summary(page) == [("Select when you are giving this feedback", "#stage")]


def test_an_invitation_at_assessment_leaves_the_plan_question_out(app, staff):
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    page = worker.post(
        "/invitations/new",
        {"form": "family", "case_reference": "eh-55501", "team": "1", "stage": "assessment"},
        _expected_status=200,
    )
    link = re.search(r"/i/[\w-]+", page.select_one(".qaf-slip").get_text()).group(0)
    family = ClientRequest(app.test_client())
    assert PLAN not in family.get(link).get_text()
    family.post(link, {key: value for key, value in FAMILY.items() if key != "team"})
    (response,) = stored(app)
    assert (response.stage, "involved_in_plan" in response.answers) == ("assessment", False)


def test_the_child_form_which_never_asks_the_stage_shows_its_plan_question_optional_with_a_hint(
    app, client_request, teams
):
    page = client_request.get("/feedback/child")
    assert "Did you get a say in your plan?" in page.get_text()
    assert HINT in page.get_text()
    client_request.post("/feedback/child", CHILD)
    client_request.post("/feedback/child", CHILD | {"involved_in_plan": "sometimes"})
    assert ["involved_in_plan" in response.answers for response in stored(app)] == [False, True]


def test_the_child_form_at_review_requires_its_plan_question_and_at_assessment_leaves_it_out(
    app, client_request, teams
):
    page = client_request.post("/feedback/child?stage=review", CHILD, _expected_status=200)
    assert ("Select if you got a say in your plan", "#involved_in_plan") in error_summary(page)
    assert "Did you get a say in your plan?" not in client_request.get("/feedback/child?stage=assessment").get_text()


def test_the_export_says_the_plan_question_was_not_asked_at_assessment_and_counts_only_the_stages_that_ask_it(
    app, client_request, teams
):
    client_request.post("/feedback/family?stage=assessment", FAMILY)
    client_request.post("/feedback/family?stage=review", FAMILY | {"involved_in_plan": "disagree"})
    with app.app_context():
        db.session.execute(update(Response).values(submitted_at=IN_Q3))
        db.session.commit()
    rows = table_rows(workbook_for(app)["family"])
    assert [(row["Stage"], row[PLAN]) for row in rows] == [
        ("Assessment", "Not asked at this stage"),
        ("Review", "Disagree"),
    ]
    with app.app_context():
        data = collect_report(parse_period("2026-27 Q3"), made_by="Test Runner", today=TODAY)
    family = next(summary for summary in data.summaries if summary.key == "family")
    answered = {question.id: question.answered for question in family.questions}
    assert (answered["involved_in_plan"], answered["listened_to"]) == (1, 2)
