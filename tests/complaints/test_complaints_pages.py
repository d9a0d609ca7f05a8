"""Logging, listing and changing complaints and compliments: scoped like the rest of QAF, naming nobody."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, Case
from tests.complaints.conftest import add_entry, posted, stored
from tests.conftest import error_summary

ROLES = ("practitioner", "auditor", "service_manager", "qa_admin")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_list_and_the_form_and_the_navigation_links_to_it(client_request, staff, role):
    client_request.login(staff[role]["email"])
    page = client_request.get("/complaints")
    assert page.h1.get_text() == "Complaints and compliments"
    assert "/complaints" in [link["href"] for link in client_request.get("/staff").select("nav a, header a")]
    form = client_request.get("/complaints/new")
    assert "Do not name the child" in form.get_text()
    assert "Do not name anyone" in form.select_one("#learning-hint").get_text()


def test_a_worker_logs_a_complaint_for_their_team_and_sees_it_listed(app, client_request, staff):
    client_request.login(staff["practitioner"]["email"])
    client_request.post("/complaints/new", posted(app))
    (record,) = stored(app)
    assert (record.kind, record.theme, record.outcome) == ("complaint", "communication", "partly_upheld")
    assert record.received_on == date.today()
    assert record.logged_by_id == staff["practitioner"]["id"]
    page = client_request.get("/complaints")
    rows = [" ".join(row.get_text().split()) for row in page.select("tbody tr")]
    assert len(rows) == 1
    assert "Ashford Early Help Unit (Early Help Units)" in rows[0]
    assert "Partly upheld" in rows[0]
    assert "the unit now texts the day before" in rows[0]


def test_a_compliment_has_no_outcome(app, client_request, staff):
    client_request.login(staff["auditor"]["email"])
    client_request.post("/complaints/new", posted(app, kind="compliment", outcome="", theme="listening"))
    (record,) = stored(app)
    assert (record.kind, record.outcome) == ("compliment", None)


def test_each_person_sees_only_their_part_of_the_organisation(app, client_request, staff):
    add_entry(app, team="ashford-ehu", learning="Ashford learning")
    add_entry(app, team="dover-ehu", learning="Dover learning")
    add_entry(app, team="thanet-youth", learning="Thanet learning")
    seen = {}
    for who in ("practitioner", "auditor", "service_manager", "qa_admin", "other_auditor"):
        client_request.login(staff[who]["email"])
        text = client_request.get("/complaints").select_one("main").get_text()
        seen[who] = {place for place in ("Ashford", "Dover", "Thanet") if f"{place} learning" in text}
        client_request.post("/sign-out", {})
    assert seen == {
        "practitioner": {"Ashford"},
        "auditor": {"Ashford"},
        "service_manager": {"Ashford", "Dover"},
        "qa_admin": {"Ashford", "Dover", "Thanet"},
        "other_auditor": {"Thanet"},
    }


@pytest.mark.parametrize(
    ("who", "team", "status"),
    [
        ("practitioner", "ashford-ehu", 200),
        ("practitioner", "dover-ehu", 403),
        ("auditor", "dover-ehu", 403),
        ("service_manager", "dover-ehu", 200),
        ("service_manager", "thanet-youth", 403),
        ("other_auditor", "ashford-ehu", 403),
        ("qa_admin", "thanet-youth", 200),
    ],
)
def test_an_entry_is_changed_only_by_someone_who_may_log_it_for_its_team(app, client_request, staff, who, team, status):
    entry_id = add_entry(app, team=team)
    client_request.login(staff[who]["email"])
    client_request.get(f"/complaints/{entry_id}/edit", _expected_status=status)
    client_request.post(
        f"/complaints/{entry_id}/edit",
        posted(app, team=team, outcome="upheld"),
        _expected_status=status if status != 200 else 302,
    )
    (record,) = stored(app)
    assert record.outcome == "upheld"
    assert (record.theme == "communication") == (status == 200)


def test_a_missing_entry_is_not_found(client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    client_request.get("/complaints/9999/edit", _expected_status=404)


def test_changing_an_entry_keeps_it_and_writes_the_audit_log(app, client_request, staff):
    entry_id = add_entry(app, outcome="in_progress", learning="")
    client_request.login(staff["auditor"]["email"])
    page = client_request.get(f"/complaints/{entry_id}/edit")
    assert page.select_one("#outcome option[selected]")["value"] == "in_progress"
    client_request.post(f"/complaints/{entry_id}/edit", posted(app, outcome="not_upheld", learning="Explain the plan."))
    (record,) = stored(app)
    assert (record.outcome, record.learning) == ("not_upheld", "Explain the plan.")
    with app.app_context():
        events = [event.description for event in db.session.scalars(select(AuditEvent))]
    assert any("complaint 1: theme, outcome, learning changed" in text for text in events), events


def test_logging_for_a_team_outside_your_scope_is_refused_and_stores_nothing(app, client_request, staff):
    client_request.login(staff["practitioner"]["email"])
    page = client_request.post("/complaints/new", posted(app, team="dover-ehu"), _expected_status=200)
    assert ("Select the team from the list", "#team") in error_summary(page)
    assert stored(app) == []


def test_an_empty_form_says_what_is_missing(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post("/complaints/new", {}, _expected_status=200)
    assert page.title.get_text().startswith("Error: ")
    assert error_summary(page) == [
        ("Select whether it is a complaint or a compliment", "#kind"),
        ("Enter the date it was received", "#received_on-day"),
        ("Select the team", "#team"),
        ("Select what it is mainly about", "#theme"),
    ]
    assert stored(app) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "complaint", "outcome": ""}, "Select the outcome of the complaint, or ‘In progress’"),
        (
            {"kind": "compliment", "outcome": "upheld"},
            "Leave the outcome at ‘Choose one’ for a compliment: outcomes are for complaints",
        ),
        ({"outcome": "sort_of"}, "Select the outcome of the complaint from the list"),
        ({"theme": "weather"}, "Select what it is mainly about from the list"),
        ({"learning": "x" * 2001}, "What was learnt must be 2,000 characters or less"),
    ],
)
def test_wrong_answers_get_a_clear_error_and_nothing_is_stored(app, client_request, staff, changes, message):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post("/complaints/new", posted(app, **changes), _expected_status=200)
    assert message in [text for text, _link in error_summary(page)]
    assert stored(app) == []


def test_a_date_in_the_future_is_refused(app, client_request, staff):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post(
        "/complaints/new", posted(app, day=date.today() + timedelta(days=2)), _expected_status=200
    )
    assert ("The date it was received must be today or in the past", "#received_on-day") in error_summary(page)
    assert stored(app) == []


IDENTIFIERS = [
    ("Mum of EH-104233 said the visits were late", "Remove the case reference"),
    ("The Mosaic number is 1234567", "Remove the case reference"),
    ("Child DOB 3/4/2015, visits late", "Remove the date"),
    ("Born on 3 March, the youngest was upset", "Remove the date"),
    ("Late visits, see 12.03.15", "Remove the date"),
    ("Mrs Smith was not called back", "Remove the name"),
    ("Write to mum at mum@example.com", "Remove the email address"),
    ("The family at CT9 1AB moved", "Remove the postcode"),
    ("Phone them on 07700 900123", "Remove the case reference"),
]


@pytest.mark.parametrize(("learning", "start"), IDENTIFIERS)
def test_learning_that_identifies_someone_is_refused_and_stores_nothing(app, client_request, staff, learning, start):
    client_request.login(staff["practitioner"]["email"])
    page = client_request.post("/complaints/new", posted(app, learning=learning), _expected_status=200)
    ((text, link),) = error_summary(page)
    assert text.startswith(start), text
    assert text.endswith("nobody should be identifiable from it"), text
    assert link == "#learning"
    assert learning in page.select_one("#learning").get_text()
    assert stored(app) == []


def test_a_reference_from_the_case_list_is_refused_however_short(app, client_request, staff):
    entry_id = add_entry(app)
    with app.app_context():
        db.session.add(Case(reference="K12", team_id=stored(app)[0].team_id, opened_on=date.today()))
        db.session.commit()
    client_request.login(staff["practitioner"]["email"])
    page = client_request.post("/complaints/new", posted(app, learning="Case k12 waited."), _expected_status=200)
    assert error_summary(page)[0][0].startswith("Remove the case reference")
    assert [record.id for record in stored(app)] == [entry_id]


@pytest.mark.parametrize(
    "learning",
    ["Visits in 2026-27 Q3 were late", "The 100th family this year", "Covid-19 delays at the school", "Year 10 pupil"],
)
def test_ordinary_learning_is_accepted(app, client_request, staff, learning):
    client_request.login(staff["practitioner"]["email"])
    client_request.post("/complaints/new", posted(app, learning=learning))
    assert [record.learning for record in stored(app)] == [learning]


def test_the_list_shows_the_quarter_asked_for_and_refuses_a_name_it_cannot_read(app, client_request, staff):
    add_entry(app, received_on=date(2026, 11, 3), learning="Autumn learning")
    add_entry(app, received_on=date(2026, 8, 3), learning="Summer learning")
    client_request.login(staff["qa_admin"]["email"])
    text = client_request.get("/complaints?period=2026-27 Q3").select_one("main").get_text()
    assert "Autumn learning" in text
    assert "Summer learning" not in text
    assert "1 complaint and 0 compliments" in " ".join(text.split())
    page = client_request.get("/complaints?period=sometime")
    assert error_summary(page)[0][1] == "#period"
