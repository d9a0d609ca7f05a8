"""A date typed with a slip of the year gets a message on the programme's pages, not a server error."""

from datetime import date

import pytest

from tests.conftest import error_summary
from tests.programme.conftest import case_csv
from tests.programme.test_allocation import date_fields
from tests.programme.test_case_import import problems_of


@pytest.mark.parametrize("year", ["9999", "9" * 20, "²⁰²⁶"])
def test_drawing_peer_reviews_up_to_the_year_9999_asks_for_a_date_in_range(admin, year):
    data = (
        date_fields("submitted_from", date(2026, 1, 1))
        | date_fields("submitted_to", date(2026, 1, 31))
        | {"submitted_to-year": year}
        | date_fields("due_date", date(2026, 3, 1))
        | {"share": "10", "form_key": "ehat-quality-audit"}
    )
    page = admin.post("/programme/peer-reviews/new", data, _expected_status=200)
    (message,) = [text for text, link in error_summary(page) if link == "#submitted_to-day"]
    assert message.startswith("The last day must be ")


@pytest.mark.parametrize("opened", ["1" * 25 + "/01/2026", "01/" + "1" * 25 + "/2026", "²/01/2026"])
def test_a_case_file_date_of_many_digits_is_reported_by_line(app, staff, opened):
    problems = problems_of(app, case_csv(f"EH-1,ashford-ehu,,,,{opened},,,,,,,"))
    assert problems == [f"Line 2: opened: ‘{opened}’ is not a real date; use YYYY-MM-DD or DD/MM/YYYY"]
