"""Form definitions: what the loader accepts, and every problem it reports, with file and line."""

from pathlib import Path
from textwrap import dedent

import pytest

from qaf.formspec import Code, SpecError, load_forms, parse_spec
from qaf.formspec.types import FIXED_OPTIONS

GOOD = """\
key: sample
version: 1
title: A sample form
audience: family
sections:
  - title: First
    questions:
      - id: helped
        type: radios
        label: Has the help helped?
        options: ["Yes", "No"]
        positive: ["yes"]
      - id: comments
        type: long_text
        label: Anything else?
        required: false
"""


def problems_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(dedent(text), "forms/sample.yaml")
    return caught.value


def test_a_good_definition_loads_with_defaults_filled_in():
    spec = parse_spec(GOOD, "forms/sample.yaml")
    assert spec.key == "sample"
    assert [question.id for question in spec.questions] == ["helped", "comments"]
    helped = spec.question("helped")
    assert [option.value for option in helped.options] == ["yes", "no"]
    assert helped.positive == ("yes",)
    assert spec.question("comments").required is False
    assert spec.question("comments").max_length == 1200


def test_the_digest_changes_with_the_content_and_not_with_comments():
    first = parse_spec(GOOD, "a.yaml")
    assert parse_spec("# a comment\n" + GOOD, "a.yaml").digest == first.digest
    assert parse_spec(GOOD.replace("Anything else?", "Anything more?"), "a.yaml").digest != first.digest


def test_an_unknown_type_names_the_file_line_question_and_a_likely_fix():
    error = problems_of(GOOD.replace("type: radios", "type: radio"))
    assert error.has(Code.QUESTION_UNKNOWN_TYPE)
    assert "forms/sample.yaml:9 sections[0].questions[0].type (question 'helped'): unknown type 'radio'; " in str(error)
    assert "did you mean 'radios'?" in str(error)


def test_every_problem_is_reported_not_just_the_first():
    broken = GOOD.replace("type: radios", "type: radio").replace("type: long_text", "type: longtext")
    broken = broken.replace("audience: family", "audience: families")
    error = problems_of(broken)
    codes = [problem.code for problem in error.problems]
    assert codes.count(Code.QUESTION_UNKNOWN_TYPE) == 2
    assert Code.SPEC_BAD_VALUE in codes


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("key: sample\n", ""), Code.SPEC_MISSING_FIELD),
        (("key: sample", "key: Sample Form"), Code.SPEC_BAD_VALUE),
        (("title: A sample form", "title: A sample form\ncolour: blue"), Code.SPEC_UNKNOWN_FIELD),
        (("id: comments", "id: helped"), Code.QUESTION_DUPLICATE_ID),
        (("id: comments", "id: Comments!"), Code.QUESTION_BAD_ID),
        (("id: comments", "id: csrf_token"), Code.QUESTION_BAD_ID),
        (("        label: Anything else?\n", ""), Code.QUESTION_MISSING_FIELD),
        (('        options: ["Yes", "No"]\n', ""), Code.CHOICE_MISSING),
        (('options: ["Yes", "No"]', 'options: ["Yes", "yes"]'), Code.CHOICE_DUPLICATE_VALUE),
        (('positive: ["yes"]', 'positive: ["maybe"]'), Code.CHOICE_UNKNOWN_POSITIVE),
        (("required: false", "required: sometimes"), Code.QUESTION_BAD_VALUE),
        (("required: false", "required: false\n        max_length: 0"), Code.QUESTION_BAD_VALUE),
        (("required: false", "required: false\n        colour: red"), Code.QUESTION_UNKNOWN_FIELD),
        (("audience: family", "audience: family\ncontext: [district]"), Code.SPEC_BAD_VALUE),
        (("audience: family", "audience: family\nrespondent_question: comments"), Code.SPEC_BAD_REFERENCE),
        (("  - title: First\n    questions:", "  - title: First\n    questions: []\n    old:"), Code.SECTION_EMPTY),
        (("title: A sample form", "title: [unclosed"), Code.SPEC_YAML),
        (("version: 1", "version: 1\nversion: 2"), Code.SPEC_YAML),
    ],
)
def test_each_kind_of_problem_has_its_code(change, code):
    before, after = change
    assert before in GOOD
    assert problems_of(GOOD.replace(before, after)).has(code)


def test_a_scale_needs_both_end_labels():
    text = GOOD.replace("type: long_text", "type: scale\n        low_label: very bad")
    error = problems_of(text)
    assert error.has(Code.QUESTION_MISSING_FIELD)
    assert "'high_label' is missing" in str(error)


def test_a_file_that_is_not_a_mapping_is_refused():
    assert problems_of("- just\n- a list\n").has(Code.SPEC_NOT_MAPPING)


def test_fixed_option_types_bring_their_own_options_and_positive_answers():
    text = GOOD.replace("type: long_text", "type: agreement")
    agreement = parse_spec(text, "a.yaml").question("comments")
    assert agreement.options == FIXED_OPTIONS["agreement"]
    assert agreement.positive == ("strongly_agree", "agree")


def test_every_face_has_words_beside_it():
    assert all(option.label and option.symbol for option in FIXED_OPTIONS["faces"])


def test_a_folder_with_two_forms_of_the_same_key_is_refused(tmp_path: Path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "one.yaml").write_text(GOOD)
    (tmp_path / "forms" / "two.yaml").write_text(GOOD)
    with pytest.raises(SpecError) as caught:
        load_forms(tmp_path / "forms")
    assert caught.value.has(Code.SPEC_DUPLICATE_KEY)
    assert "forms/two.yaml" in str(caught.value)


def test_an_alternative_must_name_a_real_form(tmp_path: Path):
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "one.yaml").write_text(GOOD + "alternatives:\n  - {form: kids, text: Simpler words}\n")
    with pytest.raises(SpecError) as caught:
        load_forms(tmp_path / "forms")
    assert caught.value.has(Code.SPEC_BAD_REFERENCE)


def test_the_shipped_forms_are_valid_and_ask_what_the_seeds_ask():
    forms = load_forms(Path(__file__).parents[2] / "forms")
    family = forms["family"]
    ids = {question.id for question in family.questions}
    assert {
        "help_helped",
        "what_helped",
        "could_be_better",
        "going_well",
        "would_like_to_change",
        "listened_to",
        "involved_in_plan",
        "treated_with_respect",
        "help_at_right_time",
        "things_at_start",
        "things_now",
        "who_is_answering",
    } <= ids
    assert family.context == ("team", "stage")
    assert forms["child"].audience == "child"
    assert any(question.type == "faces" for question in forms["child"].questions)


def test_the_complete_example_in_the_forms_readme_is_valid():
    readme = (Path(__file__).parents[2] / "forms" / "README.md").read_text()
    # The complete example is the block that starts with the form's key; the others are snippets.
    blocks = [block.split("```", 1)[0] for block in readme.split("```yaml\n")[1:]]
    example = next(block for block in blocks if block.startswith("key:"))
    spec = parse_spec(example, "forms/README.md")
    assert {question.type for question in spec.questions} >= {"select", "date", "agreement", "scale", "checkboxes"}


AUDIT = """\
key: sample-audit
version: 1
title: A sample audit
audience: auditor
grade_question: judgement
scaling_question: impact
alerts:
  - {question: judgement, answers: [inadequate], reason: The overall judgement is Inadequate}
  - {question: safeguarding, answers: ["yes"], reason: There are unresolved safeguarding issues}
sections:
  - title: Standards
    questions:
      - {id: a1, type: standard, label: The assessment is up to date}
      - {id: impact, type: scale, label: Impact, low_label: none, high_label: a lot}
      - id: judgement
        type: radios
        label: Overall judgement
        options: [Outstanding, Good, Requires improvement, Inadequate]
        positive: [outstanding, good]
      - {id: safeguarding, type: yes_no, label: "Are there unresolved safeguarding issues?"}
"""


def test_an_audit_template_declares_its_grade_scaling_and_alerts():
    spec = parse_spec(AUDIT, "forms/audits/sample.yaml")
    assert spec.grade.id == "judgement"
    assert spec.scaling_question == "impact"
    assert [(rule.question, rule.answers) for rule in spec.alerts] == [
        ("judgement", ("inadequate",)),
        ("safeguarding", ("yes",)),
    ]


def test_each_standard_is_followed_by_an_optional_evidence_box():
    spec = parse_spec(AUDIT, "forms/audits/sample.yaml")
    standard, evidence = spec.questions[:2]
    assert [option.label for option in standard.options] == ["Met", "Partly met", "Not met", "Not applicable"]
    assert (evidence.id, evidence.type, evidence.required, evidence.evidence_for) == (
        "a1_evidence",
        "long_text",
        False,
        "a1",
    )


@pytest.mark.parametrize(
    ("before", "after", "code"),
    [
        ("grade_question: judgement", "grade_question: impact", Code.SPEC_BAD_REFERENCE),
        ("scaling_question: impact", "scaling_question: nothing", Code.SPEC_BAD_REFERENCE),
        ("answers: [inadequate]", "answers: [awful]", Code.CHOICE_UNKNOWN_POSITIVE),
        ("{question: judgement,", "{question: a1_evidence,", Code.SPEC_BAD_REFERENCE),
        (", reason: There are unresolved safeguarding issues}", "}", Code.SPEC_MISSING_FIELD),
        ("{id: impact,", "{id: a1_evidence,", Code.QUESTION_DUPLICATE_ID),
    ],
)
def test_audit_fields_are_checked(before, after, code):
    assert before in AUDIT
    assert problems_of(AUDIT.replace(before, after)).has(code)


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ("keep_case_reference: maybe", Code.SPEC_BAD_VALUE),
        ("rounds: sometimes", Code.SPEC_BAD_VALUE),
    ],
)
def test_invitation_and_round_settings_are_checked(extra, code):
    assert problems_of(GOOD + extra + "\n").has(code)


def test_an_anonymous_form_can_never_keep_a_case_reference():
    text = GOOD.replace("audience: family", "audience: staff") + "keep_case_reference: true\n"
    assert "partner and staff forms are anonymous" in str(problems_of(text))


def test_a_family_form_can_keep_the_case_reference_and_a_partner_form_run_in_rounds():
    assert parse_spec(GOOD + "keep_case_reference: true\n", "a.yaml").keep_case_reference
    partner = GOOD.replace("audience: family", "audience: partner") + "rounds: optional\n"
    assert parse_spec(partner, "a.yaml").rounds == "optional"


HEADLINE = GOOD.replace('positive: ["yes"]', 'positive: ["yes"]\n        headline: families_helped')


def test_a_question_says_which_headline_measure_it_feeds():
    assert parse_spec(HEADLINE, "a.yaml").question("helped").headline == "families_helped"
    assert parse_spec(GOOD, "a.yaml").question("helped").headline == ""


def test_definitions_without_a_headline_keep_the_digest_they_had_before_headlines_existed():
    # The digest of GOOD as it was stored before ``headline`` was added to the question fields.
    assert "headline" not in str(parse_spec(GOOD, "a.yaml").snapshot())
    assert parse_spec(HEADLINE, "a.yaml").digest != parse_spec(GOOD, "a.yaml").digest


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADLINE.replace("headline: families_helped", "headline: families_happy"),
            "unknown headline measure 'families_happy'; use one of families_helped, partner_satisfaction",
        ),
        (
            HEADLINE.replace('        positive: ["yes"]\n', ""),
            "a headline question needs positive answers: add positive: [...]",
        ),
        (
            HEADLINE.replace("audience: family", "audience: partner"),
            "'families_helped' is counted on family and child forms only",
        ),
        (
            HEADLINE.replace(
                "        required: false\n",
                "        required: false\n      - id: helped_again\n        type: yes_no\n        label: Did it help?\n"
                "        headline: families_helped\n",
            ),
            "another question of this form already feeds 'families_helped'",
        ),
    ],
)
def test_a_headline_that_cannot_be_counted_is_refused_with_the_line(text, message):
    error = problems_of(text)
    assert error.has(Code.QUESTION_BAD_VALUE)
    assert message in str(error)
    assert "forms/sample.yaml:" in str(error)
    assert ".headline" in str(error)
