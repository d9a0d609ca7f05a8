"""Questions a response did not show: the workbook and the CSV file say why in the cell ("Not shown",
"Section not applicable", "Not asked at this stage") where a blank means not answered; the Summary
counts them apart; standards in a section the auditor marked not applicable are left out of the shares.

The answers are stored as the pages store them: none for a question that was not shown.
"""

import csv
import io

import pytest
from openpyxl.workbook.workbook import Workbook

from qaf.formspec import FormSpec, parse_spec
from qaf.reports.collect import collect_forms
from qaf.reports.csv_export import write_form_csv
from qaf.reports.periods import parse_period
from tests.reports.conftest import audit, respond, table_rows, workbook_for

FAMILY_YAML = """\
key: young-family
version: 1
title: Family feedback with questions for young people
audience: family
context: [team, stage]
respondent_question: who_is_answering
sections:
  - title: About you
    questions:
      - id: who_is_answering
        type: radios
        label: Who is answering?
        options: [{value: parent_carer, label: A parent or carer}, {value: young_person, label: A young person}]
  - title: The help
    questions:
      - id: help_helped
        type: radios
        label: Has the help made things better?
        options: ["Yes", "No"]
        positive: ["yes"]
      - id: school_better
        type: radios
        label: Is school going better?
        required: false
        options: ["Yes", "No"]
        show_if: {question: who_is_answering, is: [young_person]}
      - id: young_comments
        type: long_text
        label: Anything else you want to tell us?
        required: false
        show_if: {question: who_is_answering, is: [young_person]}
      - id: plan_together
        type: radios
        label: We made the plan together
        options: ["Yes", "No"]
        stages: [review, closure]
"""

AUDIT_YAML = """\
key: sections-audit
version: 1
title: An audit with optional sections
audience: auditor
grade_question: grade
sections:
  - title: About the case
    questions:
      - id: who
        type: radios
        label: Who gave their views?
        options: ["Parent", "Young person"]
  - title: Family network
    id: family_network
    may_not_apply: true
    questions:
      - id: network
        type: standard
        label: The family network was explored
  - title: Parent's views
    show_if: {question: who, is: [parent]}
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

NOT_APPLICABLE = {"family_network_not_applicable": ["not_applicable"]}


@pytest.fixture
def family() -> FormSpec:
    return parse_spec(FAMILY_YAML, "forms/feedback/young-family.yaml")


@pytest.fixture
def sections_audit() -> FormSpec:
    return parse_spec(AUDIT_YAML, "forms/audits/sections-audit.yaml")


@pytest.fixture
def family_responses(app, staff, family):
    """Four responses: two parents (one at assessment), two young people (one leaving school unanswered)."""
    parent = {"who_is_answering": "parent_carer", "help_helped": "yes"}
    young = {"who_is_answering": "young_person", "help_helped": "no"}
    return [
        respond(app, parent | {"plan_together": "yes"}, form=family, stage="closure"),
        respond(app, young | {"school_better": "yes", "young_comments": "=1+1", "plan_together": "no"}, form=family),
        respond(app, parent, form=family, stage="assessment"),
        respond(app, young | {"plan_together": "yes"}, form=family, stage="review"),
    ]


@pytest.fixture
def audits(app, staff, sections_audit):
    """Four audits: all standards answered; the family network marked not applicable; a young person's
    views (so no parent's views section); the network standard itself answered ‘Not applicable’."""
    parent = {"who": "parent", "grade": "good"}
    return [
        audit(app, staff, parent | {"network": "met", "parent_heard": "met"}, template=sections_audit),
        audit(app, staff, parent | NOT_APPLICABLE | {"parent_heard": "not_met"}, template=sections_audit),
        audit(app, staff, {"who": "young_person", "grade": "good", "network": "not_met"}, template=sections_audit),
        audit(app, staff, parent | {"network": "not_applicable", "parent_heard": "met"}, template=sections_audit),
    ]


def _rows(book: Workbook, sheet: str) -> dict[int, dict]:
    return {row["ID"]: row for row in table_rows(book[sheet])}


def _summary_lines(book: Workbook, form_key: str) -> dict[tuple[str, str], dict]:
    rows = table_rows(book["Summary"], f"T_Answers_{form_key.replace('-', '_')}")
    return {(row["Question"], row["Answer"]): row for row in rows}


def test_a_question_not_shown_says_why_in_its_cell_and_a_blank_is_not_answered(app, family_responses):
    parent, young, parent_at_assessment, young_no_school = family_responses
    book = workbook_for(app)
    rows = _rows(book, "young-family")
    school, comments, plan = (
        "Is school going better?",
        "Anything else you want to tell us?",
        "We made the plan together",
    )
    assert rows[parent][school] == "Not shown"
    assert rows[parent][comments] == "Not shown"
    assert rows[parent][plan] == "Yes"
    assert (rows[young][school], rows[young][comments]) == ("Yes", "=1+1")
    assert rows[parent_at_assessment][plan] == "Not asked at this stage"
    assert rows[parent_at_assessment][school] == "Not shown"
    # Shown and left unanswered: blank.
    assert rows[young_no_school][school] is None
    assert rows[young_no_school][comments] is None


def test_a_reason_is_written_as_grey_italic_text_like_the_sheets_notes(app, family_responses):
    sheet = workbook_for(app)["young-family"]
    headers = [cell.value for cell in sheet[2]]
    cell = sheet.cell(row=3, column=headers.index("Is school going better?") + 1)
    assert cell.value == "Not shown"
    assert cell.data_type == "s"
    assert cell.font.i
    assert cell.font.color.rgb.endswith("505A5F")
    formula = sheet.cell(row=4, column=headers.index("Anything else you want to tell us?") + 1)
    assert (formula.value, formula.data_type) == ("=1+1", "s")


def test_the_csv_file_says_why_too_and_leaves_not_answered_blank(app, family_responses):
    parent, young, parent_at_assessment, young_no_school = family_responses
    with app.app_context():
        (form,) = [form for form in collect_forms(parse_period("2026-27 Q3")) if form.key == "young-family"]
        stream = io.StringIO()
        assert write_form_csv(form, stream) == 4
    rows = {int(row["ID"]): row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert rows[parent]["Is school going better?"] == "Not shown"
    assert rows[parent_at_assessment]["We made the plan together"] == "Not asked at this stage"
    assert rows[young_no_school]["Is school going better?"] == ""
    assert rows[young]["Anything else you want to tell us?"] == "'=1+1"


def test_the_summary_counts_not_shown_apart_from_not_answered(app, family_responses):
    book = workbook_for(app)
    lines = _summary_lines(book, "young-family")
    school = "Is school going better?"
    assert lines[(school, "Answered")]["This period"] == 1
    assert lines[(school, "Not answered")]["This period"] == 1
    assert lines[(school, "Not shown")]["This period"] == 2
    # The share is of those shown the question who answered it.
    assert lines[(school, "Yes")]["Share"] == 1
    plan = "We made the plan together"
    assert lines[(plan, "Answered")]["This period"] == 3
    assert lines[(plan, "Not asked at this stage")]["This period"] == 1
    assert lines[(plan, "Not answered")]["This period"] == 0
    assert lines[(plan, "Yes")]["Share"] == pytest.approx(2 / 3)
    # A question every response showed has no such lines.
    assert ("Has the help made things better?", "Not answered") not in lines
    assert ("Has the help made things better?", "Answered") in lines
    notes = [cell.value for row in book["Summary"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "Shares are of the answers given: of those who were shown the question and answered it." in notes
    about = [cell.value for row in book["About"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(note.startswith("A question can be asked only after certain answers") for note in about)


def test_a_section_marked_not_applicable_says_so_in_each_of_its_cells(app, audits):
    full, network_not_applicable, young_person, standard_not_applicable = audits
    rows = _rows(workbook_for(app), "sections-audit")
    network, evidence = "The family network was explored", "Evidence: The family network was explored"
    parent_heard = "The parent's views shaped the plan"
    assert rows[network_not_applicable][network] == "Section not applicable"
    assert rows[network_not_applicable][evidence] == "Section not applicable"
    assert rows[network_not_applicable]["Does this section apply?"] == "This section does not apply"
    assert rows[young_person][parent_heard] == "Not shown"
    assert rows[young_person][network] == "Not met"
    # The standard's own answer, and evidence not given, are as they were.
    assert rows[standard_not_applicable][network] == "Not applicable"
    assert rows[full][evidence] is None


def test_the_tick_box_marking_a_section_is_always_shown(app, audits):
    # Standards are counted on the Standards sheet; the Summary counts the tick box, which is always
    # shown: an unticked box is no answer, never a reason.
    lines = _summary_lines(workbook_for(app), "sections-audit")
    assert lines[("Does this section apply?", "Answered")]["This period"] == 1
    assert ("Does this section apply?", "Not answered") not in lines


def test_standards_leave_out_sections_marked_not_applicable_and_count_them(app, audits):
    book = workbook_for(app)
    standards = {row["Standard"]: row for row in table_rows(book["Standards"])}
    network = standards["The family network was explored"]
    assert (network["Met"], network["Not met"], network["Not applicable"]) == (1, 1, 1)
    assert network["Section not applicable"] == 1
    assert network["Audits answering"] == 3
    assert network["Met (share)"] == 0.5
    parent_heard = standards["The parent's views shaped the plan"]
    assert (parent_heard["Met"], parent_heard["Not met"], parent_heard["Section not applicable"]) == (2, 1, 0)
    assert parent_heard["Not shown"] == 1
    assert parent_heard["Met (share)"] == pytest.approx(2 / 3)
    intro = book["Standards"]["E1"].value
    assert "Standards in a section the auditor marked not applicable are left out of the shares" in intro
    about = [cell.value for row in book["About"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(text.startswith("Standards in a section the auditor marked not applicable") for text in about)


def test_templates_without_optional_sections_keep_their_standards_columns(app, staff):
    # The safeguarding checklist has no section the auditor may mark not applicable.
    audit(app, staff, {"designated_practitioner": "met"}, template="safeguarding-checklist")
    headers = list(table_rows(workbook_for(app)["Standards"])[0])
    assert "Section not applicable" not in headers
    assert "Not shown" not in headers
