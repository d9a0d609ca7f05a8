"""Per-person targets (seed 004, 3.2 and 3.3): one piece of due work per manager per month, each with
its own completion from the audits started for it, inside and outside the manager's line."""

from sqlalchemy import select

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import ActivityWork, AuditorQuota, Team, User
from qaf.programme.periods import month_start
from tests.audits.conftest import COMPLETE
from tests.conftest import PASSWORD, ClientRequest, error_summary
from tests.programme.conftest import signed_in
from tests.programme.test_schedule import TODAY, activity_form

EVALUATION = {
    "name": "Collaborative practice evaluation",
    "services": None,
    "each_team": "no",
    "each_person": "yes",
    "who_role": "auditor",
    "form_key": "sample-audit",
}


def add_dover_manager(app) -> None:
    with app.app_context():
        dover = db.session.scalar(select(Team).where(Team.slug == "dover-ehu"))
        person = User(email="dana@example.gov.uk", name="Dana Dover", role="auditor", team=dover)
        person.password_hash = hash_password(PASSWORD)
        db.session.add(person)
        db.session.commit()


def own_work(app, email: str) -> list[ActivityWork]:
    with app.app_context():
        rows = db.session.scalars(
            select(ActivityWork)
            .join(User, ActivityWork.person_id == User.id)
            .where(User.email == email)
            .order_by(ActivityWork.period_start)
        ).all()
        for row in rows:
            _ = row.team, [person.email for person in row.assignees]
        db.session.expunge_all()
        return list(rows)


def test_each_manager_gets_their_own_work_each_month_whatever_their_quota(app, staff, admin):
    add_dover_manager(app)
    with app.app_context():
        # A quota limits sampled cases only: it never stops a person's own work.
        db.session.add(AuditorQuota(user_id=staff["auditor"]["id"], per_month=0))
        db.session.commit()
    admin.post("/programme/activities/new", activity_form(**EVALUATION), _expected_redirect="/programme/activities/1")
    for email, team in (
        ("auditor@example.gov.uk", "ashford-ehu"),
        ("other@example.gov.uk", "thanet-youth"),
        ("dana@example.gov.uk", "dover-ehu"),
    ):
        rows = own_work(app, email)
        assert len(rows) == 13
        assert rows[0].period_start == month_start(TODAY)
        assert {row.team.slug for row in rows} == {team}
        assert all([person.email for person in row.assignees] == [email] for row in rows)
    page = admin.get("/programme/activities/1")
    text = " ".join(page.get_text().split())
    assert "one piece of work for each person" in text
    table = page.find("caption", string=lambda value: value and "Each person's work" in value).find_parent("table")
    people = [" ".join(row.th.get_text().split()) for row in table.select("tbody tr")]
    assert people == ["Alex Auditor", "Dana Dover", "Olu Other"]


def test_work_for_each_person_takes_no_sample_and_is_not_also_for_each_team(app, staff, admin):
    page = admin.post(
        "/programme/activities/new",
        activity_form(**EVALUATION | {"each_team": "yes", "sample_rule": "fixed_count", "count": "1"}),
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Choose each team or each person, not both", "#each_person"),
        ("Leave how cases are chosen empty: each person chooses what they audit", "#sample_rule"),
    ]


def start_for_work(auditor, work_id: int, team_id: int, reference: str) -> int:
    auditor.get(f"/audits/new?work={work_id}")
    auditor.post(
        f"/audits/new?work={work_id}",
        {"template": "sample-audit", "case_reference": reference, "team": str(team_id), "practitioner": ""},
    )
    with auditor.client.application.app_context():
        from qaf.models import WorkAudit

        return db.session.scalars(select(WorkAudit.audit_id).where(WorkAudit.work_id == work_id)).all()[-1]


def test_audits_started_from_the_work_complete_it_and_count_inside_and_outside_the_line(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION))
    first = own_work(app, "auditor@example.gov.uk")[0]
    with app.app_context():
        teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
    alex = signed_in(app, staff, "auditor")
    # Outside Alex's line: a Thanet case, which Alex could not audit without this work.
    page = alex.get(f"/audits/new?work={first.id}")
    assert "Thanet Youth Hub" in page.get_text()
    outside = start_for_work(alex, first.id, teams["thanet-youth"], "TH-1")
    inside = start_for_work(alex, first.id, teams["ashford-ehu"], "AS-1")
    assert own_work(app, "auditor@example.gov.uk")[0].completed_on is None
    alex.post(f"/audits/{outside}/edit", COMPLETE | {"intent": "submit"})
    done = own_work(app, "auditor@example.gov.uk")[0]
    assert done.completed_on == TODAY
    # The work is done: no more audits are started for it.
    alex.get(f"/audits/new?work={first.id}", _expected_status=404)

    row = year_row(admin, "Alex Auditor")
    # This month's work is done; the rest of the financial year's is to come.
    months = len(row) - 5
    assert row[1:] == ["Done", *["To come"] * (months - 1), f"1 of {months}", "0", "1", "Not yet"]

    # The draft started for the same work counts once it is submitted, though the work is done.
    alex.post(f"/audits/{inside}/edit", COMPLETE | {"intent": "submit"})
    assert year_row(admin, "Alex Auditor")[-4:] == [f"1 of {months}", "1", "1", "Yes"]
    # Another manager's row is their own.
    assert year_row(admin, "Olu Other")[-4:] == [f"0 of {months}", "0", "0", "Not yet"]
    work_page = alex.get(f"/programme/work/{first.id}")
    assert "Thanet Youth Hub, outside Alex Auditor's line, submitted" in " ".join(work_page.get_text().split())


def year_row(admin, name: str) -> list[str]:
    page = admin.get("/programme/activities/1")
    table = page.find("caption", string=lambda value: value and "Each person's work" in value).find_parent("table")
    for row in table.select("tbody tr"):
        cells = [" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"])]
        if cells[0] == name:
            return cells
    raise AssertionError(name)


def test_nobody_starts_an_audit_for_someone_elses_work_or_outside_the_activity(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION | {"services": "1"}))
    work = own_work(app, "auditor@example.gov.uk")[0]
    with app.app_context():
        teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
    signed_in(app, staff, "service_manager").get(f"/audits/new?work={work.id}", _expected_status=404)
    alex = signed_in(app, staff, "auditor")
    # The activity is for Early Help Units: a Youth Hubs team is not offered, and refused when posted.
    page = alex.post(
        f"/audits/new?work={work.id}",
        {"template": "sample-audit", "case_reference": "TH-1", "team": str(teams["thanet-youth"]), "practitioner": ""},
        _expected_status=200,
    )
    assert error_summary(page)[0][1] == "#team"
    # Without the work, Dover is outside Alex's part of the organisation; with it, Dover may be audited.
    page = alex.post(
        "/audits/new",
        {"template": "sample-audit", "case_reference": "DO-1", "team": str(teams["dover-ehu"]), "practitioner": ""},
        _expected_status=200,
    )
    assert error_summary(page)
    start_for_work(alex, work.id, teams["dover-ehu"], "DO-1")


def add_person(app, email: str, name: str, team_slug: str) -> int:
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == team_slug))
        person = User(email=email, name=name, role="auditor", team=team)
        person.password_hash = hash_password(PASSWORD)
        db.session.add(person)
        db.session.commit()
        return person.id


def test_a_unit_meeting_peer_audit_goes_to_another_unit_in_turn_and_needs_no_case(app, staff, admin):
    add_dover_manager(app)
    add_person(app, "dev@example.gov.uk", "Dev Dover", "dover-ehu")
    admin.post("/programme/activities/new", activity_form(allocation_line="outside_line"))
    with app.app_context():
        rows = db.session.scalars(
            select(ActivityWork).join(Team, ActivityWork.team_id == Team.id).order_by(ActivityWork.period_start)
        ).all()
        given = {}
        for row in rows:
            given.setdefault(row.team.slug, []).append([person.name for person in row.assignees])
        ashford_first = rows[0].id if rows[0].team.slug == "ashford-ehu" else rows[1].id
    # Dover's meetings are audited by Ashford's only auditor; Ashford's by Dover's two, in turn.
    assert all(names == ["Alex Auditor"] for names in given["dover-ehu"])
    assert {tuple(names) for names in given["ashford-ehu"][:2]} == {("Dana Dover",), ("Dev Dover",)}
    assert given["ashford-ehu"][0] != given["ashford-ehu"][1]
    # Whoever has Ashford's work this month starts its audit for Ashford, outside their own unit, with no case.
    taker = given["ashford-ehu"][0][0]
    peer = ClientRequest(app.test_client()).login(
        "dana@example.gov.uk" if taker == "Dana Dover" else "dev@example.gov.uk"
    )
    with app.app_context():
        teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
    page = peer.post(
        f"/audits/new?work={ashford_first}",
        {
            "template": "unit-meeting-peer-audit",
            "case_reference": "",
            "team": str(teams["dover-ehu"]),
            "practitioner": "",
        },
        _expected_status=200,
    )
    assert error_summary(page)[0][1] == "#team"
    peer.post(
        f"/audits/new?work={ashford_first}",
        {
            "template": "unit-meeting-peer-audit",
            "case_reference": "",
            "team": str(teams["ashford-ehu"]),
            "practitioner": "",
        },
    )
    with app.app_context():
        from qaf.models import WorkAudit

        link = db.session.scalars(select(WorkAudit)).one()
        assert (link.audit.team.slug, link.audit.case_reference, link.inside_line) == ("ashford-ehu", "", False)
    # Ashford's own auditor is not given Ashford's work.
    signed_in(app, staff, "auditor").get(f"/audits/new?work={ashford_first}", _expected_status=404)


def test_a_persons_own_work_outside_their_line_offers_only_other_teams(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION | {"allocation_line": "outside_line"}))
    work = own_work(app, "auditor@example.gov.uk")[0]
    with app.app_context():
        teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
    alex = signed_in(app, staff, "auditor")
    page = alex.post(
        f"/audits/new?work={work.id}",
        {"template": "sample-audit", "case_reference": "AS-1", "team": str(teams["ashford-ehu"]), "practitioner": ""},
        _expected_status=200,
    )
    assert error_summary(page)[0][1] == "#team"
    start_for_work(alex, work.id, teams["dover-ehu"], "DO-1")


def test_an_activity_for_each_person_that_nobody_does_says_nobody_has_a_target(app, staff, admin):
    admin.post("/programme/activities/new", activity_form(**EVALUATION), _expected_redirect="/programme/activities/1")
    page = admin.get("/programme/activities/1")
    assert page.select_one(".govuk-notification-banner--success") is not None
    # No practitioner works in the Youth Hubs: nobody there does it.
    admin.post(
        "/programme/activities/1/edit",
        activity_form(**EVALUATION | {"who_role": "practitioner", "services": "2"}),
        _expected_redirect="/programme/activities/1",
    )
    page = admin.get("/programme/activities/1")
    lines = [" ".join(line.get_text().split()) for line in page.select(".govuk-notification-banner__heading")]
    assert lines == [
        "The changes have been saved. Future work not yet done follows the new schedule.",
        "No due work was made: nobody is named to do it and nobody has its role in its team or service, "
        "so nobody has a target. Name the people, or choose a role someone there has.",
    ]
    assert page.select_one(".govuk-notification-banner--success") is None
