"""The differences between two versions of a form, in sentences."""

from dataclasses import replace

import pytest

from qaf.formspec import parse_spec
from qaf.formspec.diff import describe_changes
from qaf.formspec.spec import Condition
from tests.formspec.test_conditions import AUDIT

BASE = """\
key: sample
version: 1
title: Tell us about our help
audience: family
intro: It takes about 5 minutes.
sections:
  - title: About you
    questions:
      - id: who_answers
        type: radios
        label: Who is answering?
        options:
          - {value: parent_carer, label: Parent or carer}
          - {value: young_person, label: Young person}
      - id: helped
        type: radios
        label: Has the help helped?
        options: ["Yes", "No"]
        positive: ["yes"]
  - title: Anything else
    questions:
      - id: comments
        type: long_text
        label: Anything else?
        required: false
"""


def changes(*edits: tuple[str, str]) -> list[str]:
    new = BASE
    for before, after in edits:
        assert before in new, before
        new = new.replace(before, after)
    return describe_changes(parse_spec(BASE, "old.yaml"), parse_spec(new, "new.yaml"))


def test_the_same_form_has_no_changes_even_in_another_version():
    assert changes(("version: 1", "version: 2")) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("title: Tell us about our help", "title: Your early help"),
            "Title changed from 'Tell us about our help' to 'Your early help'",
        ),
        (
            ("intro: It takes about 5 minutes.", "intro: It takes about 4 minutes."),
            "Introduction changed from 'It takes about 5 minutes.' to 'It takes about 4 minutes.'",
        ),
        (
            ("audience: family", "audience: family\nretention_months: 36"),
            "Months responses are kept changed from 24 to 36",
        ),
        (
            ("label: Has the help helped?", "label: Has our help made things better?"),
            "Question 'helped': label changed from 'Has the help helped?' to 'Has our help made things better?'",
        ),
        (
            ("label: Has the help helped?", "label: Has the help helped?\n        hint: Think of the last month"),
            "Question 'helped': hint added: 'Think of the last month'",
        ),
        (("required: false", "required: true"), "Question 'comments': now required"),
        (
            ("label: Anything else?", "label: Anything else?\n        max_length: 500"),
            "Question 'comments': most characters allowed changed from 1200 to 500",
        ),
        (
            ('options: ["Yes", "No"]', 'options: ["Yes", "No", "Not sure"]'),
            "Question 'helped': option 'Not sure' added",
        ),
        (('options: ["Yes", "No"]', 'options: ["Yes"]'), "Question 'helped': option 'No' removed"),
        (
            ('options: ["Yes", "No"]', 'options: ["Yes", {value: "no", label: "Not really"}]'),
            "Question 'helped': option 'No' relabelled 'Not really'",
        ),
        (
            ('options: ["Yes", "No"]', 'options: ["No", "Yes"]'),
            "Question 'helped': options reordered: now 'No', 'Yes'",
        ),
        (
            ('positive: ["yes"]', 'positive: ["yes", "no"]'),
            "Question 'helped': positive answers changed from 'yes' to 'yes', 'no'",
        ),
        (
            ("type: radios\n        label: Has the help helped?", "type: select\n        label: Has the help helped?"),
            "Question 'helped': type changed from 'radios' to 'select'",
        ),
        (("  - title: Anything else", "  - title: Your comments"), "Section 'Anything else' renamed 'Your comments'"),
        (
            ("  - title: Anything else\n", "  - title: Anything else\n    intro: Optional.\n"),
            "Section 'Anything else': introduction added: 'Optional.'",
        ),
    ],
)
def test_each_change_is_one_sentence(edit, expected):
    assert changes(edit) == [expected]


def test_a_question_added_removed_and_moved():
    described = changes(
        (
            "      - id: comments",
            "      - id: best_thing\n        type: text\n        label: What was the best thing?\n      - id: comments",
        ),
        (
            "      - id: helped\n        type: radios\n        label: Has the help helped?\n"
            '        options: ["Yes", "No"]\n        positive: ["yes"]\n',
            "",
        ),
        (
            "        required: false\n",
            "        required: false\n      - id: helped\n        type: radios\n"
            '        label: Has the help helped?\n        options: ["Yes", "No"]\n        positive: ["yes"]\n',
        ),
    )
    assert described == [
        "Question 'What was the best thing?' (best_thing) added to section 'Anything else'",
        "Question 'helped' moved to section 'Anything else'",
    ]
    removed = changes(
        (
            "      - id: comments\n        type: long_text\n        label: Anything else?\n",
            "      - id: gone\n        type: long_text\n        label: Gone?\n",
        )
    )
    assert removed == [
        "Question 'Gone?' (gone) added to section 'Anything else'",
        "Question 'Anything else?' (comments) removed from section 'Anything else'",
    ]


def test_questions_and_sections_put_in_another_order_say_where_they_went():
    first, second = BASE.split("  - title: Anything else\n")
    head, about = first.split("  - title: About you\n")
    swapped = head + "  - title: Anything else\n" + second + "  - title: About you\n" + about
    assert describe_changes(parse_spec(BASE, "old.yaml"), parse_spec(swapped, "new.yaml")) == [
        "Section 'About you' moved to after section 'Anything else'"
    ]
    who, helped = about.split("      - id: helped\n")
    reordered = head + "  - title: About you\n" + "      - id: helped\n" + helped + who.split("    questions:\n")[1]
    reordered = reordered.replace(
        "  - title: About you\n      - id", "  - title: About you\n    questions:\n      - id"
    )
    reordered += "  - title: Anything else\n" + second
    assert describe_changes(parse_spec(BASE, "old.yaml"), parse_spec(reordered, "new.yaml")) == [
        "Question 'who_answers' moved to after question 'helped'"
    ]


def test_a_section_added_and_removed():
    described = changes(
        (
            "  - title: Anything else\n    questions:\n      - id: comments",
            "  - title: Last words\n    questions:\n      - id: last",
        ),
    )
    assert described == [
        "Section 'Last words' added",
        "Section 'Anything else' removed",
        "Question 'Anything else?' (last) added to section 'Last words'",
        "Question 'Anything else?' (comments) removed from section 'Anything else'",
    ]


def test_conditions_say_which_answer_shows_the_question():
    old = parse_spec(BASE, "old.yaml")
    helped = old.question("helped")
    shown_to_parents = replace(helped, show_if=Condition("who_answers", ("parent_carer",)))

    def with_helped(question):
        about = replace(old.sections[0], questions=(old.sections[0].questions[0], question))
        return replace(old, sections=(about, old.sections[1]))

    assert describe_changes(old, with_helped(shown_to_parents)) == [
        "Question 'helped': now shown only if the answer to 'Who is answering?' is 'Parent or carer'"
    ]
    both = replace(helped, show_if=Condition("who_answers", ("parent_carer", "young_person")))
    assert describe_changes(with_helped(shown_to_parents), with_helped(both)) == [
        "Question 'helped': now shown only if the answer to 'Who is answering?' is 'Parent or carer' or"
        " 'Young person' (was only if the answer to 'Who is answering?' is 'Parent or carer')"
    ]
    assert describe_changes(with_helped(both), old) == ["Question 'helped': now shown whatever the earlier answers"]


def test_stages_and_yes_no_fields_read_as_sentences():
    described = changes(
        ("label: Anything else?", "label: Anything else?\n        stages: [review, closure]"),
    )
    assert described == ["Question 'comments': now asked at Review and Closure (was every stage)"]
    old = parse_spec(BASE, "old.yaml")
    section = replace(old.sections[1], id="anything_else", may_not_apply=True)
    assert describe_changes(old, replace(old, sections=(old.sections[0], section))) == [
        "Section 'Anything else': short name added: 'anything_else'",
        "Section 'Anything else': may now be marked not applicable",
    ]


def test_a_field_new_to_questions_is_described_by_its_name():
    """Generic over the dataclass fields: a field without a readable name is named by its own."""
    old = parse_spec(BASE, "old.yaml")
    comments = replace(old.question("comments"), pattern="^[a-z]+$")
    section = replace(old.sections[1], questions=(comments,))
    assert describe_changes(old, replace(old, sections=(old.sections[0], section))) == [
        "Question 'comments': pattern added: '^[a-z]+$'"
    ]


def test_audit_standards_and_alerts():
    template = """\
key: audit
version: 1
title: Case audit
audience: auditor
grade_question: grade
sections:
  - title: Assessment
    questions:
      - id: voice
        type: standard
        label: The child's voice is heard
      - id: grade
        type: radios
        label: Overall grade
        options: [Outstanding, Good, Requires improvement, Inadequate]
"""
    old = parse_spec(template, "old.yaml")
    new_text = (
        template.replace(
            "      - id: grade\n",
            "      - id: plan\n        type: standard\n        label: The plan is SMART\n      - id: grade\n",
        )
        + "alerts:\n  - {question: grade, answers: [inadequate], reason: An inadequate case needs a plan}\n"
    )
    assert describe_changes(old, parse_spec(new_text, "new.yaml")) == [
        "Standard 'The plan is SMART' (plan) added to section 'Assessment'",
        "Alert on 'grade' answered 'inadequate' added",
    ]


def test_a_section_made_optional_is_one_sentence_not_a_new_question():
    optional = parse_spec(AUDIT, "forms/sample.yaml")
    required = parse_spec(AUDIT.replace("    may_not_apply: true\n", ""), "forms/sample.yaml")
    assert describe_changes(required, optional) == ["Section 'Family network': may now be marked not applicable"]
    assert describe_changes(optional, required) == ["Section 'Family network': may no longer be marked not applicable"]
