"""Questions and sections shown on conditions: what the loader accepts, every mistake it names with
file and line, and which questions a response did not show (qaf.formspec.conditions)."""

from textwrap import dedent

import pytest

from qaf.formspec import Code, SpecError, parse_spec
from qaf.formspec.conditions import Hidden, has_conditions, hidden_questions

AUDIT = """\
key: sample-audit
version: 1
title: A sample audit
audience: auditor
grade_question: grade
sections:
  - title: About the case
    questions:
      - id: who
        type: radios
        label: Who gave their views?
        options: ["Parent", "Young person", "Nobody"]
      - id: young_views
        type: long_text
        label: What did the young person say?
        show_if: {question: who, is: [young_person]}
      - id: views_recorded
        type: yes_no
        label: Were the views recorded?
        show_if:
          question: who
          is: [parent, young_person]
  - title: Family network
    id: family_network
    may_not_apply: true
    questions:
      - id: network
        type: standard
        label: The family network was explored
  - title: Parent's views
    show_if: {question: who, is: parent}
    questions:
      - id: parent_heard
        type: standard
        label: The parent's views shaped the plan
  - title: Grade
    questions:
      - id: grade
        type: radios
        label: Overall grade
        options: ["Good", "Requires improvement", "Inadequate"]
"""


def problems_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(dedent(text), "forms/sample.yaml")
    return caught.value


def test_conditions_and_optional_sections_load_into_the_definition():
    spec = parse_spec(AUDIT, "forms/sample.yaml")
    assert spec.question("young_views").show_if.question == "who"
    assert spec.question("young_views").show_if.values == ("young_person",)
    assert spec.question("views_recorded").show_if.values == ("parent", "young_person")
    # One value may be written without brackets.
    assert spec.sections[2].show_if.values == ("parent",)
    network = spec.sections[1]
    assert (network.id, network.may_not_apply) == ("family_network", True)
    # The section starts with the tick box that marks it not applicable; the standard's evidence follows it.
    assert [question.id for question in network.questions] == [
        "family_network_not_applicable",
        "network",
        "network_evidence",
    ]
    marker = network.questions[0]
    assert marker.label == "Does this section apply?"
    assert [option.label for option in marker.options] == ["This section does not apply"]
    assert "not counted in the percentages" in marker.hint
    assert has_conditions(spec)


def test_a_definition_without_conditions_keeps_its_digest_and_hides_nothing():
    plain = AUDIT.replace("        show_if: {question: who, is: [young_person]}\n", "")
    plain = plain.replace("        show_if:\n          question: who\n          is: [parent, young_person]\n", "")
    plain = plain.replace("    id: family_network\n    may_not_apply: true\n", "")
    plain = plain.replace("    show_if: {question: who, is: parent}\n", "")
    spec = parse_spec(plain, "forms/sample.yaml")
    assert not has_conditions(spec)
    assert hidden_questions(spec, {"who": "nobody"}, None) == {}
    assert "id" not in spec.snapshot()["sections"][0]


def test_what_a_response_did_not_show_and_why():
    spec = parse_spec(AUDIT, "forms/sample.yaml")
    assert hidden_questions(spec, {"who": "young_person"}, None) == {
        "parent_heard": Hidden.CONDITION,
        "parent_heard_evidence": Hidden.CONDITION,
    }
    assert hidden_questions(spec, {"who": "parent", "family_network_not_applicable": ["not_applicable"]}, None) == {
        "young_views": Hidden.CONDITION,
        "network": Hidden.SECTION_NOT_APPLICABLE,
        "network_evidence": Hidden.SECTION_NOT_APPLICABLE,
    }
    nobody = hidden_questions(spec, {"who": "nobody"}, None)
    assert set(nobody) == {"young_views", "views_recorded", "parent_heard", "parent_heard_evidence"}
    assert Hidden.SECTION_NOT_APPLICABLE.label == "Section not applicable"
    assert Hidden.CONDITION.label == "Not shown"


def test_a_condition_on_a_hidden_question_hides_its_question_too():
    chained = AUDIT.replace(
        "  - title: Family network\n",
        "      - id: recorded_where\n"
        "        type: text\n"
        "        label: Where were they recorded?\n"
        "        show_if: {question: views_recorded, is: ['yes']}\n"
        "  - title: Family network\n",
    )
    spec = parse_spec(chained, "forms/sample.yaml")
    # 'views_recorded' was answered, then 'who' changed to nobody: the answer sent does not count.
    hidden = hidden_questions(spec, {"who": "nobody", "views_recorded": "yes"}, None)
    assert hidden["recorded_where"] == Hidden.CONDITION
    assert "recorded_where" not in hidden_questions(spec, {"who": "parent", "views_recorded": "yes"}, None)


def test_yes_and_no_written_without_quotes_name_the_yes_no_answers():
    spec = parse_spec(
        AUDIT.replace("show_if: {question: who, is: [young_person]}", "show_if: {question: views, is: [yes]}").replace(
            "      - id: young_views\n",
            "      - id: views\n        type: yes_no\n        label: Views?\n      - id: young_views\n",
        ),
        "forms/sample.yaml",
    )
    assert spec.question("young_views").show_if.values == ("yes",)


@pytest.mark.parametrize(
    ("change", "code", "line", "message"),
    [
        (
            ("is: [young_person]}", "is: [adult]}"),
            Code.CONDITION_UNKNOWN_VALUE,
            16,
            "'adult' is not an answer to 'who': its answers are parent, young_person, nobody",
        ),
        (
            ("{question: who, is: [young_person]}", "{question: whom, is: [young_person]}"),
            Code.CONDITION_UNKNOWN_QUESTION,
            16,
            "no question before this has the id 'whom'; did you mean 'who'?",
        ),
        (
            ("{question: who, is: [young_person]}", "{question: grade, is: [good]}"),
            Code.CONDITION_LATER_QUESTION,
            16,
            "'grade' is asked after this: a condition can only name a question asked before it",
        ),
        (
            ("{question: who, is: [young_person]}", "{question: young_views, is: [good]}"),
            Code.CONDITION_LATER_QUESTION,
            16,
            "'young_views' is this question: a question cannot be shown on its own answer",
        ),
        (
            ("          question: who\n", "          question: young_views\n"),
            Code.CONDITION_NOT_CHOICE,
            21,
            "'young_views' is a long_text question: a condition names a question answered by choosing an option",
        ),
        (
            ("is: [young_person]}", "is: []}"),
            Code.CONDITION_BAD,
            16,
            "'is' is a list of the answers to 'who' that show this, e.g. is: [parent]",
        ),
        (
            ("{question: who, is: [young_person]}", "who"),
            Code.CONDITION_BAD,
            16,
            "'show_if' names an earlier question and the answers that show this",
        ),
        (
            (
                "          is: [parent, young_person]\n",
                "          is: [parent, young_person]\n          when: always\n",
            ),
            Code.CONDITION_BAD,
            23,
            "unknown field 'when'; allowed here: question, is",
        ),
        (
            ("    id: family_network\n", "    id: Family Network\n"),
            Code.SECTION_BAD_ID,
            24,
            "section id 'Family Network' must be lower case letters, digits and _",
        ),
        (
            ("    id: family_network\n", ""),
            Code.SECTION_BAD_ID,
            24,
            "a section the auditor may mark not applicable needs an id, e.g. id: family_network",
        ),
        (
            ("    may_not_apply: true\n", "    may_not_apply: sometimes\n"),
            Code.SPEC_BAD_VALUE,
            25,
            "'may_not_apply' must be true or false",
        ),
        (
            ("    show_if: {question: who, is: parent}\n", "    show_if: {question: parent_heard, is: met}\n"),
            Code.CONDITION_LATER_QUESTION,
            31,
            "'parent_heard' is asked after this",
        ),
        (
            ("  - title: Grade\n", "  - title: Grade\n    show_if: {question: who, is: parent}\n"),
            Code.CONDITION_ON_ALWAYS_ASKED,
            5,
            "'grade' is the overall grade, asked in every response: it cannot have show_if",
        ),
    ],
)
def test_every_mistake_in_a_condition_is_named_with_its_line(change, code, line, message):
    error = problems_of(AUDIT.replace(*change))
    assert error.has(code), str(error)
    found = [problem for problem in error.problems if problem.code == code]
    assert any(message in problem.message and problem.line == line for problem in found), str(error)


def test_a_condition_on_a_question_whose_options_come_from_the_organisation_is_refused():
    error = problems_of(
        AUDIT.replace('        options: ["Parent", "Young person", "Nobody"]\n', "        options_from: districts\n")
    )
    [problem, *_] = [problem for problem in error.problems if problem.code == Code.CONDITION_NOT_CHOICE]
    assert problem.line == 16
    assert "'who' takes its options from districts when the page is shown" in problem.message


def test_a_condition_on_a_choice_question_missing_its_options_adds_no_second_problem():
    # The question's own problem says what to fix; a condition naming it is not wrong as well.
    error = problems_of(AUDIT.replace('        options: ["Parent", "Young person", "Nobody"]\n', ""))
    assert not [problem for problem in error.problems if problem.code.startswith("CONDITION")], str(error)
    assert "a list of options" in str(error)


def test_two_sections_with_one_id_and_a_question_taking_the_tick_box_id_are_refused():
    twice = AUDIT.replace("    show_if: {question: who, is: parent}\n", "    id: family_network\n")
    assert "the section id 'family_network' is used twice" in str(problems_of(twice))
    taken = AUDIT.replace("      - id: network\n", "      - id: family_network_not_applicable\n")
    assert "the id 'family_network_not_applicable' is taken by this section's tick box" in str(problems_of(taken))


def test_only_audit_templates_have_sections_that_may_not_apply():
    family = AUDIT.replace("audience: auditor", "audience: family").replace("grade_question: grade\n", "")
    family = family.replace("type: standard", "type: yes_no")
    error = problems_of(family)
    assert "only audit templates (audience auditor) have sections the auditor may mark not applicable" in str(error)
