"""The collated workbook, read back with openpyxl: sheets, totals, comparisons, limits, versions."""

import io
from datetime import date, datetime, timedelta
from zipfile import ZipFile

import openpyxl
import pytest
from sqlalchemy import insert

from qaf.extensions import db
from qaf.models import FormVersion, Response
from qaf.reports.collect import collect_report
from qaf.reports.excel import CUT_MARK, EXCEL_MAX_CHARS
from qaf.reports.periods import parse_period
from qaf.reports.report import SUPPRESSED
from qaf.reports.workbook import build_workbook
from tests.reports.conftest import (
    FAMILY_ANSWERS,
    IN_Q2,
    IN_Q3,
    TODAY,
    action,
    audit,
    headline,
    respond,
    table_rows,
    workbook_for,
)

STAFF_ANSWERS = {
    "role": "practitioner",
    "manageable_caseload": "agree",
    "clear_expectations": "disagree",
    "good_supervision": "strongly_agree",
    "feel_supported": "agree",
    "feel_valued": "agree",
    "training_meets_needs": "agree",
    "confident_in_practice_model": "agree",
    "learning_shared": "neither",
    "proud_to_work_here": "agree",
    "would_recommend": "agree",
}
EHAT = {
    "selection": ["random"],
    "assessment_1": "met",
    "assessment_1_evidence": "Clear analysis",
    "assessment_2": "not_met",
    "assessment_3": "partly_met",
    "impact": "6",
    "judgement": "good",
    "unresolved_safeguarding": "no",
}


def test_the_workbook_holds_every_sheet_with_tables_filters_and_frozen_headers(app, staff):
    respond(app, FAMILY_ANSWERS)
    for _ in range(5):
        respond(app, STAFF_ANSWERS, form="staff-survey")
    audit_id = audit(app, staff, EHAT)
    action(app, staff, audit_id, raised=IN_Q3, due=date(2026, 12, 1))
    book = workbook_for(app)
    assert book.sheetnames == [
        "About",
        "Summary",
        "Breakdowns",
        "Equality",
        "family",
        "staff-survey",
        "ehat-quality-audit",
        "Comments",
        "Audits",
        "Standards",
        "Actions",
        "Complaints and compliments",
        "Response rates",
        "Unmatched",
    ]
    for name in ("family", "staff-survey", "ehat-quality-audit", "Comments", "Audits", "Standards", "Actions"):
        sheet = book[name]
        assert sheet.freeze_panes == "A3", name
        (table,) = sheet.tables.values()
        assert table.autoFilter is not None, name
        assert table.ref.startswith("A2:"), name
    assert book["Summary"].tables["T_Headline"].ref.startswith("A5:")
    assert [row["Comment"] for row in table_rows(book["Comments"])] == ["Bedtime routine", "Clear analysis"]
    assert [row["Audit ID"] for row in table_rows(book["Audits"])] == [audit_id]
    assert table_rows(book["Actions"])[0]["Days overdue on 31 December 2026"] == 30


def test_each_form_sheet_has_one_row_a_response_with_labels_numbers_and_context(app, staff):
    respond(app, FAMILY_ANSWERS, at=datetime(2026, 11, 10, 10, 30))
    respond(app, FAMILY_ANSWERS | {"help_helped": "worse"}, team=None, stage=None, at=datetime(2026, 11, 11))
    rows = table_rows(workbook_for(app)["family"])
    assert len(rows) == 2
    first, second = rows
    assert first["Submitted"] == datetime(2026, 11, 10, 10, 30)
    assert (first["Team"], first["Service"], first["Stage"]) == (
        "Ashford Early Help Unit",
        "Early Help Units",
        "Closure",
    )
    assert first["Respondent"] == "A parent or carer"
    assert first["Has the help made things better for your family?"] == "Yes, a lot"
    assert first["When the help started, how were things for your family?"] == 3
    assert first["What was helpful?"] == "Bedtime routine"
    assert (second["Team"], second["Service"], second["Stage"]) == ("No team given", None, None)
    assert second["Has the help made things better for your family?"] == "No, things are worse"


def test_the_summary_counts_agree_with_the_stored_responses_and_compare_with_the_previous_period(app, staff):
    for _ in range(3):
        respond(app, FAMILY_ANSWERS)
    respond(app, FAMILY_ANSWERS | {"help_helped": "no_change"}, team="dover-ehu")
    respond(app, FAMILY_ANSWERS | {"help_helped": "worse"}, at=IN_Q2)
    respond(app, FAMILY_ANSWERS, at=IN_Q2)
    book = workbook_for(app)
    measures = headline(book)
    assert (measures["Feedback responses"]["This period"], measures["Feedback responses"]["Previous period"]) == (4, 2)
    helped = measures["Families saying the help helped"]
    assert (helped["This period"], helped["Previous period"]) == (0.75, 0.5)
    assert helped["Change"] == pytest.approx(25.0)
    assert (helped["Based on"], helped["Based on (previous)"]) == (4, 2)
    teams = {row["Team"]: row for row in table_rows(book["Summary"], "T_Teams_family")}
    assert (teams["Ashford Early Help Unit"]["This period"], teams["Ashford Early Help Unit"]["Previous period"]) == (
        3,
        2,
    )
    assert teams["Dover Early Help Unit"]["This period"] == 1
    answers = table_rows(book["Summary"], "T_Answers_family")
    helped_rows = {
        row["Answer"]: row for row in answers if row["Question"] == "Has the help made things better for your family?"
    }
    assert helped_rows["Yes, a lot"]["This period"] == 3
    assert helped_rows["Yes, a lot"]["Share"] == 0.75
    assert helped_rows["No, things are worse"]["Previous share"] == 0.5
    assert helped_rows["Positive: Yes, a lot; Yes, a little"]["Share"] == 0.75
    changes = table_rows(book["Summary"], "T_Changes_family")
    assert changes[0]["This period"] == pytest.approx(4.0)
    by_service = {(row["Service"], row["Measure"]): row for row in table_rows(book["Summary"], "T_ByService")}
    assert by_service[("Early Help Units", "Families saying the help helped")]["This period"] == 0.75


def test_staff_breakdowns_of_fewer_than_five_responses_are_suppressed(app, staff):
    for _ in range(5):
        respond(app, STAFF_ANSWERS, form="staff-survey", team="ashford-ehu")
    for _ in range(2):
        respond(app, STAFF_ANSWERS, form="staff-survey", team="thanet-youth")
    book = workbook_for(app)
    teams = {row["Team"]: row for row in table_rows(book["Summary"], "T_Teams_staff_survey")}
    assert teams["Ashford Early Help Unit"]["This period"] == 5
    assert teams["Thanet Youth Hub"]["This period"] == SUPPRESSED
    assert all(value == SUPPRESSED for key, value in teams["Thanet Youth Hub"].items() if key.startswith("Positive"))
    by_team = table_rows(book["Summary"], "T_ByTeam")
    thanet = [row for row in by_team if row["Team"] == "Thanet Youth Hub" and row["Measure"].startswith("Staff")]
    assert thanet
    assert all(row["This period"] == SUPPRESSED for row in thanet)
    ashford = [
        row for row in by_team if row["Team"] == "Ashford Early Help Unit" and row["Measure"].startswith("Staff")
    ]
    assert ashford
    assert all(isinstance(row["This period"], int | float) for row in ashford)
    # Thanet's two are held back; and Ashford's five with them, or all staff less Ashford's rows would be theirs.
    assert not book["staff-survey"].tables


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","click")',
        "+44 7700 900123",
        "-5",
        "@SUM(A1)",
        "007",
        "http://example.com",
        "{=A1}",
    ],
)
def test_answers_that_look_like_formulas_links_or_numbers_stay_text(app, text):
    respond(app, FAMILY_ANSWERS | {"what_helped": text, "could_be_better": text})
    book = workbook_for(app)
    sheet = book["family"]
    header = [cell.value for cell in sheet[2]]
    cell = sheet.cell(row=3, column=header.index("What was helpful?") + 1)
    assert (cell.value, cell.data_type) == (text, "s")
    assert not cell.hyperlink
    comments = [row[2] for row in book["Comments"].iter_rows(min_row=3)]
    assert all((c.value, c.data_type) == (text, "s") for c in comments)


@pytest.mark.parametrize(
    ("at", "quarter"),
    [
        (datetime(2026, 12, 31, 23, 59, 59), "2026-27 Q3"),  # the last second of 31 December, GMT
        (datetime(2027, 1, 1, 0, 0, 0), "2026-27 Q4"),
        (datetime(2026, 6, 30, 22, 59, 59), "2026-27 Q1"),  # 23:59:59 on 30 June in England (BST)
        (datetime(2026, 6, 30, 23, 0, 0), "2026-27 Q2"),  # 00:00 on 1 July in England
        (datetime(2026, 3, 31, 23, 0, 0), "2026-27 Q1"),  # 00:00 on 1 April, the first moment of the year
    ],
)
def test_a_response_belongs_to_the_quarter_of_its_date_in_england(app, at, quarter):
    respond(app, FAMILY_ANSWERS, at=at)
    for name in ("2026-27 Q1", "2026-27 Q2", "2026-27 Q3", "2026-27 Q4"):
        responses = headline(workbook_for(app, name))["Feedback responses"]["This period"]
        assert responses == (1 if name == quarter else 0), name


def test_an_empty_period_gives_a_valid_workbook_that_says_there_are_no_responses(app, staff):
    respond(app, FAMILY_ANSWERS, at=IN_Q2)
    book = workbook_for(app)
    assert book.sheetnames == [
        "About",
        "Summary",
        "Breakdowns",
        "Equality",
        "Comments",
        "Audits",
        "Standards",
        "Actions",
        "Complaints and compliments",
        "Response rates",
        "Unmatched",
    ]
    assert book["About"]["A3"].value == "There are no responses or audits in 2026-27 Q3."
    assert book["Summary"]["A4"].value == "There are no responses or audits in 2026-27 Q3."
    assert headline(book)["Feedback responses"]["Previous period"] == 1
    assert book["Comments"]["A3"].value == "There are no free-text answers in this period."
    assert book["Audits"]["A3"].value == "No audits were submitted in this period."


def test_columns_merge_across_versions_newest_order_first_then_older_questions(app, survey_versions):
    """v1 and v2 of the survey answered in the same quarter: see ``survey_v1`` and ``survey_v2``."""
    v1, v2 = survey_versions
    respond(app, {"who": "parent", "help_helped": "no", "rating": 4, "comments": "Old form"}, form=v1)
    respond(app, {"listened_to": "agree", "who": "parent", "help_helped": "partly"}, form=v2, at=IN_Q3 + timedelta(1))
    book = workbook_for(app)
    sheet = book["survey"]
    headers = [cell.value for cell in sheet[2]]
    first = headers.index("Version") + 1
    assert headers[first:] == [
        "We were listened to",
        "Who is answering?",
        "Has the help made things better?",
        "Anything else?",
        "Rate the help",
    ]
    above = [cell.value for cell in sheet[1]][first:]
    assert above == ["Only in version 2", None, None, None, "Only in version 1"]
    old, new = table_rows(sheet)
    assert (old["Version"], old["Who is answering?"], old["Rate the help"], old["We were listened to"]) == (
        "1",
        "A parent",
        4,
        None,
    )
    assert (new["Version"], new["Who is answering?"], new["Has the help made things better?"]) == (
        "2",
        "A parent or carer",
        "Partly",
    )
    helped = headline(book)["Families saying the help helped"]
    assert (helped["This period"], helped["Based on"]) == (0.5, 2)  # each answer judged by its own version


def test_nothing_is_dropped_answers_that_match_no_version_go_to_unmatched(app):
    response_id = respond(app, FAMILY_ANSWERS | {"mystery": "kept"})
    with app.app_context():
        broken = FormVersion(form_key="family", version="0", digest="broken", title="Old family form", spec={})
        db.session.add(broken)
        db.session.flush()
        db.session.execute(
            insert(Response).values(
                form_key="family", form_version_id=broken.id, answers={"q": "=1+1"}, submitted_at=IN_Q3
            )
        )
        db.session.commit()
    book = workbook_for(app)
    rows = table_rows(book["Unmatched"])
    assert {(row["ID"], row["Question key"]) for row in rows} == {(response_id, "mystery"), (response_id + 1, None)}
    broken_row = next(row for row in rows if row["ID"] == response_id + 1)
    assert broken_row["Answer"] == '{"q": "=1+1"}'
    assert len(table_rows(book["family"])) == 1
    notes = " ".join(str(cell.value) for cell in book["About"]["B"] if cell.value)
    assert "2 row(s) are on the Unmatched sheet" in notes
    assert "could not be read" in notes
    assert headline(book)["Feedback responses"]["This period"] == 2


def test_answers_longer_than_a_cell_holds_are_cut_and_marked(app):
    respond(app, FAMILY_ANSWERS | {"what_helped": "x" * 40_000})
    book = workbook_for(app)
    value = table_rows(book["family"])[0]["What was helpful?"]
    assert len(value) == EXCEL_MAX_CHARS
    assert value.endswith(CUT_MARK)
    notes = " ".join(str(cell.value) for cell in book["About"]["B"] if cell.value)
    assert "1 answer(s) longer than Excel's 32,767 characters" in notes
    assert table_rows(book["Comments"])[0]["Comment"] == value


def test_rows_past_the_sheet_limit_continue_on_a_new_sheet(app):
    for number in range(5):
        respond(app, FAMILY_ANSWERS, at=IN_Q3 + timedelta(minutes=number))
    book = workbook_for(app, max_rows=4)
    assert [name for name in book.sheetnames if name.startswith("family")] == ["family", "family (2)", "family (3)"]
    counted = sum(len(table_rows(book[name])) for name in ("family", "family (2)", "family (3)"))
    assert counted == 5
    notes = " ".join(str(cell.value) for cell in book["About"]["B"] if cell.value)
    assert "‘family’ has more rows than Excel allows on one sheet: it continues on family (2), family (3)" in notes


def test_audits_standards_and_actions_are_counted_for_the_period(app, staff):
    first = audit(app, staff, EHAT)
    audit(app, staff, EHAT | {"judgement": "inadequate", "impact": "2", "assessment_2": "met"}, moderated_grade="good")
    audit(app, staff, EHAT | {"judgement": "requires_improvement", "impact": "4"})
    audit(app, staff, EHAT, at=IN_Q2)
    action(app, staff, first, raised=IN_Q3, due=date(2026, 11, 30))
    action(app, staff, first, raised=IN_Q3, due=date(2026, 11, 30), completed=datetime(2026, 11, 20))
    action(app, staff, first, raised=IN_Q2, due=date(2026, 9, 1))
    book = workbook_for(app)
    measures = headline(book)
    assert measures["Audits submitted"]["This period"] == 3
    assert measures["Audits graded Good or better"]["This period"] == pytest.approx(2 / 3)
    assert measures["Audits graded Good or better"]["Previous period"] == 1
    assert measures["Mean audit scaling"]["This period"] == 4
    assert (measures["Actions raised"]["This period"], measures["Actions raised"]["Previous period"]) == (2, 1)
    assert measures["Actions completed"]["This period"] == 1
    assert (measures["Actions overdue"]["This period"], measures["Actions overdue"]["Previous period"]) == (2, 1)
    not_met = [name for name in measures if name.startswith("Not met:")]
    assert not_met[0].startswith("Not met: The assessment is factual")
    audits = table_rows(book["Audits"])
    assert [(row["Final grade"], row["Good or better"]) for row in audits] == [
        ("Good", "Yes"),
        ("Good", "Yes"),
        ("Requires Improvement", "No"),
    ]
    assert audits[1]["Moderated grade"] == "Good"
    standards = {row["Standard"][:30]: row for row in table_rows(book["Standards"])}
    factual = standards["The assessment is factual, evi"]
    assert (factual["Met"], factual["Not met"], factual["Not met (share)"]) == (1, 2, pytest.approx(2 / 3))
    assert factual["Not met, previous period (share)"] == 1
    actions = table_rows(book["Actions"])
    assert len(actions) == 3  # two raised in the quarter, one still open from the one before
    assert sorted(row["Days overdue on 31 December 2026"] for row in actions) == [0, 31, 121]


def test_the_workbook_holds_no_formulas_and_a_file_written_to_a_path_matches_the_bytes(app, staff, tmp_path):
    respond(app, FAMILY_ANSWERS | {"what_helped": "=1+1"})
    with app.app_context():
        period = parse_period("2026-27 Q3")
        data = collect_report(period, made_by="Test Runner", today=TODAY)
        content = build_workbook(period, data)
        assert build_workbook(period, data, tmp_path / "q3.xlsx") is None
        with pytest.raises(ValueError, match="the data is for 2026-27 Q3, not 2026-27 Q2"):
            build_workbook(period.previous(), data)
    assert content is not None
    with ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)
    assert (
        openpyxl.load_workbook(tmp_path / "q3.xlsx").sheetnames
        == openpyxl.load_workbook(io.BytesIO(content)).sheetnames
    )


def test_partner_and_staff_sheets_show_the_round_or_wave_and_closure_the_case_reference(app, staff):
    from qaf.forms_registry import all_forms
    from qaf.models import FeedbackRound
    from qaf.responses import store_response

    with app.app_context():
        autumn = FeedbackRound(
            form_key="partner", name="Autumn 2026", opens_on=date(2026, 10, 1), closes_on=date(2026, 11, 30)
        )
        db.session.add(autumn)
        db.session.commit()
        forms = all_forms()
        store_response(
            forms["partner"],
            {"overall_satisfaction": "satisfied"},
            team_id=1,
            stage=None,
            round_id=autumn.id,
            submitted_at=IN_Q3,
        )
        store_response(
            forms["closure"],
            {"help_helped": "yes_a_lot"},
            team_id=1,
            stage="closure",
            case_reference="EH-77",
            submitted_at=IN_Q3,
        )
    book = workbook_for(app)
    assert table_rows(book["partner"])[0]["Round or wave"] == "Autumn 2026"
    assert table_rows(book["closure"])[0]["Case reference"] == "EH-77"
    assert "Case reference" not in [cell.value for cell in book["partner"][2]]
    assert headline(book)["Partner satisfaction"]["This period"] == 1
