"""A family form edited three times, answered on every version through the public form: the
quarter's workbook shows the old answers beside the new ones, and each version's own count."""

from flask import Flask
from sqlalchemy import update

from qaf.extensions import db
from qaf.formspec import FormSpec, parse_spec
from qaf.models import Response
from tests.conftest import ClientRequest
from tests.reports.conftest import IN_Q3, table_rows, workbook_for

VERSION_1 = """\
key: help-edits
version: 1
title: Tell us about the help
audience: family
context: [team]
sections:
  - title: About you
    questions:
      - id: who
        type: radios
        label: Who is answering?
        thing: who is answering
        options: [{value: parent, label: A parent or carer}, {value: child, label: A child}]
  - title: The help
    questions:
      - id: help_helped
        type: radios
        label: Did the help help?
        thing: whether the help helped
        options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]
      - id: rating
        type: scale
        label: Rate the help
        low_label: bad
        high_label: good
        thing: your rating
"""
# The three edits, as a QA officer makes them: a question reworded; a question added; a question
# removed and an option added.
EDITS = [
    [("label: Did the help help?", "label: Has the help made things better?")],
    [
        (
            "  - title: The help\n    questions:\n",
            "  - title: The help\n    questions:\n      - id: listened_to\n        type: agreement\n"
            "        label: We were listened to\n        thing: how much you agree\n",
        )
    ],
    [
        (
            "      - id: rating\n        type: scale\n        label: Rate the help\n        low_label: bad\n"
            "        high_label: good\n        thing: your rating\n",
            "",
        ),
        ('{value: "no", label: "No"}]', '{value: partly, label: "Partly"}, {value: "no", label: "No"}]'),
    ],
]


def versions_of_the_edits() -> list[FormSpec]:
    """Version 1 and the version each edit made (2, 3 and 4)."""
    texts = [VERSION_1]
    for edit in EDITS:
        text = texts[-1].replace(f"version: {len(texts)}", f"version: {len(texts) + 1}")
        for before, after in edit:
            assert before in text
            text = text.replace(before, after)
        texts.append(text)
    return [parse_spec(text, f"help-edits-v{number}.yaml") for number, text in enumerate(texts, start=1)]


def answer(client_request: ClientRequest, app: Flask, spec: FormSpec, answers: dict[str, str]) -> None:
    """Publish ``spec`` (the next page load is answered against it) and answer it as a family would."""
    app.extensions["qaf_forms"][spec.key] = spec
    page = client_request.get(f"/feedback/{spec.key}")
    assert page.h1.get_text(strip=True) == spec.title
    client_request.post(f"/feedback/{spec.key}", {"team": "ashford-ehu", **answers})


def test_a_form_edited_three_times_exports_every_versions_answers_side_by_side(app, client_request, teams):
    first, reworded, added, removed = versions_of_the_edits()
    answer(client_request, app, first, {"who": "parent", "help_helped": "yes", "rating": "7"})
    answer(client_request, app, first, {"who": "child", "help_helped": "no", "rating": "3"})
    answer(client_request, app, reworded, {"who": "parent", "help_helped": "no", "rating": "5"})
    answer(client_request, app, added, {"who": "child", "listened_to": "agree", "help_helped": "yes", "rating": "9"})
    answer(client_request, app, removed, {"who": "parent", "listened_to": "disagree", "help_helped": "partly"})
    answer(client_request, app, removed, {"who": "child", "listened_to": "agree", "help_helped": "yes"})
    with app.app_context():
        # Into the quarter the workbook covers, so nothing depends on today's date.
        db.session.execute(update(Response).values(submitted_at=IN_Q3))
        db.session.commit()

    book = workbook_for(app)
    sheet = book["help-edits"]
    headers = [cell.value for cell in sheet[2]]
    first_question = headers.index("Version") + 1
    assert headers[first_question:] == [
        "Who is answering?",
        "We were listened to",
        "Has the help made things better?",
        "Rate the help",
    ]
    assert [cell.value for cell in sheet[1]][first_question:] == [
        None,
        "Only in versions 3, 4",
        None,
        "Only in versions 1, 2, 3",
    ]
    rows = sorted(table_rows(sheet), key=lambda row: row["ID"])
    assert [
        (
            row["Version"],
            row["Who is answering?"],
            row["We were listened to"],
            row["Has the help made things better?"],
            row["Rate the help"],
        )
        for row in rows
    ] == [
        ("1", "A parent or carer", None, "Yes", 7),
        ("1", "A child", None, "No", 3),
        ("2", "A parent or carer", None, "No", 5),
        ("3", "A child", "Agree", "Yes", 9),
        ("4", "A parent or carer", "Disagree", "Partly", None),
        ("4", "A child", "Agree", "Yes", None),
    ]

    about = {row["Version"]: row for row in table_rows(book["About"], "T_Versions") if row["Form"] == "help-edits"}
    assert {version: row["Responses or audits"] for version, row in about.items()} == {"1": 2, "2": 1, "3": 1, "4": 2}
    assert {row["Title"] for row in about.values()} == {"Tell us about the help"}
