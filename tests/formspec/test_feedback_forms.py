"""The feedback forms for families, partners and staff: they load with the settings the seeds call for,
share the answers reports compare, and never ask for anyone's name."""

import re
from pathlib import Path

import pytest

from qaf.formspec import FormSpec, load_forms

FORMS = Path(__file__).parents[2] / "forms"

# Each new form: its file, audience, rounds ("" for none) and whether it keeps an invitation's case reference.
NEW_FORMS = {
    "closure": ("forms/feedback/closure.yaml", "family", "", True),
    "cp-conference": ("forms/feedback/cp-conference.yaml", "family", "", False),
    "partner": ("forms/partners/partner.yaml", "partner", "optional", False),
    "triage-notifier": ("forms/partners/triage-notifier.yaml", "partner", "", False),
    "staff-survey": ("forms/staff/staff-survey.yaml", "staff", "required", False),
    "supervision": ("forms/staff/supervision.yaml", "staff", "", False),
    "training": ("forms/staff/training.yaml", "staff", "", False),
}
ANONYMOUS_FORMS = [key for key, (_, _, _, keeps) in NEW_FORMS.items() if not keeps]
PARTNER_FORMS = ["partner", "triage-notifier"]
AGENCY_TYPES = ["school", "health", "police", "voluntary_sector", "housing", "other"]
SATISFACTION = ["very_satisfied", "satisfied", "neither", "dissatisfied", "very_dissatisfied"]
# Choice questions that describe who is answering or what happened: no answer is better than another.
DESCRIPTIVE = {"who_is_answering", "filled_in_with_worker", "conference_type", "agency_type", "contact_reason"}
DESCRIPTIVE |= {"role", "delivery", "district"}
# Questions the closure form shares with family.yaml, so answers at closure compare with earlier stages.
SHARED_WITH_FAMILY = [
    "who_is_answering",
    "help_helped",
    "what_helped",
    "could_be_better",
    "listened_to",
    "involved_in_plan",
    "treated_with_respect",
    "help_at_right_time",
    "things_at_start",
    "things_now",
]
STAFF_SURVEY_STATEMENTS = {
    "manageable_caseload",
    "good_supervision",
    "feel_supported",
    "training_meets_needs",
    "confident_in_practice_model",
    "feel_valued",
    "proud_to_work_here",
    "would_recommend",
}
NAME = re.compile(r"name", re.IGNORECASE)
# "name" may only appear in a sentence telling people not to give one.
NOT_TO = re.compile(r"\b(do not|don't|never|not need to|not have to)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


def values(spec: FormSpec, question_id: str) -> list[str]:
    return [option.value for option in spec.question(question_id).options]


def mentions_of_a_name(text: str) -> list[str]:
    """The sentences in ``text`` that mention a name without telling people not to give one."""
    return [sentence for sentence in SENTENCE_END.split(text) if NAME.search(sentence) and not NOT_TO.search(sentence)]


def words_of(spec: FormSpec) -> list[tuple[str, str]]:
    """Every piece of text a person filling in the form reads, with where it is."""
    found = [("title", spec.title), ("intro", spec.intro), ("privacy", spec.privacy)]
    for section in spec.sections:
        found += [(f"section {section.title}", section.title), (f"section {section.title}", section.intro)]
    for question in spec.questions:
        texts = [question.label, question.hint, question.thing, question.low_label, question.high_label]
        texts += [text for option in question.options for text in (option.label, option.hint)]
        found += [(question.id, text) for text in texts]
    return [(where, text) for where, text in found if text]


@pytest.fixture(scope="module")
def forms() -> dict[str, FormSpec]:
    return load_forms(FORMS)


@pytest.mark.parametrize(("key", "settings"), NEW_FORMS.items())
def test_each_new_form_loads_from_its_file_with_its_audience_rounds_and_case_reference_setting(forms, key, settings):
    path, audience, rounds, keeps_case_reference = settings
    spec = forms[key]
    assert (spec.path, spec.version) == (path, "1")
    assert (spec.audience, spec.rounds, spec.keep_case_reference) == (audience, rounds, keeps_case_reference)


@pytest.mark.parametrize("key", NEW_FORMS)
def test_each_new_form_has_a_title_an_intro_that_says_how_long_it_takes_and_headed_sections(forms, key):
    spec = forms[key]
    assert spec.title
    assert re.search(r"about \d+ minutes", spec.intro), spec.intro
    assert spec.sections
    assert all(section.title and section.questions for section in spec.sections)


@pytest.mark.parametrize("key", ANONYMOUS_FORMS)
def test_each_anonymous_form_says_so_in_its_intro(forms, key):
    assert "anonymous" in forms[key].intro
    assert forms[key].keep_case_reference is False


def test_the_closure_form_tells_the_family_it_keeps_their_case_reference_not_their_name(forms):
    privacy = forms["closure"].privacy
    assert "case reference" in privacy
    assert "We do not ask for your name" in privacy


def test_the_family_forms_are_about_a_team_and_the_partner_and_staff_forms_ask_no_context(forms):
    for key, (_, audience, _, _) in NEW_FORMS.items():
        assert forms[key].context == (("team",) if audience == "family" else ()), key


def test_every_staff_form_never_keeps_a_case_reference(forms):
    staff_forms = [spec for spec in forms.values() if spec.audience == "staff"]
    assert {"staff-survey", "supervision", "training"} <= {spec.key for spec in staff_forms}
    for spec in staff_forms:
        assert spec.keep_case_reference is False, spec.key
        assert not any("case" in question.id and "reference" in question.id for question in spec.questions)


@pytest.mark.parametrize("key", PARTNER_FORMS)
def test_each_partner_form_records_exactly_the_six_agency_types_as_the_respondent_type(forms, key):
    spec = forms[key]
    assert values(spec, "agency_type") == AGENCY_TYPES
    assert spec.question("agency_type").type == "radios"
    assert spec.respondent_question == "agency_type"


@pytest.mark.parametrize("key", PARTNER_FORMS)
def test_overall_satisfaction_runs_from_very_satisfied_to_very_dissatisfied_and_satisfied_is_positive(forms, key):
    question = forms[key].question("overall_satisfaction")
    assert [option.value for option in question.options] == SATISFACTION
    assert question.positive == ("very_satisfied", "satisfied")


def test_the_partner_form_asks_for_the_organisation_only_if_they_want_and_warns_against_naming_families(forms):
    spec = forms["partner"]
    organisation = spec.question("organisation")
    assert (organisation.type, organisation.required) == ("text", False)
    assert re.search(r"do not have to", organisation.hint, re.IGNORECASE)
    assert re.search(r"do not name any families", organisation.hint, re.IGNORECASE)
    district = spec.question("district")
    assert (district.type, district.options_from, district.required) == ("radios", "districts", False)


def test_the_partner_form_rates_each_part_of_working_together_and_asks_what_works_and_what_should_change(forms):
    spec = forms["partner"]
    for question_id in (
        "referral_and_triage",
        "communication",
        "information_sharing",
        "joint_working",
        "timeliness",
        "impact_on_families",
    ):
        assert spec.question(question_id).type == "agreement", question_id
    assert spec.question("works_well").type == spec.question("should_change").type == "long_text"


def test_the_triage_form_asks_whether_the_outcome_was_told_in_good_time_and_the_decision_was_clear_and_right(forms):
    spec = forms["triage-notifier"]
    assert spec.question("outcome_communicated").positive == ("yes",)
    for question_id in ("timely_response", "decision_clear", "decision_appropriate"):
        assert spec.question(question_id).type == "agreement", question_id
    assert spec.question("could_improve").type == "long_text"


def test_the_closure_form_shares_the_family_forms_questions_and_answers_so_reports_can_compare(forms):
    family, closure = forms["family"], forms["closure"]
    for question_id in SHARED_WITH_FAMILY:
        ours, theirs = closure.question(question_id), family.question(question_id)
        assert (ours.type, ours.options, ours.positive) == (theirs.type, theirs.options, theirs.positive), question_id
    assert closure.respondent_question == family.respondent_question == "who_is_answering"


def test_every_family_form_that_asks_whether_the_help_helped_uses_the_family_forms_answers(forms):
    family = forms["family"]
    for spec in forms.values():
        if spec.audience == "family" and any(question.id == "help_helped" for question in spec.questions):
            assert values(spec, "help_helped") == values(family, "help_helped"), spec.key
            assert spec.question("help_helped").positive == family.question("help_helped").positive, spec.key


def test_the_conference_form_asks_who_is_answering_with_the_family_forms_values(forms):
    spec = forms["cp-conference"]
    assert set(values(spec, "who_is_answering")) <= set(values(forms["family"], "who_is_answering"))
    assert spec.respondent_question == "who_is_answering"


def test_the_closure_form_asks_what_changed_how_things_are_now_and_whether_they_know_where_to_go_for_help(forms):
    spec = forms["closure"]
    assert spec.question("what_changed").type == "long_text"
    assert spec.question("things_now").type == "scale"
    assert spec.question("know_where_to_go").positive == ("yes",)


def test_the_conference_form_asks_about_the_report_being_listened_to_the_decisions_respect_and_support(forms):
    spec = forms["cp-conference"]
    assert spec.question("report_in_time").positive == ("yes_in_time",)
    assert spec.question("report_explained").positive == ("yes",)
    assert spec.question("could_bring_support").positive == ("yes",)
    for question_id in ("listened_to", "understood_decisions", "treated_with_respect"):
        assert spec.question(question_id).type == "agreement", question_id
    assert spec.question("could_be_better").type == "long_text"


def test_the_staff_survey_is_answered_only_in_waves_with_the_same_agreement_statements_each_time(forms):
    spec = forms["staff-survey"]
    assert spec.rounds == "required"
    assert values(spec, "role") == ["practitioner", "manager", "other"]
    statements = {question.id for question in spec.questions if question.type == "agreement"}
    assert statements >= STAFF_SURVEY_STATEMENTS
    assert all(spec.question(question_id).required for question_id in statements)
    assert spec.question("biggest_difference").required is False


def test_the_supervision_form_rates_supervision_from_0_to_10_and_asks_what_would_make_it_better(forms):
    spec = forms["supervision"]
    rating = spec.question("overall_rating")
    assert rating.type == "scale"
    assert [option.value for option in rating.options] == [str(number) for number in range(11)]
    assert rating.low_label
    assert rating.high_label
    for question_id in ("uninterrupted", "reflective", "case_discussion_helpful", "decisions_recorded"):
        assert spec.question(question_id).type == "agreement", question_id
    assert spec.question("wellbeing_discussed").type == "agreement"
    assert spec.question("make_better").type == "long_text"


def test_the_training_form_asks_the_course_and_date_its_quality_and_its_impact_on_practice(forms):
    spec = forms["training"]
    assert (spec.question("course").type, spec.question("course_date").type) == ("text", "date")
    assert sum(question.type == "agreement" for question in spec.questions) >= 3
    impact = spec.question("impact_on_practice")
    assert impact.type == "scale"
    assert impact.low_label
    assert impact.high_label
    assert spec.question("do_differently").type == "long_text"
    assert spec.question("comments").required is False


@pytest.mark.parametrize("key", NEW_FORMS)
def test_every_choice_question_that_has_a_good_answer_says_which_answers_are_positive(forms, key):
    for question in forms[key].questions:
        if question.is_choice and not question.equality:  # equality questions never have a good answer
            assert bool(question.positive) != (question.id in DESCRIPTIVE), question.id


@pytest.mark.parametrize("key", NEW_FORMS)
def test_every_required_choice_question_names_what_is_missing_in_lower_case(forms, key):
    for question in forms[key].questions:
        if question.required and question.is_choice:
            assert question.thing, question.id
            assert question.thing[0].islower(), question.id


@pytest.mark.parametrize("key", NEW_FORMS)
def test_no_new_form_mentions_a_name_except_to_tell_people_not_to_give_one(forms, key):
    for where, text in words_of(forms[key]):
        assert not mentions_of_a_name(text), (where, text)


@pytest.mark.parametrize(
    "text", ["What is your name?", "Your child's name", "Name of your school", "Which family is it? Give names."]
)
def test_the_name_check_catches_a_question_that_asks_for_a_name(text):
    assert mentions_of_a_name(text)


@pytest.mark.parametrize(
    "text",
    [
        "You do not need to give your name.",
        "You do not have to tell us. Do not name any families or children.",
        "This form is anonymous: do not write your name or the trainer's name.",
        "Don't include anyone's name",
    ],
)
def test_the_name_check_allows_telling_people_not_to_give_names(text):
    assert not mentions_of_a_name(text)
