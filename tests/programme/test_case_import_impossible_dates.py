"""A case list with dates that cannot be real is refused: a date after today, a review before the case was
opened or after it was closed. The demo cases have none of them."""

from datetime import date, timedelta

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Case
from qaf.programme.demo import load_demo_programme
from qaf.reports.periods import uk_today
from tests.programme.conftest import case_csv
from tests.programme.test_case_import import problems_of, run_import
from tests.programme.test_case_import_exports import upload


def day(days_from_today: int) -> str:
    return (uk_today() + timedelta(days=days_from_today)).isoformat()


def today_words() -> str:
    today = uk_today()
    return f"today is {today.day} {today:%B %Y}"


def test_dates_after_today_and_reviews_outside_the_case_are_refused_by_line(app, staff):
    data = case_csv(
        f"EH-1,ashford-ehu,,,,{day(1)},,,,,,,",
        f"EH-2,ashford-ehu,,,,{day(-100)},,{day(30)},,,,,",
        f"EH-3,ashford-ehu,,,,{day(-100)},,{day(-200)},,,,,",
        f"EH-4,ashford-ehu,,,,{day(-100)},,{day(-10)},{day(-20)},,,,",
        f"EH-5,ashford-ehu,,,,{day(-100)},{day(5)},,{day(2)},,,,",
    )
    assert problems_of(app, data) == [
        f"Line 2: opened: ‘{day(1)}’ is in the future ({today_words()})",
        f"Line 3: last_reviewed: ‘{day(30)}’ is in the future ({today_words()})",
        "Line 4: last_reviewed: the case was reviewed before it was opened",
        "Line 5: last_reviewed: the case was reviewed after it was closed",
        f"Line 6: assessed: ‘{day(5)}’ is in the future ({today_words()})",
        f"Line 6: closed: ‘{day(2)}’ is in the future ({today_words()})",
    ]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_case_opened_reviewed_and_closed_today_is_imported(app, staff):
    today = day(0)
    assert run_import(app, case_csv(f"EH-1,ashford-ehu,,,,{today},{today},{today},{today},,,,")).added == 1


def test_a_whole_column_of_impossible_dates_is_one_problem_a_column(app, staff, admin):
    rows = "".join(f"EH-{n},ashford-ehu,{day(-50)},{day(400)},{day(-40)}\n" for n in range(300))
    rows += "".join(f"EH-R{n},ashford-ehu,{day(-50)},{day(-60)},\n" for n in range(300))
    data = ("reference,team,opened,last_reviewed,closed\n" + rows).encode()
    assert problems_of(app, data) == [
        f"Column ‘last_reviewed’: 300 dates are in the future ({today_words()}), e.g. line 2 ‘{day(400)}’",
        f"Column ‘last_reviewed’: 300 cases were reviewed after they were closed, e.g. line 2 ‘{day(400)}’",
        f"Column ‘last_reviewed’: 300 cases were reviewed before they were opened, e.g. line 302 ‘{day(-60)}’",
    ]
    page = upload(admin, data)
    assert "3 problems in the file: nothing was imported" in page.get_text()
    assert "300 dates are in the future" in page.get_text()


def test_the_demo_cases_are_never_reviewed_or_assessed_in_the_future_or_after_they_closed(app, staff):
    today = date(2026, 12, 3)
    with app.app_context():
        load_demo_programme(today)
        cases = list(db.session.scalars(select(Case)))
    assert len(cases) == 400
    for case in cases:
        last = case.closed_on or today
        assert case.opened_on <= last, case.reference
        assert case.assessed_on is None or case.opened_on <= case.assessed_on <= last, case.reference
        assert case.last_reviewed_on is None or case.opened_on <= case.last_reviewed_on <= last, case.reference
    assert sum(case.last_reviewed_on is not None for case in cases) > 200
