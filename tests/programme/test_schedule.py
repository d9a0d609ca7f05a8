"""The QA schedule: activities make their due work; completion on time by activity, service and team."""

from datetime import date, timedelta

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Activity, ActivityWork, Team
from qaf.programme.periods import add_months, month_start
from qaf.programme.schedule import completion, make_due_work
from tests.conftest import error_summary
from tests.programme.conftest import signed_in

TODAY = date.today()


def activity_form(**changes) -> dict:
    start = month_start(TODAY)
    form = {
        "name": "Unit meeting peer audit",
        "purpose": "Kent: peer audit of unit meetings, bronze, silver, gold",
        "frequency": "monthly",
        "starts_on-day": str(start.day),
        "starts_on-month": str(start.month),
        "starts_on-year": str(start.year),
        "services": "1",
        "each_team": "yes",
        "who_role": "auditor",
        "form_key": "unit-meeting-peer-audit",
        "allocation_line": "any",
    }
    return {name: value for name, value in (form | changes).items() if value is not None}


def work_rows(app, activity_id: int) -> list[ActivityWork]:
    with app.app_context():
        rows = db.session.scalars(
            select(ActivityWork)
            .where(ActivityWork.activity_id == activity_id)
            .order_by(ActivityWork.due_date, ActivityWork.team_id)
        ).all()
        for row in rows:
            _ = row.team, [person.name for person in row.assignees]
        db.session.expunge_all()
        return list(rows)


def test_an_activity_makes_a_year_of_due_work_for_each_team_with_its_assignees(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(), _expected_redirect="/programme/activities/1")
    rows = work_rows(app, 1)
    # Early Help Units has two teams; monthly for the coming year (13 periods, this month included).
    assert len(rows) == 2 * 13
    first = [row for row in rows if row.period_start == month_start(TODAY)]
    assert {row.team.slug for row in first} == {"ashford-ehu", "dover-ehu"}
    ashford = next(row for row in first if row.team.slug == "ashford-ehu")
    assert ashford.due_date == add_months(month_start(TODAY), 1) - timedelta(days=1)
    assert [person.name for person in ashford.assignees] == ["Alex Auditor"]
    dover = next(row for row in first if row.team.slug == "dover-ehu")
    assert dover.assignees == []
    page = admin.get("/programme/activities/1")
    assert "Auditors (team managers)" in page.get_text()
    assert "Peer audit of a unit meeting" in page.get_text()


def test_an_activity_needs_someone_to_do_it_and_a_due_date_when_one_off(app, staff, admin):
    page = admin.post(
        "/programme/activities/new",
        activity_form(who_role="", frequency="one_off", each_team="no"),
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Enter the date a one-off activity is due", "#ends_on-day"),
        ("Select a role, or name the people who do it", "#who_role"),
    ]


def test_a_case_sample_rule_needs_its_numbers_and_an_audit_template(app, staff, admin):
    page = admin.post(
        "/programme/activities/new",
        activity_form(sample_rule="percentage_active", form_key="family", each_team="no"),
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Select the audit template the sampled cases are audited with", "#form_key"),
        ("Enter the percentage of cases", "#percent"),
        ("Enter how many months", "#months"),
    ]


def test_changing_an_activity_replans_future_work_not_yet_done(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(each_team="no", services=None))
    with app.app_context():
        done = db.session.scalars(select(ActivityWork).order_by(ActivityWork.due_date)).first()
        done.completed_on = TODAY
        db.session.commit()
    admin.post("/programme/activities/1/edit", activity_form(each_team="no", services=None, frequency="quarterly"))
    rows = work_rows(app, 1)
    assert rows[0].completed_on == TODAY
    later = rows[1:]
    assert later
    assert all((row.period_end - row.period_start).days > 80 for row in later if row.period_start > rows[0].period_end)


def test_an_assignee_records_completion_review_and_next_steps(app, staff, admin):
    admin.post("/programme/activities/new", activity_form())
    rows = work_rows(app, 1)
    ashford = next(row for row in rows if row.team.slug == "ashford-ehu")
    auditor = signed_in(app, staff, "auditor")
    page = auditor.get("/programme/assigned")
    assert "Unit meeting peer audit" in page.get_text()
    page = auditor.post(
        f"/programme/work/{ashford.id}",
        {"reviewed_on-day": "1", "reviewed_on-month": "1", "reviewed_on-year": "2026"},
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Enter the date it was completed before the date it was reviewed", "#completed_on-day")
    ]
    auditor.post(
        f"/programme/work/{ashford.id}",
        {
            "completed_on-day": str(TODAY.day),
            "completed_on-month": str(TODAY.month),
            "completed_on-year": str(TODAY.year),
            "next_steps": "Share the gold example at the next unit meeting",
        },
        _expected_redirect=f"/programme/work/{ashford.id}",
    )
    recorded = next(row for row in work_rows(app, 1) if row.id == ashford.id)
    assert (recorded.completed_on, recorded.next_steps) == (TODAY, "Share the gold example at the next unit meeting")
    dover = next(row for row in rows if row.team.slug == "dover-ehu")
    auditor.get(f"/programme/work/{dover.id}", _expected_status=403)
    signed_in(app, staff, "other_auditor").get(f"/programme/work/{ashford.id}", _expected_status=403)


def add_work(app, activity: Activity, due: date, completed: date | None, team_slug: str | None) -> None:
    team = db.session.scalar(select(Team).where(Team.slug == team_slug)) if team_slug else None
    db.session.add(
        ActivityWork(
            activity_id=activity.id,
            period_start=due.replace(day=1),
            period_end=due,
            due_date=due,
            completed_on=completed,
            team_id=team.id if team else None,
            service_id=team.service_id if team else None,
        )
    )


def test_completion_counts_on_time_late_missed_and_to_come_at_the_period_boundaries(app, staff):
    with app.app_context():
        activity = Activity(name="Step up / step down audit", frequency="monthly", starts_on=date(2026, 4, 1))
        other = Activity(name="Returning cases audit", frequency="monthly", starts_on=date(2026, 4, 1))
        db.session.add_all([activity, other])
        db.session.flush()
        add_work(app, activity, date(2026, 10, 31), date(2026, 10, 31), "ashford-ehu")  # on time: the due day
        add_work(app, activity, date(2026, 11, 30), date(2026, 12, 1), "dover-ehu")  # a day late
        add_work(app, activity, date(2026, 12, 30), None, "thanet-youth")  # due yesterday: missed
        add_work(app, other, date(2026, 12, 31), None, None)  # due today: still to come
        add_work(app, other, date(2026, 9, 30), None, None)  # the previous quarter
        db.session.commit()
        quarter = completion(date(2026, 10, 1), date(2026, 12, 31), "2026-27 Q3", today=date(2026, 12, 31))
        assert (quarter.total.on_time, quarter.total.late, quarter.total.not_done, quarter.total.to_come) == (
            1,
            1,
            1,
            1,
        )
        assert quarter.total.due == 3
        assert quarter.total.percent_on_time == 33
        by_activity = {row.label: (row.due, row.on_time, row.to_come) for row in quarter.by_activity}
        assert by_activity == {"Returning cases audit": (0, 0, 1), "Step up / step down audit": (3, 1, 0)}
        by_service = {row.label: row.due for row in quarter.by_service}
        assert by_service == {"Early Help Units": 2, "Youth Hubs": 1, "Every service": 0}
        by_team = {row.label: (row.on_time, row.late, row.not_done) for row in quarter.by_team}
        assert by_team["Ashford Early Help Unit"] == (1, 0, 0)
        assert by_team["Dover Early Help Unit"] == (0, 1, 0)
        assert by_team["Thanet Youth Hub"] == (0, 0, 1)
        next_day = completion(date(2026, 10, 1), date(2026, 12, 31), "2026-27 Q3", today=date(2027, 1, 1))
        assert (next_day.total.not_done, next_day.total.to_come) == (2, 0)


def test_the_schedule_page_shows_completion_and_overdue_work_to_managers_only(app, staff, admin):
    admin.post("/programme/activities/new", activity_form())
    with app.app_context():
        earlier = Activity(name="Returning cases audit", frequency="monthly", starts_on=date(2026, 4, 1))
        db.session.add(earlier)
        db.session.flush()
        add_work(app, earlier, TODAY - timedelta(days=1), None, "ashford-ehu")
        db.session.commit()
    page = admin.get("/programme")
    text = " ".join(page.get_text().split())
    assert "Overdue work" in text
    assert "1 piece of work overdue" in text
    assert page.select_one("a[href='/programme/activities/1']").get_text(strip=True) == "Unit meeting peer audit"
    signed_in(app, staff, "service_manager").get("/programme")
    signed_in(app, staff, "auditor").get("/programme", _expected_status=403)


def test_due_work_is_made_once_however_often_it_is_topped_up(app, staff, admin):
    admin.post("/programme/activities/new", activity_form())
    before = len(work_rows(app, 1))
    with app.app_context():
        activity = db.session.get(Activity, 1)
        assert make_due_work(activity, TODAY + timedelta(days=366)) == 0
        db.session.commit()
    assert len(work_rows(app, 1)) == before


def test_a_schedule_added_today_from_the_start_of_the_year_makes_no_work_already_overdue(app, staff, admin):
    year_start = date(TODAY.year if TODAY.month >= 4 else TODAY.year - 1, 4, 1)
    admin.post(
        "/programme/activities/new",
        activity_form(
            frequency="weekly",
            **{"starts_on-day": "1", "starts_on-month": "4", "starts_on-year": str(year_start.year)},
        ),
        _expected_redirect="/programme/activities/1",
    )
    rows = work_rows(app, 1)
    assert rows, "work from this week on is made"
    assert min(row.due_date for row in rows) >= TODAY
    assert "No work is overdue" in " ".join(admin.get("/programme").get_text().split())


def test_work_for_each_team_that_nobody_there_can_do_is_said_not_as_a_success(app, staff, admin):
    admin.post(
        "/programme/activities/new",
        activity_form(services="2", who_role="service_manager"),
        _expected_redirect="/programme/activities/1",
    )
    page = admin.get("/programme/activities/1")
    lines = [" ".join(line.get_text().split()) for line in page.select(".govuk-notification-banner__heading")]
    assert lines[0] == "Activity added, with its due work for the year ahead."
    assert lines[1].endswith(
        "pieces of due work have nobody to do it: name the people, or choose a role someone in its scope has."
    )
    assert page.select_one(".govuk-notification-banner--success") is None
