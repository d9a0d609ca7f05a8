"""Post-closure feedback: an import's newly closed cases drawn by the QA team's share and seed, listed for workers."""

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import CaseImport, Invitation, PostClosureDue, Service, Team, User
from qaf.programme.cases import CaseFileError, import_cases
from tests.conftest import empty_database, error_summary, make_app
from tests.programme.post_closure import case_list, closed, still_open, turn_on, upload


@pytest.fixture
def app(app, tmp_path):
    app.config["CASE_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    return app


def listed(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [
            (due.case_reference, due.team.slug)
            for due in db.session.scalars(select(PostClosureDue).order_by(PostClosureDue.case_reference))
        ]


def invitations(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Invitation)).all())


def run_import(app, data: bytes, seed: int | None = None):
    with app.test_request_context():
        return import_cases(data, "cases.csv", seed=seed)


def test_the_setting_page_saves_the_share_form_and_days_and_the_cases_page_says_so(app, staff, admin):
    page = admin.get("/programme/cases/post-closure")
    assert page.select_one("input[name=enabled][value=no]").has_attr("checked")
    assert page.select_one("input[name=within_days]")["value"] == "28"
    admin.post(
        "/programme/cases/post-closure",
        {"enabled": "yes", "percent": "25", "form": "closure", "within_days": "14"},
        _expected_redirect="/programme/cases",
    )
    text = admin.get("/programme/cases").select_one("#post-closure-setting").get_text(" ", strip=True)
    assert text.startswith("Post-closure feedback: on, 25% of cases closed in the 14 days before an import.")


def test_a_percentage_over_100_is_refused_with_the_error_summary(app, staff, admin):
    page = admin.post(
        "/programme/cases/post-closure",
        {"enabled": "yes", "percent": "150", "form": "closure", "within_days": "28"},
        _expected_status=200,
    )
    assert error_summary(page)


def test_newly_closed_cases_without_a_contact_are_listed_for_their_teams_and_the_import_page_says_so(app, staff, admin):
    turn_on(app, staff)
    data = case_list(closed("EH-3"), closed("EH-1"), closed("EH-2", team="thanet-youth"), still_open("EH-4"))
    page = admin.get(upload(admin, data))
    assert listed(app) == [("EH-1", "ashford-ehu"), ("EH-2", "thanet-youth"), ("EH-3", "ashford-ehu")]
    with app.app_context():
        record = db.session.scalars(select(CaseImport)).one()
        seed = record.post_closure_seed
    assert page.select_one("#post-closure-result").get_text(" ", strip=True) == (
        f"3 newly closed cases found; 3 chosen (every one, seed {seed}): 0 sent their links by text message or"
        " email, 3 listed for their workers on the Invitations page."
    )


def test_importing_the_same_file_again_finds_nothing_newly_closed(app, staff, admin):
    turn_on(app, staff)
    data = case_list(closed("EH-1"), closed("EH-2"))
    upload(admin, data)
    page = admin.get(upload(admin, data))
    assert len(listed(app)) == 2
    assert page.select_one("#post-closure-result").get_text(" ", strip=True).startswith("0 newly closed cases found")


def test_an_open_case_that_a_later_file_shows_closed_is_newly_closed(app, staff):
    turn_on(app, staff)
    run_import(app, case_list(still_open("EH-1"), closed("EH-2", days=400)))
    assert listed(app) == []
    result = run_import(app, case_list(closed("EH-1"), closed("EH-2")))
    assert result.post_closure is not None
    assert (result.post_closure.found, result.post_closure.chosen) == (1, 1)
    assert listed(app) == [("EH-1", "ashford-ehu")]


def test_a_case_closed_before_the_days_set_is_not_invited(app, staff):
    turn_on(app, staff, within_days=28)
    result = run_import(app, case_list(closed("EH-1", days=29), closed("EH-2", days=28), closed("EH-3", days=900)))
    assert result.post_closure is not None
    assert result.post_closure.found == 1
    assert listed(app) == [("EH-2", "ashford-ehu")]


def test_with_the_setting_off_an_import_invites_nobody_and_its_page_says_nothing_of_it(app, staff, admin):
    turn_on(app, staff, enabled=False)
    page = admin.get(upload(admin, case_list(closed("EH-1", "07700 900982"), closed("EH-2"))))
    assert listed(app) == []
    assert invitations(app) == 0
    assert page.select_one("#post-closure-result") is None


def fresh_app_with_teams(tmp_path):
    """A second app on a database of its own (emptied, on PostgreSQL), with the teams and a QA administrator."""
    fresh = make_app(tmp_path / "again")
    with fresh.app_context():
        service = Service(slug="early-help-units", name="Early Help Units")
        db.session.add_all(
            [
                Team(slug="ashford-ehu", name="Ashford Early Help Unit", district="Ashford", service=service),
                User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin"),
            ]
        )
        db.session.commit()
        admin_id = db.session.scalars(select(User.id)).one()
    return fresh, {"qa_admin": {"id": admin_id}}


@pytest.mark.parametrize("seed", [1, 20261204, 1999999999])
def test_a_share_drawn_again_with_the_recorded_seed_on_a_fresh_database_chooses_the_same_cases(
    app, staff, tmp_path, seed
):
    turn_on(app, staff, percent=50)
    data = case_list(*(closed(f"EH-{number:03d}") for number in range(1, 41)))
    first = run_import(app, data, seed=seed)
    chosen = listed(app)
    assert first.post_closure is not None
    assert (first.post_closure.found, first.post_closure.chosen) == (40, len(chosen))
    assert 5 < len(chosen) < 35, "about half of 40"
    empty_database(app)
    (tmp_path / "again").mkdir()
    fresh, fresh_staff = fresh_app_with_teams(tmp_path)
    try:
        turn_on(fresh, fresh_staff, percent=50)
        run_import(fresh, data, seed=seed)
        assert listed(fresh) == chosen
        run_import(fresh, data.replace(b"EH-", b"EH-1"), seed=seed + 1)
        assert listed(fresh)[len(chosen) :] != [("EH-1" + ref[3:], team) for ref, team in chosen], "another seed"
    finally:
        empty_database(fresh)


def test_a_wrong_contact_refuses_the_file_by_line_without_repeating_it(app, staff):
    turn_on(app, staff)
    data = case_list(closed("EH-1", "07700 900982"), closed("EH-2", "07700 90"), closed("EH-3", "someone@"))
    with app.test_request_context(), pytest.raises(CaseFileError) as refused:
        import_cases(data, "cases.csv")
    assert refused.value.problems == [
        "Line 3: contact: this is not a UK mobile number or an email address",
        "Line 4: contact: this is not a UK mobile number or an email address",
    ]
    assert listed(app) == []
    assert invitations(app) == 0


def test_without_notify_a_chosen_case_with_a_contact_is_listed_and_its_contact_kept_nowhere(app, staff, admin):
    turn_on(app, staff)
    upload(admin, case_list(closed("EH-1", "07700 900982")))
    assert listed(app) == [("EH-1", "ashford-ehu")]
    assert invitations(app) == 0
    from tests.notify.test_family_links import every_stored_value

    assert "900982" not in every_stored_value(app)


def test_the_import_command_lists_every_chosen_case_since_nobody_made_the_links(app, staff, tmp_path):
    turn_on(app, staff)
    path = tmp_path / "cases.csv"
    path.write_bytes(case_list(closed("EH-1", "07700 900982"), closed("EH-2")))
    result = app.test_cli_runner().invoke(args=["qaf", "import-cases", str(path)])
    assert result.exit_code == 0, result.output
    assert "; post-closure feedback: 2 newly closed, 2 chosen (100%, seed " in result.output
    assert "0 sent, 2 listed for their workers" in result.output
    assert listed(app) == [("EH-1", "ashford-ehu"), ("EH-2", "ashford-ehu")]
    assert invitations(app) == 0


def test_the_import_page_gives_the_post_closure_result_before_the_open_cases_the_file_left_out(app, staff, admin):
    turn_on(app, staff)
    upload(admin, case_list(still_open("EH-1"), still_open("EH-2")))
    page = admin.get(upload(admin, case_list(closed("EH-1"))))
    assert page.select_one("#left-out") is not None
    headings = [heading.get_text(strip=True) for heading in page.select("main h2")]
    assert headings.index("Post-closure feedback") < headings.index("1 open case was not in this file")
