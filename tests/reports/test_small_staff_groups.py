"""Small groups of staff answers leave QAF nowhere: no sheet, CSV file or page shows them, and
staff answers carry the date they were sent, never the time."""

import io
from datetime import date, datetime

import pytest

from qaf.reports.collect import collect_forms
from qaf.reports.csv_export import write_form_csv
from qaf.reports.periods import parse_period
from qaf.suppression import SMALLEST_GROUP, held_back
from tests.reports.conftest import respond, table_rows, team_id, workbook_for
from tests.reports.test_pages import Q3
from tests.reports.test_workbook import STAFF_ANSWERS

TRAINING = {
    "course": "Signs of Safety",
    "course_date": "2026-11-02",
    "delivery": "in_person",
    "aims_clear": "agree",
    "confidence_before": 2,
    "confidence_after": 8,
    "do_differently": "Use scaling questions",
}
SENT = datetime(2026, 11, 10, 14, 37, 12)


def every_cell(book) -> list[str]:
    return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def csv_text(app, form_key: str) -> str:
    with app.app_context():
        forms = {form.key: form for form in collect_forms(parse_period("2026-27 Q3"))}
        stream = io.StringIO()
        write_form_csv(forms[form_key], stream)
    return stream.getvalue()


def about_text(book) -> str:
    return " ".join(str(cell.value) for row in book["About"].iter_rows() for cell in row if cell.value)


@pytest.mark.parametrize(("answers", "shown"), [(1, False), (4, False), (5, True)])
def test_training_answers_of_a_group_under_five_are_in_no_sheet_csv_or_page(app, staff, client_request, answers, shown):
    for number in range(answers):
        respond(app, TRAINING | {"comments": f"Private note {number}"}, form="training", stage=None, at=SENT)
    book = workbook_for(app)
    cells = " ".join(every_cell(book))
    csv = csv_text(app, "training")
    assert ("Private note 0" in cells) is shown
    assert ("Private note 0" in csv) is shown
    assert ("Use scaling questions" in cells) is shown
    assert ("Signs of Safety" in csv) is shown
    assert "14:37" not in cells
    assert "14:37" not in csv
    if shown:
        rows = table_rows(book["training"])
        assert len(rows) == answers
        assert rows[0]["Submitted"] == datetime(2026, 11, 10)  # the day only
        assert "h" not in book["training"]["B3"].number_format
        training = "Tell us about the training you went on"
        comments = [row for row in table_rows(book["Comments"]) if row["Form"] == training]
        assert comments[0]["Submitted"] == datetime(2026, 11, 10)
        assert "h" not in book["Comments"]["F3"].number_format
        assert ",2026-11-10," in csv
    else:
        assert not book["training"].tables
        assert f"Tell us about the training you went on: {answers} of {answers}" in about_text(book)
    client_request.login(staff["qa_admin"]["email"])
    for path in (f"/reports?{Q3}", f"/reports/teams/{team_id(app, 'ashford-ehu')}?{Q3}"):
        text = client_request.get(path).get_text(" ", strip=True)
        assert "Private note" not in text
        assert "Signs of Safety" not in text


def test_the_one_person_in_the_other_role_is_read_nowhere_nor_given_away_by_the_totals(app, staff):
    for _ in range(10):
        respond(app, STAFF_ANSWERS | {"biggest_difference": "Fewer meetings"}, form="staff-survey", stage=None)
    for _ in range(5):
        respond(app, STAFF_ANSWERS | {"role": "manager", "biggest_difference": "More staff"}, form="staff-survey")
    respond(app, STAFF_ANSWERS | {"role": "other", "biggest_difference": "A quieter office"}, form="staff-survey")
    book = workbook_for(app)
    cells = every_cell(book)
    csv = csv_text(app, "staff-survey")
    assert "A quieter office" not in cells
    assert "A quieter office" not in csv
    # One held back is not enough (all staff less the rows shown would be theirs): the managers go too.
    assert "More staff" not in cells
    assert "More staff" not in csv
    rows = table_rows(book["staff-survey"])
    assert {row["Respondent"] for row in rows} == {"Practitioner"}
    assert len(rows) == 10
    about = about_text(book)
    assert "Staff survey: 6 of 16" in about
    assert "same team, giving the same role and in the same wave" in about
    assert "Manager" not in about
    assert "Other" not in about


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"a": 5, "b": 5}, set()),
        ({"a": 5, "b": 1}, {"a", "b"}),
        ({"a": 9, "b": 5, "c": 1}, {"b", "c"}),
        ({"a": 4}, {"a"}),
        ({"a": 2, "b": 3, "c": 7}, {"a", "b"}),
    ],
)
def test_small_groups_are_held_back_and_then_enough_others_that_the_total_gives_nothing_away(groups, expected):
    assert held_back(groups, lambda group: [("all",)]) == expected
    held = sum(groups[group] for group in expected)
    assert held in (0, sum(groups.values())) or held >= SMALLEST_GROUP


def test_a_staff_row_is_never_later_than_its_day(app, staff):
    for _ in range(5):
        respond(app, TRAINING, form="training", stage=None, at=datetime(2026, 11, 10, 23, 30))  # 23:30 GMT
    (row,) = {row["Submitted"] for row in table_rows(workbook_for(app)["training"])}
    assert row.date() == date(2026, 11, 10)
