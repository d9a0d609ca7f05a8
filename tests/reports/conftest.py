"""Report tests: responses, audits and actions put in the database, workbooks read back with openpyxl.

The versioned fixtures (``survey_v1``, ``survey_v2``) are one small family form as it was
edited; each docstring says what changed, so a test can check columns merge across versions.
"""

import io
from datetime import date, datetime
from typing import Any

import openpyxl
import pytest
from flask import Flask
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import FormSpec, parse_spec
from qaf.models import Allocation, Audit, AuditAction, PeerReview, Team, User
from qaf.reports.collect import collect_report
from qaf.reports.periods import parse_period
from qaf.reports.workbook import build_workbook
from qaf.responses import ensure_form_version, store_response

# A day after 2026-27 Q3 ends, so nothing in the tests depends on the real date.
TODAY = date(2027, 1, 5)
IN_Q3 = datetime(2026, 11, 10, 10, 30)
IN_Q2 = datetime(2026, 8, 10, 10, 30)

SURVEY_V1_YAML = """\
key: survey
version: 1
title: Tell us about the help
audience: family
respondent_question: who
sections:
  - title: About you
    questions:
      - id: who
        type: radios
        label: Who is answering?
        thing: who is answering
        options: [{value: parent, label: A parent}, {value: child, label: A child}]
  - title: The help
    questions:
      - id: help_helped
        type: radios
        label: Did the help help?
        thing: whether the help helped
        options: [{value: "yes", label: "Yes"}, {value: "no", label: "No"}]
        positive: ["yes"]
        headline: families_helped
      - id: rating
        type: scale
        label: Rate the help
        low_label: bad
        high_label: good
        thing: your rating
      - {id: comments, type: long_text, label: "Anything else?", required: false, thing: anything else}
"""

SURVEY_V2_YAML = """\
key: survey
version: 2
title: Tell us about the help you had
audience: family
respondent_question: who
sections:
  - title: About you
    questions:
      - id: listened_to
        type: agreement
        label: We were listened to
        thing: how much you agree
      - id: who
        type: radios
        label: Who is answering?
        thing: who is answering
        options: [{value: parent, label: A parent or carer}, {value: child, label: A child}]
  - title: The help
    questions:
      - id: help_helped
        type: radios
        label: Has the help made things better?
        thing: whether the help helped
        options:
          - {value: "yes", label: "Yes"}
          - {value: partly, label: "Partly"}
          - {value: "no", label: "No"}
        positive: ["yes", partly]
        headline: families_helped
      - {id: comments, type: long_text, label: "Anything else?", required: false, thing: anything else}
"""


def survey_v1() -> FormSpec:
    """Version 1: who is answering, did the help help (yes or no), a 0 to 10 rating, comments."""
    return parse_spec(SURVEY_V1_YAML, "tests/reports/survey-v1.yaml")


def survey_v2() -> FormSpec:
    """Version 2: adds "We were listened to" first; rewords "Did the help help?" and adds a positive
    "Partly"; renames the option "A parent" to "A parent or carer"; drops the rating."""
    return parse_spec(SURVEY_V2_YAML, "tests/reports/survey-v2.yaml")


FAMILY_ANSWERS = {
    "who_is_answering": "parent_carer",
    "help_helped": "yes_a_lot",
    "what_helped": "Bedtime routine",
    "listened_to": "agree",
    "involved_in_plan": "agree",
    "treated_with_respect": "strongly_agree",
    "help_at_right_time": "neither",
    "things_at_start": 3,
    "things_now": 7,
}


def team_id(app: Flask, slug: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Team.id).where(Team.slug == slug))
        assert found is not None
        return int(found)


def respond(
    app: Flask,
    answers: dict[str, Any],
    *,
    at: datetime = IN_Q3,
    team: str | None = "ashford-ehu",
    form: str | FormSpec = "family",
    stage: str | None = "closure",
) -> int:
    """Store a response as the public form would, at ``at`` (naive UTC)."""
    with app.app_context():
        spec = all_forms()[form] if isinstance(form, str) else form
        ids = None if team is None else db.session.scalar(select(Team.id).where(Team.slug == team))
        return store_response(spec, answers, team_id=ids, stage=stage, submitted_at=at)


def audit(
    app: Flask,
    staff: dict[str, Any],
    answers: dict[str, Any],
    *,
    template: str | FormSpec = "ehat-quality-audit",
    at: datetime = IN_Q3,
    team: str = "ashford-ehu",
    moderated_grade: str | None = None,
) -> int:
    """A submitted audit of the practitioner by the auditor, straight into the database."""
    with app.app_context():
        spec = all_forms()[template] if isinstance(template, str) else template
        version_id = ensure_form_version(spec)
        record = Audit(
            form_key=spec.key,
            form_version_id=version_id,
            case_reference="EH-1",
            team_id=db.session.scalar(select(Team.id).where(Team.slug == team)),
            practitioner_id=staff["practitioner"]["id"],
            auditor_id=staff["auditor"]["id"],
            status="submitted",
            answers=answers,
            grade=answers.get(spec.grade_question) if spec.grade_question else None,
            scaling=int(answers[spec.scaling_question]) if spec.scaling_question in answers else None,
            submitted_at=at,
            moderated_grade=moderated_grade,
            moderated_at=at if moderated_grade else None,
        )
        db.session.add(record)
        db.session.commit()
        return int(record.id)


def peer_review(
    app: Flask,
    staff: dict[str, Any],
    first_id: int,
    second_grade: str,
    *,
    at: datetime = IN_Q3,
    submitted: bool = True,
    reviewer: str = "other_auditor",
) -> int:
    """A blind second audit of the first audit's case by the auditor from another team (or ``reviewer``),
    with its grade, joined to the first as a random peer review draws it."""
    with app.app_context():
        first = db.session.get(Audit, first_id)
        assert first is not None
        second = Audit(
            form_key=first.form_key,
            form_version_id=first.form_version_id,
            case_reference=first.case_reference,
            team_id=first.team_id,
            practitioner_id=first.practitioner_id,
            auditor_id=staff[reviewer]["id"],
            status="submitted" if submitted else "draft",
            answers=dict(first.answers) | {"judgement": second_grade},
            grade=second_grade,
            submitted_at=at if submitted else None,
        )
        db.session.add(second)
        db.session.flush()
        allocation = Allocation(
            kind="peer_review",
            case_reference=first.case_reference,
            team_id=first.team_id,
            practitioner_id=first.practitioner_id,
            auditor_id=staff[reviewer]["id"],
            form_key=first.form_key,
            due_date=at.date(),
            audit_id=second.id,
        )
        db.session.add(allocation)
        db.session.flush()
        db.session.add(PeerReview(first_audit_id=first.id, allocation_id=allocation.id, seed=1, share=100))
        db.session.commit()
        return int(second.id)


def action(
    app: Flask,
    staff: dict[str, Any],
    audit_id: int,
    *,
    raised: datetime,
    due: date,
    completed: datetime | None = None,
    description: str = "Update the chronology",
) -> int:
    with app.app_context():
        owner = db.session.get(User, staff["practitioner"]["id"])
        assert owner is not None
        record = AuditAction(
            audit_id=audit_id,
            action=description,
            owner_id=owner.id,
            due_date=due,
            created_by_id=staff["auditor"]["id"],
            created_at=raised,
            status="done" if completed else "open",
            completed_at=completed,
        )
        db.session.add(record)
        db.session.commit()
        return int(record.id)


def workbook_for(app: Flask, period_name: str = "2026-27 Q3", today: date = TODAY, **options: Any) -> Workbook:
    """Build the period's workbook as the download would, and read it back."""
    with app.app_context():
        period = parse_period(period_name)
        data = collect_report(period, made_by="Test Runner", today=today)
        content = build_workbook(period, data, **options)
    assert content is not None
    return openpyxl.load_workbook(io.BytesIO(content))


def table_rows(sheet: Worksheet, name: str | None = None) -> list[dict[str, Any]]:
    """The rows of an Excel table on the sheet (the only one, or the one named), keyed by header."""
    tables = sheet.tables
    table = tables[name] if name else next(iter(tables.values()))
    cells = sheet[table.ref]
    headers = [cell.value for cell in cells[0]]
    return [dict(zip(headers, [cell.value for cell in row], strict=True)) for row in cells[1:]]


def headline(book: Workbook) -> dict[str, dict[str, Any]]:
    return {row["Measure"]: row for row in table_rows(book["Summary"], "T_Headline")}


@pytest.fixture
def survey_versions(app: Flask) -> tuple[FormSpec, FormSpec]:
    return survey_v1(), survey_v2()
