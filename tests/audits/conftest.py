"""Audit tests run on the shipped forms plus a small template whose every rule is known."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import empty_database, make_app

PROJECT_FORMS = Path(__file__).parents[2] / "forms"

SAMPLE_AUDIT = """\
key: sample-audit
version: 1
title: Sample case audit
audience: auditor
grade_question: judgement
scaling_question: impact
alerts:
  - {question: judgement, answers: [inadequate], reason: The overall judgement is Inadequate}
  - {question: safeguarding, answers: ["yes"], reason: There are unresolved safeguarding issues}
sections:
  - title: Standards
    questions:
      - {id: a1, type: standard, label: The assessment is up to date, thing: whether the assessment is up to date}
  - title: Judgement
    questions:
      - {id: impact, type: scale, label: Impact of the work, low_label: none, high_label: a lot, thing: the impact}
      - id: judgement
        type: radios
        label: Overall judgement
        thing: the overall judgement
        options: [Outstanding, Good, Requires improvement, Inadequate]
        positive: [outstanding, good]
      - {id: safeguarding, type: yes_no, label: "Are there unresolved safeguarding issues?", thing: whether there are
          unresolved safeguarding issues}
"""

COMPLETE = {
    "a1": "partly_met",
    "a1_evidence": "Assessment refreshed in March",
    "impact": "6",
    "judgement": "good",
    "safeguarding": "no",
}


@pytest.fixture
def app(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(PROJECT_FORMS, forms)
    (forms / "sample-audit.yaml").write_text(SAMPLE_AUDIT)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield app
    empty_database(app)
