"""The audit templates in forms/audits: they load, and carry the seeds' standards, grades and alerts."""

import re
from pathlib import Path

import pytest

from qaf.formspec import FormSpec, load_forms

FORMS = Path(__file__).parents[2] / "forms"
# The source document for Cumbria's audit tool (seed 003); outside the repository.
CUMBRIA_SEED = Path("/work/shared/seeds/003_1c3748e826f5bb3c.txt")

# Each template and the words in its intro that say how often it is done, from its seed.
TEMPLATES = {
    "ehat-quality-audit": "Each month",
    "practice-evaluation": "each month",
    "rfp-practice-audit": "every two months",
    "step-up-step-down-audit": "Every month",
    "returning-case-audit": "Every month",
    "safeguarding-checklist": "once a year",
    "group-activity-observation": "every six months",
    "unit-meeting-peer-audit": "every month",
    "practice-observation": "every 3 months",
}
CAMDEN_CASE_AUDITS = ("rfp-practice-audit", "step-up-step-down-audit", "returning-case-audit")
# The yes/no question whose "yes" is a concern that must reach managers now, where not safeguarding_concern.
CONCERN_QUESTIONS = {"ehat-quality-audit": "unresolved_safeguarding", "practice-evaluation": "immediate_concerns"}
OFSTED_GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]

# Cumbria CSCP Early Help QAF, Appendix 1, copied word for word (the seed's own grammar kept).
ASSESSMENT_STANDARDS = [
    "The assessment is holistic and identifies the seven stages of analysis (past worries, future worries, "
    "complicating factors, existing strengths, existing well-being, well-being goals and next steps). These will "
    "be clear, solution focused and realistic.",
    "The assessment is factual, evidence based and focused on improving outcomes for the child/young person in the "
    "context of their family",
    "The assessment includes an understanding of all significant family history in a chronological way.",
    "Family members were included in identifying their family, friends and community network which is detailed "
    "and identifies those people important to the family",
    "Family members were included in developing their genogram.",
    "The assessment is logical, concise and jargon free",
    "The assessment includes information from a range of agencies as appropriate",
    "The assessment explores and addresses the impact of age, disability, ethnicity, faith/belief, gender "
    "identity, language, race and sexual orientation",
    "The voice of the child/young person is explicit in the assessment process",
    "The voice of the parent(s)/carer(s) is explicit in the assessment process (if appropriate)",
    "A critical analysis and evaluation of the information gathered from the child, young person and family is "
    "present in the assessment",
    "The assessment shows an understanding of the history and wider family context and the impact of this on the "
    "child or young person",
    "The assessment identifies any potential safeguarding concerns and evidences how professionals and the family "
    "are managing these",
]
PLAN_STANDARDS = [
    "There is a Family Action Plan which is specific, measurable, achievable, realistic, timely (SMART) and outcome "
    "focused",
    "The Plan involves the child/young person, their parents/carers (and others affected by the plan) in the "
    "decisions taken and encourages them to take on actions themselves where appropriate",
    "The Plan recognises risks and outlines how risk can be responded to or reduced",
]
REVIEW_STANDARDS = [
    "The review date and time takes into account the specific circumstances of the child/young person and their family",
    "TAF/ Support Network Meetings used scaling questions to measure progress.",
    "The review considers any newly identified needs and strengths and uses them to inform the next steps",
    "The child/young person is present at the review meeting (if appropriate). Their views are sought on planning "
    "the next steps and their comments are recorded",
    "The parents/carers are present at the review meeting (if appropriate). Their views are sought on planning the "
    "next steps and their comments are recorded",
    "The outcome of each review is clearly recorded, and the next review date identified (if the Early Help "
    "Assessment is not closing)",
    "The initial review meeting is set six weeks after the Team around the Family meeting. Subsequent reviews are "
    "timely according to the specific needs and actions identified in the plan.",
    "The reason for the closure of the early help assessment signs of wellbeing and success is clearly evidenced",
    "Where a family is transfer to social care, all relevant information was shared, which would include mapping, "
    "plans, genograms and chronologies.",
]
JUDGEMENT_DEFINITIONS = {
    "outstanding": "There is strong evidence of good practice throughout, and there is clear evidence of outcomes "
    "and impact throughout",
    "good": "There is evidence of good practice and evidence that the practice of the practitioners is deemed to be "
    "what would be expected",
    "requires_improvement": "Practice standards have been followed but with gaps in assessment, planning and direct "
    "work with child and family",
    "inadequate": "Practice standards have not been adhered to and there are gaps in relation to practice",
}


def normalised(text: str) -> str:
    return " ".join(text.split())


def standards_in(spec: FormSpec, section_title: str) -> list[tuple[str, str]]:
    section = next(section for section in spec.sections if section.title == section_title)
    return [(question.id, question.label) for question in section.questions if question.type == "standard"]


def words_of(spec: FormSpec) -> list[tuple[str, str]]:
    """Every piece of text a question shows, with the id of the question it belongs to."""
    found = []
    for question in spec.questions:
        texts = [question.label, question.hint, question.thing, question.low_label, question.high_label]
        texts += [text for option in question.options for text in (option.label, option.hint)]
        found += [(question.id, text) for text in texts if text]
    return found


@pytest.fixture(scope="module")
def forms() -> dict[str, FormSpec]:
    return load_forms(FORMS)


@pytest.fixture(scope="module")
def ehat(forms) -> FormSpec:
    return forms["ehat-quality-audit"]


@pytest.fixture(scope="module")
def cumbria_seed() -> str:
    if not CUMBRIA_SEED.is_file():
        pytest.skip(f"the Cumbria seed document is not here: {CUMBRIA_SEED}")
    return normalised(CUMBRIA_SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("key", "frequency"), TEMPLATES.items())
def test_each_audit_template_loads_as_a_version_1_auditor_form_that_says_how_often_it_is_done(forms, key, frequency):
    spec = forms[key]
    assert spec.path.startswith("forms/audits/")
    assert (spec.audience, spec.version) == ("auditor", "1")
    assert spec.title
    assert frequency in spec.intro
    assert spec.sections
    assert all(section.title for section in spec.sections)


def test_the_cumbria_audit_is_saved_where_the_brief_says():
    assert (FORMS / "audits" / "early-help-assessment-audit.yaml").is_file()


@pytest.mark.parametrize(
    ("section", "prefix", "expected"),
    [
        ("Early Help Assessment", "assessment", ASSESSMENT_STANDARDS),
        ("Early Help Assessment Plan", "plan", PLAN_STANDARDS),
        ("Early Help Assessment Review Meeting", "review", REVIEW_STANDARDS),
    ],
)
def test_the_cumbria_standards_are_all_present_in_order_in_the_seeds_wording(ehat, section, prefix, expected):
    assert standards_in(ehat, section) == [
        (f"{prefix}_{number}", text) for number, text in enumerate(expected, start=1)
    ]


def test_the_cumbria_audit_has_13_assessment_3_plan_and_9_review_standards_and_no_others(ehat):
    assert (len(ASSESSMENT_STANDARDS), len(PLAN_STANDARDS), len(REVIEW_STANDARDS)) == (13, 3, 9)
    standards = [question.label for question in ehat.questions if question.type == "standard"]
    assert standards == ASSESSMENT_STANDARDS + PLAN_STANDARDS + REVIEW_STANDARDS


@pytest.mark.parametrize("text", ASSESSMENT_STANDARDS + PLAN_STANDARDS + REVIEW_STANDARDS)
def test_each_cumbria_standard_is_copied_word_for_word_from_the_seed(cumbria_seed, text):
    assert normalised(text) in cumbria_seed


def test_every_cumbria_standard_is_followed_by_its_evidence_box(ehat):
    questions = ehat.questions
    for index, question in enumerate(questions):
        if question.type == "standard":
            assert questions[index + 1].id == f"{question.id}_evidence"
            assert questions[index + 1].evidence_for == question.id


def test_the_cumbria_overall_judgement_has_the_four_grades_with_the_seeds_definitions(ehat, cumbria_seed):
    judgement = ehat.grade
    assert judgement is not None
    assert (judgement.id, judgement.type) == ("judgement", "radios")
    assert [option.value for option in judgement.options] == OFSTED_GRADES
    assert [option.label for option in judgement.options] == [
        "Outstanding",
        "Good",
        "Requires Improvement",
        "Inadequate",
    ]
    assert {option.value: option.hint for option in judgement.options} == JUDGEMENT_DEFINITIONS
    for label, definition in ((option.label, option.hint) for option in judgement.options):
        assert normalised(f"{label} {definition}") in cumbria_seed
    assert judgement.positive == ("outstanding", "good")


def test_the_cumbria_auditor_scales_the_impact_of_the_work_out_of_10(ehat):
    impact = ehat.question(ehat.scaling_question)
    assert impact.type == "scale"
    assert [option.value for option in impact.options] == [str(number) for number in range(11)]
    assert impact.low_label
    assert impact.high_label


def test_an_inadequate_judgement_or_unresolved_safeguarding_issues_alert_the_coordinators_managers(ehat):
    assert [(rule.question, rule.answers) for rule in ehat.alerts] == [
        ("judgement", ("inadequate",)),
        ("unresolved_safeguarding", ("yes",)),
    ]
    safeguarding = ehat.question("unresolved_safeguarding")
    assert (safeguarding.type, safeguarding.label) == ("yes_no", "Are there unresolved safeguarding issues?")
    assert all("line manager" in rule.reason for rule in ehat.alerts)


def test_the_cumbria_audit_ends_with_strengths_and_areas_for_development(ehat):
    assert ehat.question("strengths").type == "long_text"
    assert ehat.question("areas_for_development").type == "long_text"


def test_the_practice_evaluation_follows_signs_of_safety_lines(forms):
    spec = forms["practice-evaluation"]
    labels = {question.id: (question.type, question.label) for question in spec.questions}
    assert labels["working_well"] == ("long_text", "What is working well?")
    assert labels["worried_about"] == ("long_text", "What are we worried about?")
    assert labels["needs_to_happen"] == ("long_text", "What needs to happen?")
    assert spec.question(spec.scaling_question).type == "scale"


def test_the_practice_evaluation_records_service_user_feedback_or_where_it_is_in_the_record(forms):
    spec = forms["practice-evaluation"]
    assert [option.value for option in spec.question("feedback_source").options] == ["direct", "record", "none"]
    assert "Within case notes (including telephone call records or emails)" in [
        option.label for option in spec.question("feedback_in_record").options
    ]
    assert spec.question("practitioner_reflections").required


def test_immediate_concerns_in_a_practice_evaluation_alert_the_managers_and_the_director(forms):
    spec = forms["practice-evaluation"]
    assert spec.question("immediate_concerns").type == "yes_no"
    rule = next(rule for rule in spec.alerts if rule.question == "immediate_concerns")
    assert rule.answers == ("yes",)
    for who in ("practitioner", "team manager", "service manager", "Director of Social Care"):
        assert who in rule.reason
    assert spec.grade is not None
    assert [option.value for option in spec.grade.options] == OFSTED_GRADES


@pytest.mark.parametrize("key", CAMDEN_CASE_AUDITS)
def test_each_camden_case_audit_asks_whether_the_help_helped_and_for_the_workers_reflections(forms, key):
    spec = forms[key]
    assert spec.question("help_helped").type == "radios"
    assert spec.question("help_helped").positive == ("yes",)
    assert spec.question("worker_reflections").required
    for question_id in ("strengths", "areas_to_improve"):
        assert spec.question(question_id).type == "long_text"
    decision = spec.question("decision_quality")
    assert decision.type == "standard"
    assert decision.label.startswith("Decisions on interventions will be proportionate and timely")


@pytest.mark.parametrize("key", CAMDEN_CASE_AUDITS)
def test_each_camden_case_audit_is_graded_and_alerts_on_inadequate_practice_or_a_safeguarding_concern(forms, key):
    spec = forms[key]
    assert spec.grade is not None
    assert [option.value for option in spec.grade.options] == OFSTED_GRADES
    assert all(option.hint for option in spec.grade.options)
    assert spec.grade.positive == ("outstanding", "good")
    rules = {rule.question: rule.answers for rule in spec.alerts}
    assert rules["judgement"] == ("inadequate",)
    assert rules["safeguarding_concern"] == ("yes",)


def test_the_step_up_step_down_audit_asks_whether_the_decision_was_right_and_timely(forms):
    spec = forms["step-up-step-down-audit"]
    assert [option.value for option in spec.question("direction").options] == ["step_up", "step_down"]
    assert spec.question("decision_right").positive == ("yes",)
    assert spec.question("decision_timely").positive == ("yes",)
    assert ("decision_right", ("no",)) in [(rule.question, rule.answers) for rule in spec.alerts]


def test_the_returning_case_audit_asks_why_the_family_returned(forms):
    spec = forms["returning-case-audit"]
    assert spec.question("why_returned").label == "What led the family to return into the system?"
    assert spec.question("return_factors").type == "checkboxes"


def test_the_unit_meeting_peer_audit_is_graded_gold_silver_or_bronze(forms):
    spec = forms["unit-meeting-peer-audit"]
    assert spec.grade is not None
    assert [(option.value, option.label) for option in spec.grade.options] == [
        ("gold", "Gold"),
        ("silver", "Silver"),
        ("bronze", "Bronze"),
    ]
    assert all(option.hint for option in spec.grade.options)
    assert spec.grade.positive == ("gold", "silver")


@pytest.mark.parametrize("key", ["safeguarding-checklist", "group-activity-observation", "unit-meeting-peer-audit"])
def test_each_kent_audit_records_its_next_steps(forms, key):
    assert forms[key].question("next_steps").required


@pytest.mark.parametrize("key", TEMPLATES)
def test_every_audit_template_alerts_managers_about_a_safeguarding_concern(forms, key):
    spec = forms[key]
    concern = CONCERN_QUESTIONS.get(key, "safeguarding_concern")
    assert (concern, ("yes",)) in [(rule.question, rule.answers) for rule in spec.alerts]
    assert spec.question(concern).type == "yes_no"
    # "Yes, there is a concern" must not count as a good answer in reports.
    assert spec.question(concern).positive == ("no",)


@pytest.mark.parametrize("key", TEMPLATES)
def test_every_required_choice_question_names_what_is_missing_in_lower_case(forms, key):
    for question in forms[key].questions:
        if question.required and question.is_choice:
            assert question.thing, question.id
            assert question.thing[0].islower(), question.id


@pytest.mark.parametrize("key", TEMPLATES)
def test_only_the_loader_makes_evidence_boxes(forms, key):
    for question in forms[key].questions:
        assert question.id.endswith("_evidence") == bool(question.evidence_for), question.id


@pytest.mark.parametrize("key", TEMPLATES)
def test_no_question_asks_for_or_mentions_anyones_name(forms, key):
    for question_id, text in words_of(forms[key]):
        assert not re.search(r"\bnames?\b", text, re.IGNORECASE), (question_id, text)


@pytest.mark.parametrize("key", TEMPLATES)
def test_every_intro_warns_against_writing_the_familys_names(forms, key):
    assert re.search(r"do not write the names of", forms[key].intro, re.IGNORECASE)
