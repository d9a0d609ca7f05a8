"""Equality monitoring answers: only ever counts of groups of 5 or more, never on a row beside a comment."""

import csv
import io
from typing import Any

import pytest

from qaf.reports.report import SUPPRESSED
from tests.reports.conftest import FAMILY_ANSWERS, respond, table_rows, workbook_for

EQUALITY_ANSWERS = {
    "equality_age": "age_25_to_34",
    "equality_sex": "female",
    "equality_gender_identity": "yes",
    "equality_ethnicity": "black",
    "equality_disability": "no",
    "equality_religion": "muslim",
    "equality_sexual_orientation": "bisexual",
    "equality_pregnancy": "prefer_not_to_say",
}
# Labels only an equality answer could put in a cell.
EQUALITY_LABELS = {
    "25 to 34",
    "Female",
    "Black, Black British, Caribbean or African",
    "Muslim",
    "Bisexual",
    "Prefer not to say",
}
FAMILY_HELPED = "Families saying the help helped"
RESPONSES = "Responses from families, children and partners"


def equality_table(book: Any, question_label: str) -> dict[tuple[str, str], dict[str, Any]]:
    name = "T_Equality_" + "".join(character if character.isalnum() else "_" for character in question_label)
    return {(row["Measure"], row["Group"]): row for row in table_rows(book["Equality"], name)}


def every_cell(sheet: Any) -> set[Any]:
    return {cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None}


def test_no_row_sheet_comment_or_unmatched_row_carries_an_equality_answer(app, staff):
    respond(app, FAMILY_ANSWERS | EQUALITY_ANSWERS | {"what_helped": "Our worker listened"}, form="family")
    book = workbook_for(app)
    for name in ("family", "Comments", "Unmatched", "Summary"):
        cells = every_cell(book[name])
        assert not cells & EQUALITY_LABELS, name
        assert not {text for text in cells if isinstance(text, str) and text.startswith("equality_")}, name
    (comment, *_more) = table_rows(book["Comments"])
    assert comment["Comment"] == "Our worker listened"
    headers = {row for row in next(book["family"].iter_rows(min_row=2, max_row=2, values_only=True))}
    assert "What is your ethnic group?" not in headers
    assert "Unmatched" in book.sheetnames
    assert not table_rows_or_empty(book["Unmatched"])


def table_rows_or_empty(sheet: Any) -> list[dict[str, Any]]:
    return table_rows(sheet) if sheet.tables else []


def test_the_csv_file_never_carries_an_equality_answer(app, staff, client_request):
    respond(app, FAMILY_ANSWERS | EQUALITY_ANSWERS | {"what_helped": "Calmer mornings"})
    client_request.login(staff["qa_admin"]["email"])
    response = client_request.client.post("/reports/download/family", data={"period": "2026-27 Q3"})
    assert response.status_code == 200
    (row,) = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))
    assert row["What was helpful?"] == "Calmer mornings"
    assert not set(row.values()) & EQUALITY_LABELS
    assert not [header for header in row if "ethnic" in header.lower() or "religion" in header.lower()]
    assert row["Answers not matching the form version (JSON)"] == ""


@pytest.mark.parametrize(("muslim", "shown"), [(4, False), (5, True)])
def test_an_equality_group_of_fewer_than_5_is_counted_with_the_other_small_groups(app, staff, muslim, shown):
    for _ in range(muslim):
        respond(app, FAMILY_ANSWERS | {"equality_religion": "muslim"})
    for _ in range(6):
        respond(app, FAMILY_ANSWERS | {"equality_religion": "no_religion", "help_helped": "worse"})
    for _ in range(2):
        respond(app, FAMILY_ANSWERS | {"equality_religion": "sikh"})
    respond(app, FAMILY_ANSWERS)  # not answered: one response

    religion = equality_table(workbook_for(app), "What is your religion?")
    groups = [group for measure, group in religion if measure == RESPONSES]
    assert religion[(FAMILY_HELPED, "No religion")] | {"Measure": None} == {
        "Measure": None,
        "Group": "No religion",
        "Responses": 6,
        "Answering": 6,
        "Positive": 0,
    }
    assert "Sikh" not in groups
    assert "Not answered" not in groups
    if shown:
        assert groups == ["No religion", "Muslim", SUPPRESSED]
        assert religion[(FAMILY_HELPED, "Muslim")]["Responses"] == 5
        assert religion[(FAMILY_HELPED, SUPPRESSED)]["Responses"] == 3  # two Sikh, one not answered
    else:
        assert groups == ["No religion", SUPPRESSED]
        assert religion[(FAMILY_HELPED, SUPPRESSED)]["Responses"] == 7


def test_a_period_with_no_equality_answers_says_so(app, staff):
    respond(app, {"what_helped": "Playing games"}, form="child")
    book = workbook_for(app)
    assert "No equality monitoring questions were answered in this period." in every_cell(book["Equality"])


def test_the_page_for_voiding_responses_shows_their_comments_without_their_equality_answers(app, staff, client_request):
    respond(
        app,
        {"what_helped": "Calmer mornings", "equality_religion": "muslim", "equality_sexual_orientation": "bisexual"},
    )
    client_request.login(staff["qa_admin"]["email"])
    text = client_request.get("/admin/voids?from=2026-11-01&to=2026-12-01").get_text()
    assert "Calmer mornings" in text
    assert "muslim" not in text
    assert "bisexual" not in text
