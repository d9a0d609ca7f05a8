"""Partner rounds and staff survey waves: links that work only while open, responses tagged."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import AuditEvent, FeedbackRound, Response
from tests.conftest import ClientRequest, error_summary

TODAY = date.today()


def day_fields(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def add_round(app, form_key, opens, closes, name="April to September") -> int:
    with app.app_context():
        found = FeedbackRound(form_key=form_key, name=name, opens_on=opens, closes_on=closes)
        db.session.add(found)
        db.session.commit()
        return found.id


@pytest.fixture
def round_forms(app):
    from qaf.forms_registry import all_forms

    with app.app_context():
        keys = {spec.rounds: key for key, spec in all_forms().items() if spec.rounds}
    if "optional" not in keys:
        pytest.skip("no form is collected in rounds")
    return keys


def test_a_qa_administrator_opens_a_round_and_gets_its_link(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    form_key = round_forms["optional"]
    page = admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "April to September 2026"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY + timedelta(days=30)),
        _expected_status=302,
    )
    assert page is None
    with app.app_context():
        round_id = db.session.scalar(select(FeedbackRound.id))
    page = admin.get(f"/admin/rounds/{round_id}")
    assert f"/feedback/{form_key}/rounds/{round_id}" in page.get_text()
    assert page.select_one("svg[role=img]")


def test_a_round_must_close_after_it_opens(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        "/admin/rounds/new",
        {"form": round_forms["optional"], "name": "Backwards"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY - timedelta(days=1)),
        _expected_status=200,
    )
    assert error_summary(page) == [("The closing date must be the same as or after the opening date", "#closes_on-day")]


def test_answers_through_an_open_round_are_tagged_with_it(app, client_request, round_forms):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY, TODAY)
    page = client_request.get(f"/feedback/{form_key}/rounds/{round_id}")
    assert "You are answering for April to September." in page.get_text()
    with app.app_context():
        from qaf.forms_registry import all_forms

        spec = all_forms()[form_key]
        answers = {}
        for question in spec.questions:
            if question.required and question.options:
                answers[question.id] = question.options[0].value
            elif question.required:
                answers[question.id] = "Fine"
    client_request.post(f"/feedback/{form_key}/rounds/{round_id}", answers)
    with app.app_context():
        assert db.session.scalars(select(Response)).one().round_id == round_id


@pytest.mark.parametrize(
    ("opens", "closes", "heading"),
    [
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1), "April to September has closed"),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=10), "April to September has not opened yet"),
    ],
)
def test_a_closed_round_takes_no_answers(app, client_request, round_forms, opens, closes, heading):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, opens, closes)
    page = client_request.get(f"/feedback/{form_key}/rounds/{round_id}")
    assert page.h1.get_text(strip=True) == heading
    client_request.post(f"/feedback/{form_key}/rounds/{round_id}", {}, _expected_status=200)
    with app.app_context():
        assert db.session.scalars(select(Response)).all() == []


def test_a_round_of_another_form_is_not_found(app, client_request, round_forms):
    round_id = add_round(app, round_forms["optional"], TODAY, TODAY)
    client_request.get(f"/feedback/family/rounds/{round_id}", _expected_status=404)


def test_the_ad_hoc_link_stays_open_without_a_round(app, client_request, round_forms):
    page = client_request.get(f"/feedback/{round_forms['optional']}")
    assert page.select("form")


def test_a_survey_in_waves_sends_people_to_the_open_wave_or_says_it_is_closed(app, client_request, round_forms):
    if "required" not in round_forms:
        pytest.skip("no form is collected only in waves")
    form_key = round_forms["required"]
    page = client_request.get(f"/feedback/{form_key}")
    assert "not open at the moment" in page.get_text()
    wave_id = add_round(app, form_key, TODAY, TODAY, name="Autumn 2026")
    response = client_request.client.get(f"/feedback/{form_key}")
    assert response.headers["Location"] == f"/feedback/{form_key}/rounds/{wave_id}"


# --- Waves that overlap ------------------------------------------------------------------------


def test_two_waves_open_at_once_send_the_survey_link_to_the_one_opened_last(app, client_request, round_forms):
    """Waves set up before overlaps were refused: the link goes to the newest, not to "not open"."""
    form_key = round_forms["required"]
    add_round(app, form_key, TODAY - timedelta(days=20), TODAY + timedelta(days=5), name="Summer 2026")
    newest = add_round(app, form_key, TODAY - timedelta(days=2), TODAY + timedelta(days=30), name="Autumn 2026")
    response = client_request.client.get(f"/feedback/{form_key}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/feedback/{form_key}/rounds/{newest}"


def test_a_wave_overlapping_another_wave_of_the_survey_is_refused(app, staff, round_forms):
    form_key = round_forms["required"]
    add_round(app, form_key, TODAY, TODAY + timedelta(days=30), name="Autumn 2026")
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "Winter 2026"}
        | day_fields("opens_on", TODAY + timedelta(days=30))
        | day_fields("closes_on", TODAY + timedelta(days=60)),
        _expected_status=200,
    )
    ((message, link),) = error_summary(page)
    assert message.startswith("Autumn 2026 is open from ")
    assert "cannot overlap, because its link goes to the one wave that is open" in message
    assert link == "#opens_on-day"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedbackRound)) == 1


def test_a_wave_may_open_the_day_after_the_last_one_closes(app, staff, round_forms):
    form_key = round_forms["required"]
    add_round(app, form_key, TODAY, TODAY + timedelta(days=30), name="Autumn 2026")
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "Winter 2026"}
        | day_fields("opens_on", TODAY + timedelta(days=31))
        | day_fields("closes_on", TODAY + timedelta(days=60)),
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedbackRound)) == 2


def test_partner_rounds_may_overlap_each_has_its_own_link(app, staff, round_forms):
    form_key = round_forms["optional"]
    add_round(app, form_key, TODAY, TODAY + timedelta(days=30), name="Schools, autumn")
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "Health, autumn"} | day_fields("opens_on", TODAY) | day_fields("closes_on", TODAY),
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FeedbackRound)) == 2


def test_a_wave_cannot_be_changed_to_overlap_another(app, staff, round_forms):
    form_key = round_forms["required"]
    add_round(app, form_key, TODAY, TODAY + timedelta(days=30), name="Autumn 2026")
    winter = add_round(app, form_key, TODAY + timedelta(days=40), TODAY + timedelta(days=60), name="Winter 2026")
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        f"/admin/rounds/{winter}/edit",
        {"name": "Winter 2026"}
        | day_fields("opens_on", TODAY + timedelta(days=10))
        | day_fields("closes_on", TODAY + timedelta(days=60)),
        _expected_status=200,
    )
    assert error_summary(page)[0][0].startswith("Autumn 2026 is open from ")
    with app.app_context():
        assert db.session.get(FeedbackRound, winter).opens_on == TODAY + timedelta(days=40)


# --- Changing, closing early and deleting -------------------------------------------------------


def audit_events(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(event.event, event.description) for event in db.session.scalars(select(AuditEvent))]


def store_through(app, form_key: str, round_id: int, answers: dict | None = None) -> None:
    from qaf.forms_registry import all_forms
    from qaf.responses import store_response

    with app.app_context():
        store_response(all_forms()[form_key], answers or {}, team_id=None, stage=None, round_id=round_id)


def test_a_qa_administrator_changes_a_rounds_name_and_dates(app, staff, round_forms):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY, TODAY + timedelta(days=10))
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get(f"/admin/rounds/{round_id}")
    assert page.select_one(f"a[href='/admin/rounds/{round_id}/edit']")
    page = admin.get(f"/admin/rounds/{round_id}/edit")
    assert page.h1.get_text(strip=True) == "Change April to September"
    assert page.select_one("#name")["value"] == "April to September"
    assert page.select_one("#closes_on-day")["value"] == str((TODAY + timedelta(days=10)).day)
    admin.post(
        f"/admin/rounds/{round_id}/edit",
        {"name": "April to October"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY + timedelta(days=40)),
        _expected_redirect=f"/admin/rounds/{round_id}",
    )
    with app.app_context():
        found = db.session.get(FeedbackRound, round_id)
        assert (found.name, found.form_key, found.closes_on) == (
            "April to October",
            form_key,
            TODAY + timedelta(days=40),
        )
    assert audit_events(app)[-1][0] == "round_changed"


def test_a_change_with_the_dates_backwards_is_refused_and_nothing_changes(app, staff, round_forms):
    round_id = add_round(app, round_forms["optional"], TODAY, TODAY + timedelta(days=10))
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        f"/admin/rounds/{round_id}/edit",
        {"name": "Renamed"} | day_fields("opens_on", TODAY) | day_fields("closes_on", TODAY - timedelta(days=1)),
        _expected_status=200,
    )
    assert error_summary(page) == [("The closing date must be the same as or after the opening date", "#closes_on-day")]
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id).name == "April to September"


def test_closing_a_round_early_closes_it_today(app, staff, round_forms, client_request):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY - timedelta(days=5), TODAY + timedelta(days=25))
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get(f"/admin/rounds/{round_id}")
    close = page.select_one(f"form[action='/admin/rounds/{round_id}/close']")
    assert close.select_one("input[name=csrf_token]")
    admin.post(f"/admin/rounds/{round_id}/close", {}, _expected_redirect=f"/admin/rounds/{round_id}")
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id).closes_on == TODAY
    assert audit_events(app)[-1] == ("round_closed", f"round {round_id}: April to September, closes {TODAY}")
    page = admin.get(f"/admin/rounds/{round_id}")
    assert not page.select_one(f"form[action='/admin/rounds/{round_id}/close']")
    assert "closes at the end of today" in page.get_text()


@pytest.mark.parametrize(
    ("opens", "closes"),
    [
        (TODAY - timedelta(days=10), TODAY - timedelta(days=1)),  # closed already
        (TODAY + timedelta(days=1), TODAY + timedelta(days=10)),  # not open yet: change or delete it instead
    ],
)
def test_only_an_open_round_can_be_closed_early(app, staff, round_forms, opens, closes):
    round_id = add_round(app, round_forms["optional"], opens, closes)
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    admin.post(f"/admin/rounds/{round_id}/close", {}, _expected_status=403)
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id).closes_on == closes


def test_a_round_nothing_came_through_is_deleted_after_confirming(app, staff, round_forms, client_request):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY, TODAY + timedelta(days=10))
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get(f"/admin/rounds/{round_id}/delete")
    assert page.h1.get_text(strip=True) == "Delete April to September"
    form = page.select_one(f"form[action='/admin/rounds/{round_id}/delete']")
    assert form.select_one("input[name=csrf_token]")
    assert form.select_one("button").get_text(strip=True) == "Yes, delete it"
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id) is not None  # looking at the page deletes nothing
    admin.post(f"/admin/rounds/{round_id}/delete", {}, _expected_redirect="/admin/rounds")
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id) is None
    assert audit_events(app)[-1] == ("round_deleted", f"round {round_id}: April to September")
    client_request.get(f"/feedback/{form_key}/rounds/{round_id}", _expected_status=404)


def test_a_round_with_answers_is_closed_never_deleted_and_the_page_says_why(app, staff, round_forms):
    form_key = round_forms["optional"]
    round_id = add_round(app, form_key, TODAY - timedelta(days=3), TODAY + timedelta(days=10))
    store_through(app, form_key, round_id)
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get(f"/admin/rounds/{round_id}/delete")
    assert page.h1.get_text(strip=True) == "You cannot delete April to September"
    assert "A round or wave with answers is closed, never deleted." in page.get_text()
    assert not page.select_one(f"form[action='/admin/rounds/{round_id}/delete']")
    assert page.select_one(f"form[action='/admin/rounds/{round_id}/close']")
    page = admin.post(f"/admin/rounds/{round_id}/delete", {}, _expected_status=200)
    assert page.h1.get_text(strip=True) == "You cannot delete April to September"
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id) is not None
        assert db.session.scalars(select(Response)).one().round_id == round_id
    assert "round_deleted" not in [event for event, _text in audit_events(app)]


def test_opening_a_round_is_in_the_audit_log(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    admin.post(
        "/admin/rounds/new",
        {"form": round_forms["optional"], "name": "Autumn"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY),
    )
    assert audit_events(app)[-1][0] == "round_added"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "edit"), ("POST", "edit"), ("POST", "close"), ("GET", "delete"), ("POST", "delete")],
)
def test_only_qa_administrators_change_close_or_delete_rounds(app, staff, round_forms, method, path):
    round_id = add_round(app, round_forms["optional"], TODAY, TODAY + timedelta(days=10))
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    response = manager.client.open(f"/admin/rounds/{round_id}/{path}", method=method, data={})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(FeedbackRound, round_id).closes_on == TODAY + timedelta(days=10)


def test_closing_or_deleting_without_the_pages_token_is_refused(tmp_path):
    from qaf.auth.passwords import hash_password
    from qaf.models import User
    from tests.conftest import PASSWORD, empty_database, make_app

    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            db.session.add(
                User(email="qa@example.gov.uk", name="Q", role="qa_admin", password_hash=hash_password(PASSWORD))
            )
            db.session.commit()
        round_id = add_round(app, "partner", TODAY, TODAY + timedelta(days=10))
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").get_data(as_text=True))
        client.post("/sign-in", data={"email": "qa@example.gov.uk", "password": PASSWORD, "csrf_token": token[1]})
        assert client.post(f"/admin/rounds/{round_id}/close", data={}).status_code == 400
        assert client.post(f"/admin/rounds/{round_id}/delete", data={}).status_code == 400
        with app.app_context():
            assert db.session.get(FeedbackRound, round_id).closes_on == TODAY + timedelta(days=10)
    finally:
        empty_database(app)


# --- The staff asked -------------------------------------------------------------------------


def test_a_wave_records_the_staff_asked_and_shows_its_response_rate(app, staff, round_forms):
    form_key = round_forms["required"]
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    admin.post(
        "/admin/rounds/new",
        {"form": form_key, "name": "Autumn 2026", "staff_count": "40"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY + timedelta(days=20)),
    )
    with app.app_context():
        wave = db.session.scalars(select(FeedbackRound)).one()
        assert wave.staff_count == 40
    for _ in range(10):
        store_through(app, form_key, wave.id, {"role": "practitioner"})
    page = admin.get(f"/admin/rounds/{wave.id}")
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Staff asked"] == "40"
    assert rows["Response rate"] == "25.0% (10 of 40 staff asked)"


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "The number of staff asked must be between 1 and 1,000,000"),
        ("forty", "The number of staff asked must be a whole number, like 3"),
    ],
)
def test_a_staff_count_that_is_not_a_number_of_people_is_refused(app, staff, round_forms, count, message):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        "/admin/rounds/new",
        {"form": round_forms["required"], "name": "Autumn", "staff_count": count}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY),
        _expected_status=200,
    )
    assert error_summary(page) == [(message, "#staff_count")]


def test_a_partner_round_takes_no_staff_count(app, staff, round_forms):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.post(
        "/admin/rounds/new",
        {"form": round_forms["optional"], "name": "Autumn", "staff_count": "12"}
        | day_fields("opens_on", TODAY)
        | day_fields("closes_on", TODAY),
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Leave the number of staff empty: it is only for staff survey waves", "#staff_count")
    ]
    with app.app_context():
        assert db.session.scalars(select(FeedbackRound)).all() == []
