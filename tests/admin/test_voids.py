"""A QA administrator finds a burst of fake responses, voids it with a reason, and can undo it."""

from datetime import date, timedelta

from sqlalchemy import select

from qaf.extensions import db
from qaf.models import AuditEvent, FeedbackRound, Response
from tests.conftest import error_summary
from tests.reports.conftest import FAMILY_ANSWERS, IN_Q3, headline, respond, workbook_for
from tests.reports.test_pages import Q3, shown_measures

BURST = 12


def add_a_burst(app) -> list[int]:
    """One real family's answer, then a script's twelve "no change" answers a second apart."""
    respond(app, FAMILY_ANSWERS | {"help_helped": "yes_a_lot"}, at=IN_Q3 - timedelta(days=3))
    answers = FAMILY_ANSWERS | {"help_helped": "no_change"}
    return [respond(app, answers, at=IN_Q3 + timedelta(seconds=second)) for second in range(BURST)]


def void_burst(client_request, reason="One address, twelve answers in twelve seconds"):
    page = client_request.get("/admin/voids?from=2026-11-01&to=2026-12-01")
    (choose,) = [link for link in page.select("a") if link.get_text(strip=True).startswith("Choose")]
    chosen = client_request.get(choose["href"])
    ticked = [box["value"] for box in chosen.select("input[name=response][checked]")]
    fields = {field["name"]: field["value"] for field in chosen.select("form[method=post] input[type=hidden]")}
    response = client_request.client.post(
        "/admin/voids", data=fields | {"which": "ticked", "response": ticked, "reason": reason}
    )
    assert response.status_code == 302
    return ticked


def test_a_burst_through_one_link_is_listed_and_voided_with_who_when_and_why_recorded(app, staff, client_request):
    burst = add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get("/admin/voids?from=2026-11-01&to=2026-12-01")
    (row,) = page.select("table")[0].select("tbody tr")
    assert [cell.get_text(strip=True) for cell in row.select("td")][5] == str(BURST)
    assert sorted(int(value) for value in void_burst(client_request)) == burst
    page = client_request.get("/admin/voids")
    assert f"{BURST} responses are voided now" in page.get_text()
    assert "One address, twelve answers in twelve seconds" in page.get_text()
    with app.app_context():
        assert db.session.scalar(select(Response.id).where(Response.void_id.is_(None))) not in burst
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "responses_voided"))
        assert event.actor_id == staff["qa_admin"]["id"]
        assert f"{BURST} responses" in event.description
        assert "twelve answers in twelve seconds" in event.description


def test_voided_responses_leave_the_dashboard_the_workbook_and_the_csv(app, staff, client_request):
    add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    before = shown_measures(client_request.get(f"/reports?{Q3}"))
    assert before["Feedback responses"][0] == str(BURST + 1)
    void_burst(client_request)
    after = shown_measures(client_request.get(f"/reports?{Q3}"))
    assert after["Feedback responses"][0] == "1"
    assert after["Families saying the help helped"][0] == "100.0%"
    assert headline(workbook_for(app))["Feedback responses"]["This period"] == 1
    csv = client_request.client.post("/reports/download/family", data={"period": "2026-27 Q3"})
    assert len(csv.data.decode("utf-8-sig").strip().splitlines()) == 2


def test_undoing_a_void_puts_its_responses_back_in_the_figures_and_is_logged(app, staff, client_request):
    add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    void_burst(client_request)
    page = client_request.get("/admin/voids")
    undo = page.select_one("button[name=undo]")
    response = client_request.client.post("/admin/voids", data={"undo": undo["value"], "csrf_token": ""})
    assert response.status_code == 302
    assert shown_measures(client_request.get(f"/reports?{Q3}"))["Feedback responses"][0] == str(BURST + 1)
    assert "Undone" in client_request.get("/admin/voids").get_text()
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.description).where(AuditEvent.event == "void_undone"))


def test_voiding_without_a_reason_or_a_choice_voids_nothing_and_says_what_is_missing(app, staff, client_request):
    add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post("/admin/voids", {"which": "ticked"}, _expected_status=200)
    assert error_summary(page) == [
        ("Select the responses to void", "#which-ticked"),
        ("Enter why these responses are being voided", "#reason"),
    ]
    with app.app_context():
        assert db.session.scalar(select(Response.id).where(Response.void_id.is_not(None))) is None


def test_the_workbook_says_how_many_responses_of_the_period_were_voided(app, staff, client_request):
    add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    notes = " ".join(str(cell.value) for cell in workbook_for(app)["About"]["B"] if cell.value)
    assert "voided" not in notes
    void_burst(client_request)
    notes = " ".join(str(cell.value) for cell in workbook_for(app)["About"]["B"] if cell.value)
    assert f"{BURST} responses of this period voided by the QA team" in notes


def test_a_rounds_count_leaves_out_voided_responses(app, staff, client_request):
    burst = add_a_burst(app)
    with app.app_context():
        autumn = FeedbackRound(
            form_key="family", name="Autumn", opens_on=date(2026, 10, 1), closes_on=date(2026, 12, 31)
        )
        db.session.add(autumn)
        db.session.flush()
        for response in db.session.scalars(select(Response).where(Response.id.in_(burst))):
            response.round_id = autumn.id
        db.session.commit()
        round_id = autumn.id
    client_request.login(staff["qa_admin"]["email"])

    def counts() -> tuple[str, str]:
        listed = client_request.get("/admin/rounds").select_one("table").get_text(" ", strip=True)
        shown = client_request.get(f"/admin/rounds/{round_id}").get_text(" ", strip=True)
        return listed, shown

    listed, shown = counts()
    assert listed.endswith(f"31 December 2026 {BURST} Open")
    assert f"Responses {BURST}" in shown
    void_burst(client_request)
    listed, shown = counts()
    assert listed.endswith("31 December 2026 0 Open")
    assert "Responses 0" in shown


def test_a_void_without_a_reason_keeps_the_ticked_responses_and_stores_nothing(app, staff, client_request):
    burst = add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    chosen = [str(burst[0]), str(burst[1]), "²", "9" * 25]
    page = client_request.post(
        "/admin/voids",
        {"from": "2026-11-01", "to": "2026-12-01", "which": "ticked", "response": chosen, "reason": " "},
        _expected_status=200,
    )
    assert error_summary(page) == [("Enter why these responses are being voided", "#reason")]
    ticked = {box["value"] for box in page.select("input[name=response][checked]")}
    assert ticked == {str(burst[0]), str(burst[1])}
    with app.app_context():
        assert db.session.scalar(select(Response.id).where(Response.void_id.is_not(None))) is None


def test_a_time_that_cannot_be_read_is_said_so_and_shown_as_typed(app, staff, client_request):
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.get("/admin/voids?from=2026-02-30+25:61&to=99999999999999999999")
    assert error_summary(page) == [
        ("Enter the time to search from as YYYY-MM-DD HH:MM, like 2026-11-30 14:05", "#from"),
        ("Enter the time to search before as YYYY-MM-DD HH:MM, like 2026-11-30 14:05", "#to"),
    ]
    assert page.select_one("#from")["value"] == "2026-02-30 25:61"
    assert page.select_one("#to")["aria-describedby"] == "to-error"


def test_after_a_mistake_the_void_form_posts_only_what_the_person_chose(app, staff, client_request):
    add_a_burst(app)
    client_request.login(staff["qa_admin"]["email"])
    page = client_request.post(
        "/admin/voids", {"from": "2026-11-01", "to": "2026-12-01", "which": "all", "reason": ""}, _expected_status=200
    )
    form = page.select_one('main form[method=post][action="/admin/voids"]')
    hidden = sorted(field["name"] for field in form.select("input[type=hidden]") if field["name"] != "csrf_token")
    assert hidden == ["form", "from", "team", "to"]
