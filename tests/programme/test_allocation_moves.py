"""Allocation at scale: each auditor's load shown before allocating, many allocations moved or cancelled at
once (each checked as one change is), and QA administrators who receive work among those who can be chosen."""

from datetime import date

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Allocation, Team
from tests.conftest import ClientRequest, error_summary
from tests.programme.conftest import signed_in
from tests.programme.records import programme_records
from tests.programme.test_allocation import DUE, allocations, date_fields, draw, edit_activity, make_activity

DUE_TEXT = DUE.strftime("%-d %B %Y")
DUE_MONTH = "this month" if (DUE.year, DUE.month) == (date.today().year, date.today().month) else DUE.strftime("%B %Y")


@pytest.fixture
def allocated(app, staff, admin, cases) -> dict[str, int]:
    """The four cases sampled and allocated: EH-0001 to Olu, EH-0003 to Alex (each works on the other's)."""
    make_activity(admin)
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    with app.app_context():
        return dict(db.session.execute(select(Allocation.case_reference, Allocation.id)).all())


@pytest.fixture
def cases(app, staff):
    from tests.programme.conftest import add_cases

    add_cases(
        app,
        {"worker_email": "auditor@example.gov.uk", "worker_id": staff["auditor"]["id"]},
        {"worker_email": "worker@example.gov.uk", "worker_id": staff["practitioner"]["id"]},
        {"team": "thanet-youth", "worker_email": "other@example.gov.uk"},
        {"team": "dover-ehu"},
    )


def banner(page) -> list[str]:
    return [" ".join(line.get_text().split()) for line in page.select(".govuk-notification-banner__heading")]


def green(page) -> bool:
    """Whether the page's banner is a success banner (not an important one)."""
    return page.select_one(".govuk-notification-banner--success") is not None


def move(admin, ids, to="", intent="move", **expected):
    admin.client.get("/programme/allocations")  # the messages of what came before are shown, and gone
    return admin.post(
        "/programme/allocations/move", {"allocation": [str(i) for i in ids], "to": to, "intent": intent}, **expected
    )


def test_many_allocations_move_at_once_and_each_is_checked_against_the_quota(app, staff, admin, allocated):
    manager = staff["service_manager"]["id"]
    edit_activity(admin, people=str(manager))
    admin.post(f"/programme/auditors/{manager}", {"per_month": "2"})
    move(admin, allocated.values(), to=str(manager), _expected_redirect="/programme/allocations")
    page = admin.get("/programme/allocations")
    messages = banner(page)
    assert messages[0] == "2 allocations moved to Sam Manager."
    assert not green(page), "two were not moved: not a success"
    assert messages[1:] == [
        f"Not moved: EH-000{n} (due {DUE_TEXT}): Sam Manager already has 2 of their 2 cases a month due in "
        f"{DUE.strftime('%B %Y')}"
        for n in (3, 4)
    ]
    assert sorted(reference for reference, email in allocations(app).items() if email == "sm@example.gov.uk") == [
        "EH-0001",
        "EH-0002",
    ]


def test_nobody_is_given_their_own_case_and_started_audits_stay(app, staff, admin, allocated):
    alex = signed_in(app, staff, "auditor")
    alex.client.post(f"/programme/allocations/{allocated['EH-0003']}/start")
    move(admin, [allocated["EH-0001"], allocated["EH-0003"]], to=str(staff["auditor"]["id"]))
    page = admin.get("/programme/allocations")
    messages = banner(page)
    assert not green(page)
    assert messages == [
        "No allocations were moved to Alex Auditor.",
        f"Not moved: EH-0001 (due {DUE_TEXT}): Alex Auditor works on this case: nobody audits their own cases",
        f"Not moved: EH-0003 (due {DUE_TEXT}): its audit has been started",
    ]
    assert allocations(app)["EH-0001"] == "other@example.gov.uk"


def test_ticked_allocations_are_cancelled_and_can_be_allocated_again(app, staff, admin, allocated):
    ticked = [allocated["EH-0002"], allocated["EH-0004"]]
    move(admin, ticked, intent="cancel", _expected_redirect="/programme/allocations")
    page = admin.get("/programme/allocations")
    assert banner(page) == ["2 allocations cancelled."]
    assert green(page)
    assert set(allocations(app)) == {"EH-0001", "EH-0003"}
    move(admin, ticked[:1], intent="cancel")
    page = admin.get("/programme/allocations")
    assert not green(page)
    assert banner(page) == [
        "No allocations were cancelled.",
        f"Not cancelled: EH-0002 (due {DUE_TEXT}): it is cancelled already",
    ]


def test_nothing_ticked_or_nobody_chosen_is_said_and_nothing_moves(app, staff, admin, allocated):
    before = allocations(app)
    page = move(admin, [], _expected_status=200)
    assert error_summary(page) == [
        ("Select the allocations to move or cancel", "#choose-allocations"),
        ("Select who to move the allocations to", "#to"),
    ]
    assert page.title.get_text().startswith("Error: ")
    page = move(admin, [allocated["EH-0002"]], to=str(staff["practitioner"]["id"]), _expected_status=200)
    assert error_summary(page) == [("Select who to move the allocations to", "#to")]
    assert page.select_one(f"#allocation-{allocated['EH-0002']}").has_attr("checked")
    assert allocations(app) == before


def test_a_peer_review_moves_only_to_someone_who_may_review(app, staff, admin):
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "ashford-ehu"))
        ids = programme_records(staff, team)
        db.session.commit()
        second = db.session.scalar(select(Allocation.id).where(Allocation.kind == "peer_review"))
    move(admin, [second], to=str(staff["auditor"]["id"]))
    [summary, problem] = banner(admin.get("/programme/allocations"))
    assert summary == "No allocations were moved to Alex Auditor."
    assert "Alex Auditor may not review this audit" in problem
    assert ids["allocation"] != second


@pytest.mark.parametrize(("who", "status"), [("service_manager", 403), ("auditor", 403), ("practitioner", 403)])
def test_only_the_qa_team_moves_allocations(app, staff, allocated, who, status):
    move(signed_in(app, staff, who), allocated.values(), to=str(staff["auditor"]["id"]), _expected_status=status)
    assert ClientRequest(app.test_client()).client.post("/programme/allocations/move").status_code == 302
    assert app.test_client().get("/programme/allocations/move").status_code == 405
    assert allocations(app)["EH-0001"] == "other@example.gov.uk"


def test_a_move_without_the_forms_csrf_token_is_refused(app, staff, admin, allocated):
    app.config["WTF_CSRF_ENABLED"] = True
    response = admin.client.post("/programme/allocations/move", data={"allocation": "1", "intent": "cancel"})
    assert response.status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    assert len(allocations(app)) == 4


def test_loads_are_shown_before_allocating_and_in_the_auditor_choices(app, staff, admin, cases):
    make_activity(admin)
    admin.post(f"/programme/auditors/{staff['auditor']['id']}", {"per_month": "3"})
    sample_id = draw(admin)
    page = admin.get(f"/programme/samples/{sample_id}")
    table = next(table for table in page.select("table") if "their load" in table.caption.get_text())
    rows = {
        row.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
        for row in table.select("tbody tr")
    }
    assert rows["Alex Auditor"][2:] == ["0", "3"]
    assert rows["Olu Other"][2:] == ["0", "No limit"]
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    page = admin.get(f"/programme/samples/{sample_id}")
    table = next(table for table in page.select("table") if "their load" in table.caption.get_text())
    assert any(
        row.get_text(" ", strip=True).startswith("Alex Auditor Ashford Early Help Unit 2 3")
        for row in table.select("tbody tr")
    )

    allocation_id = db_allocation_id(app, "EH-0002")
    options = [
        option.get_text() for option in admin.get(f"/programme/allocations/{allocation_id}").select("#auditor option")
    ]
    due = "this month" if DUE_MONTH == "this month" else f"due in {DUE_MONTH}"
    assert f"Alex Auditor, Ashford Early Help Unit (2 of 3 {due})" in options
    assert f"Olu Other, Thanet Youth Hub (2 {due}, no quota)" in options
    options = [option.get_text() for option in admin.get("/programme/allocations").select("#to option")]
    assert any(option.startswith("Alex Auditor, Ashford Early Help Unit (") for option in options)


def db_allocation_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Allocation.id).where(Allocation.case_reference == reference))


def test_a_qa_administrator_who_receives_work_can_be_chosen(app, staff, admin, allocated):
    def choices() -> list[str]:
        page = admin.get(f"/programme/allocations/{allocated['EH-0002']}")
        return [option.get_text().split(",")[0] for option in page.select("#auditor option")]

    assert "Quinn Admin" not in choices()
    edit_activity(admin, people=str(staff["qa_admin"]["id"]))
    assert "Quinn Admin" in choices()
    assert "Quinn Admin" in admin.get("/programme/auditors").get_text()
    move(admin, [allocated["EH-0002"]], to=str(staff["qa_admin"]["id"]))
    assert allocations(app)["EH-0002"] == "qa@example.gov.uk"


def choices(admin, allocation_id: int) -> list[str]:
    page = admin.get(f"/programme/allocations/{allocation_id}")
    return [option.get_text().split(",")[0] for option in page.select("#auditor option") if option["value"]]


def test_a_move_is_checked_against_the_activitys_people_and_scope(app, staff, admin, cases):
    """An Early Help Units activity for its auditors and Sam, named: Olu, of the Youth Hubs, is neither."""
    make_activity(admin, services="1", people=str(staff["service_manager"]["id"]))
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    ids = dict(sorted(allocations_by_reference(app).items()))
    assert list(ids) == ["EH-0001", "EH-0002", "EH-0004"], "the Youth Hub's case is not the units' to sample"
    move(admin, ids.values(), to=str(staff["other_auditor"]["id"]))
    assert banner(admin.get("/programme/allocations")) == ["No allocations were moved to Olu Other."] + [
        f"Not moved: {reference} (due {DUE_TEXT}): Olu Other is not one of the activity's people (its named people "
        "and role, in its scope)"
        for reference in ids
    ]
    assert "other@example.gov.uk" not in allocations(app).values()
    assert choices(admin, ids["EH-0002"]) == ["Alex Auditor", "Sam Manager"]
    assert choices(admin, ids["EH-0001"]) == ["Sam Manager"], "Alex works on EH-0001"
    page = admin.post(
        f"/programme/allocations/{ids['EH-0002']}",
        {"auditor": str(staff["other_auditor"]["id"]), "cancel": "no", **date_fields("due_date", DUE)},
        _expected_status=200,
    )
    assert error_summary(page) == [
        ("Olu Other is not one of the activity's people (its named people and role, in its scope)", "#auditor")
    ]


def test_a_move_keeps_to_the_activitys_line_rule(app, staff, admin, cases):
    """Outside the line: EH-0002 (Ashford's) is Olu's, EH-0004 (Dover's) is Alex's; Alex is Ashford's."""
    make_activity(admin, line="outside_line")
    sample_id = draw(admin)
    admin.post(f"/programme/samples/{sample_id}/allocate", {})
    ids = allocations_by_reference(app)
    move(admin, [ids["EH-0002"]], to=str(staff["auditor"]["id"]))
    assert banner(admin.get("/programme/allocations")) == [
        "No allocations were moved to Alex Auditor.",
        f"Not moved: EH-0002 (due {DUE_TEXT}): Alex Auditor is inside this case's line: the activity's cases are "
        "audited from outside the auditor's line",
    ]
    assert choices(admin, ids["EH-0002"]) == ["Olu Other"]
    assert choices(admin, ids["EH-0004"]) == ["Alex Auditor", "Olu Other"]
    move(admin, [ids["EH-0004"]], to=str(staff["other_auditor"]["id"]))
    assert allocations(app)["EH-0004"] == "other@example.gov.uk"


def test_the_allocation_page_shows_the_current_auditor_and_due_date_and_a_new_date_keeps_the_auditor(
    app, staff, admin, allocated
):
    page = admin.get(f"/programme/allocations/{allocated['EH-0001']}")
    assert page.select_one("#auditor option[selected]")["value"] == str(staff["other_auditor"]["id"])
    assert [int(page.select_one(f"#due_date-{part}")["value"]) for part in ("day", "month", "year")] == [
        DUE.day,
        DUE.month,
        DUE.year,
    ]
    later = DUE.replace(day=1) if DUE.day > 1 else DUE.replace(day=2)
    admin.post(
        f"/programme/allocations/{allocated['EH-0001']}",
        {"auditor": str(staff["other_auditor"]["id"]), "cancel": "no", **date_fields("due_date", later)},
        _expected_redirect=f"/programme/allocations/{allocated['EH-0001']}",
    )
    page = admin.get(f"/programme/allocations/{allocated['EH-0001']}")
    assert int(page.select_one("#due_date-day")["value"]) == later.day
    assert allocations(app)["EH-0001"] == "other@example.gov.uk"


def allocations_by_reference(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(select(Allocation.case_reference, Allocation.id)).all())
