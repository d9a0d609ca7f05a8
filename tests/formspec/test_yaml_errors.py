"""A definition YAML cannot read, or reads as something else: the message says which line and how to fix it."""

import pytest

from qaf.formspec import Code, SpecError, parse_spec
from qaf.formspec.errors import Problem

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
# How PyYAML words its errors: none of it reaches a QA officer.
PARSER_WORDING = (
    "mapping values are not allowed",
    "could not find expected",
    "while scanning",
    "while parsing",
    "<block end>",
    "cannot start any token",
    "found unexpected end of stream",
    "constructor",
)


def only_problem(before: str, after: str) -> Problem:
    assert before in GOOD
    with pytest.raises(SpecError) as caught:
        parse_spec(GOOD.replace(before, after), "forms/sample.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, problems
    for wording in PARSER_WORDING:
        assert wording not in str(problems[0])
    return problems[0]


@pytest.mark.parametrize(
    ("before", "after", "line", "message"),
    [
        (
            "label: Anything else?",
            "label: Reason: other",
            15,
            "line 15 has a colon followed by a space inside text that is not in quotes: put the text in quotes:"
            ' label: "Reason: other"',
        ),
        (
            "label: Has the help helped?",
            "label: Has the help helped?\n        hint: Say why: all of it  # the seed's wording",
            11,
            'put the text in quotes: hint: "Say why: all of it"  # the seed\'s wording',
        ),
        (
            "        required: false",
            "         required: false",
            16,
            "line 16 is indented by 9 spaces, but the lines above it use 8: line it up with them (8 spaces)",
        ),
        (
            "        required: false",
            "       required: false",
            16,
            "line 16 is indented by 7 spaces, but the lines above it use 8",
        ),
        (
            "        required: false",
            "      required: false",
            16,
            "line 16 is indented by 6 spaces, but the lines above it use 8",
        ),
        (
            "        required: false",
            "\trequired: false",
            16,
            "line 16 is indented with a tab: indent with spaces only",
        ),
        (
            "label: Anything else?",
            'label: "Anything else?',
            15,
            'the quote " opened on line 15 is never closed: add a closing " at the end of the text',
        ),
        (
            "label: Has the help helped?",
            "label: 'Has the help helped?",
            10,
            "the quote ' opened on line 10 is never closed: add a closing ' at the end of the text",
        ),
        (
            "label: Has the help helped?",
            'label: "Has the help helped?',
            10,
            'the quote " opened on line 10 is never closed',
        ),
        (
            "label: Anything else?",
            'label: "Yes" she said',
            15,
            "line 15 has more text after a closing quote: put all the text inside the quotes:"
            " label: '\"Yes\" she said'",
        ),
        (
            "label: Anything else?",
            'label: "C:\\path"',
            15,
            'line 15 has a \\ inside "double quotes"'
            ", which starts a special character: use single quotes instead: label: 'C:\\path'",
        ),
        (
            'options: ["Yes", "No"]',
            'options: ["Yes", "No"',
            11,
            "the [ opened on line 11 is never closed: end it with ] on the same line",
        ),
        (
            'options: ["Yes", "No"]',
            'options: ["Yes", "No"]\n        stages: {review: x',
            12,
            "the { opened on line 12 is never closed: end it with } on the same line",
        ),
        (
            "label: Anything else?",
            "label: Anything else?\n        label: Anything more?",
            16,
            "'label' appears twice in the same place, on line 15 and line 16: keep one of them",
        ),
        ("version: 1", "version: 1\n- 2", 3, "line 3 starts a list item (-) among lines that are not a list"),
        ("version: 1", "version: 1\n---\nnotes: x", 3, "line 3 starts a second document (---)"),
        (
            "label: Anything else?",
            "label: Anything else?\n        hint: Tell us\n        more\n        required: false",
            17,
            "line 17 has text with no name and colon before it: if it goes on from the line above, put all that"
            " text in quotes on one line; otherwise start the line with its name, e.g. hint: ...",
        ),
        (
            "label: Anything else?",
            "label: Anything else?\n        ]",
            16,
            "line 16 could not be read: check its indentation and put text containing : # or quotes inside quotes",
        ),
    ],
)
def test_a_file_yaml_cannot_read_gets_the_line_and_the_fix(before, after, line, message):
    problem = only_problem(before, after)
    assert problem.code == Code.SPEC_YAML
    assert problem.line == line
    assert message in problem.message
    assert str(problem).startswith(f"forms/sample.yaml:{line} this is not valid YAML: ")


@pytest.mark.parametrize(
    "text", ["*Anything* else?", "& more", "!Anything", "!x!y z", "%Anything", "@home", "`x`", "| x", "> x"]
)
def test_text_starting_with_a_character_yaml_gives_a_meaning_to_is_to_be_quoted(text):
    problem = only_problem("label: Anything else?", f"label: {text}")
    assert problem.line == 15
    assert problem.message == (
        f"this is not valid YAML: line 15 starts text with {text[0]} which YAML gives a meaning to:"
        f' put the text in quotes: label: "{text}"'
    )


@pytest.mark.parametrize(
    ("before", "after", "line", "message"),
    [
        (
            "label: Anything else?",
            "label: No",
            15,
            'line 15: this reads as yes/no, not text: put it in quotes, e.g. label: "No"',
        ),
        (
            "label: Anything else?",
            "label: Anything else?\n        hint: off  # as in the seed",
            16,
            'line 16: this reads as yes/no, not text: put it in quotes, e.g. hint: "off"',
        ),
        (
            "title: A sample form",
            "title: 2026",
            3,
            'line 3: this reads as a number, not text: put it in quotes, e.g. title: "2026"',
        ),
        (
            "  - title: First",
            "  - title: 2026-04-01",
            6,
            'line 6: this reads as a date, not text: put it in quotes, e.g. title: "2026-04-01"',
        ),
        (
            'options: ["Yes", "No"]',
            'options: ["Yes", No]',
            11,
            'line 11: this reads as yes/no, not text: put it in quotes, e.g. "No"',
        ),
        (
            'options: ["Yes", "No"]',
            'options:\n          - "Yes"\n          - NO',
            13,
            'line 13: this reads as yes/no, not text: put it in quotes, e.g. - "NO"',
        ),
        (
            'options: ["Yes", "No"]',
            'options:\n          - {value: "yes", label: "Yes"}\n          - {value: "no", label: On}',
            13,
            'line 13: this reads as yes/no, not text: put it in quotes, e.g. label: "On"',
        ),
        (
            'options: ["Yes", "No"]',
            'options:\n          - value: "yes"\n            label: "Yes"\n'
            '          - value: no\n            label: "No"',
            14,
            'line 14: this reads as yes/no, not text: put it in quotes, e.g. value: "no"',
        ),
        (
            'positive: ["yes"]',
            "positive: [yes]",
            12,
            'line 12: this reads as yes/no, not text: put it in quotes, e.g. "yes"',
        ),
    ],
)
def test_words_yaml_reads_as_yes_no_or_a_number_are_to_be_quoted(before, after, line, message):
    problem = only_problem(before, after)
    assert problem.code == Code.SPEC_NOT_TEXT
    assert problem.line == line
    assert problem.message == message


def test_an_option_with_a_colon_reads_as_a_key_and_is_to_be_quoted():
    problem = only_problem('options: ["Yes", "No"]', 'options:\n          - "Yes"\n          - No: not at all')
    assert problem.line == 13
    assert problem.message == (
        'this reads as a name and a value because of its colon: put it in quotes, e.g. - "No: not at all"'
    )


def test_quoted_yes_and_no_and_required_no_are_fine():
    spec = parse_spec(GOOD.replace("required: false", "required: no"), "forms/sample.yaml")
    assert [option.label for option in spec.question("helped").options] == ["Yes", "No"]
    assert spec.question("comments").required is False
