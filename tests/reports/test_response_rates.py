"""Response rates: invitations made against answered, partner rounds by type of organisation, and
staff survey waves against the staff asked; on their page, on the dashboard and in the workbook."""

import hashlib
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import FeedbackRound, Invitation, Response, ResponseVoid
from qaf.reports.periods import parse_period
from qaf.reports.response_rate_counts import response_rates
from qaf.reports.response_rates import NO_RATE
from qaf.responses import store_response
from tests.conftest import ClientRequest
from tests.reports.conftest import IN_Q2, IN_Q3, table_rows, team_id, workbook_for

Q3 = "2026-27 Q3"


def invite(app, staff, *, team: str, form: str = "family", stage: str = "assessment", answered: bool, at=IN_Q3):
    with app.app_context():
        number = db.session.query(Invitation).count()
        db.session.add(
            Invitation(
                token_hash=hashlib.sha256(f"token {number}".encode()).hexdigest(),
                form_key=form,
                team_id=team_id(app, team),
                stage=stage,
                case_reference=f"EH-{number}",
                created_by_id=staff["qa_admin"]["id"],
                created_at=at,
                expires_at=at + timedelta(days=28),
                answered=answered,
            )
        )
        db.session.commit()


def add_round(app, form_key: str, name: str, opens: date, closes: date, staff_count: int | None = None) -> int:
    with app.app_context():
        found = FeedbackRound(form_key=form_key, name=name, opens_on=opens, closes_on=closes, staff_count=staff_count)
        db.session.add(found)
        db.session.commit()
        return found.id


def through(app, round_id: int, form_key: str, answers: dict, *, voided: bool = False) -> None:
    with app.app_context():
        response_id = store_response(
            all_forms()[form_key], answers, team_id=None, stage=None, round_id=round_id, submitted_at=IN_Q3
        )
        if voided:
            void = ResponseVoid(reason="A burst", responses=1)
            db.session.add(void)
            db.session.flush()
            db.session.execute(update(Response).where(Response.id == response_id).values(void_id=void.id))
            db.session.commit()


@pytest.fixture
def known(app, staff):
    """Q3 (October to December 2026): 7 invitations, 4 answered; a partner round with 3 responses
    (and one voided); a wave of 40 staff with 10 responses, and a wave with no staff count. Q2 has
    an invitation and a partner round of its own, which Q3 leaves out."""
    for answered in (True, True, True, False):
        invite(app, staff, team="ashford-ehu", answered=answered)
    invite(app, staff, team="ashford-ehu", stage="closure", answered=False)
    invite(app, staff, team="dover-ehu", form="closure", stage="closure", answered=True)
    invite(app, staff, team="dover-ehu", form="closure", stage="closure", answered=False)
    invite(app, staff, team="ashford-ehu", answered=True, at=IN_Q2)
    autumn = add_round(app, "partner", "Autumn 2026", date(2026, 10, 1), date(2026, 11, 30))
    for agency in ("school", "school", "health"):
        through(app, autumn, "partner", {"agency_type": agency})
    through(app, autumn, "partner", {"agency_type": "school"}, voided=True)
    spring = add_round(app, "partner", "Spring 2026", date(2026, 4, 1), date(2026, 5, 31))
    through(app, spring, "partner", {"agency_type": "police"})
    wave = add_round(app, "staff-survey", "Autumn wave", date(2026, 10, 1), date(2026, 10, 31), staff_count=40)
    for _ in range(10):
        through(app, wave, "staff-survey", {"role": "practitioner"})
    add_round(app, "staff-survey", "Winter wave", date(2026, 12, 1), date(2027, 1, 15))


def test_invitations_made_in_the_period_against_those_answered_by_form_team_and_stage(app, known):
    with app.app_context():
        rates = response_rates(parse_period(Q3))
    with app.app_context():
        titles = {key: spec.title for key, spec in all_forms().items()}
    assert [(row.form, row.team, row.stage, row.made, row.answered, row.share) for row in rates.invitations] == sorted(
        [
            (titles["family"], "Ashford Early Help Unit", "Assessment", 4, 3, 0.75),
            (titles["family"], "Ashford Early Help Unit", "Closure", 1, 0, 0.0),
            (titles["closure"], "Dover Early Help Unit", "Closure", 2, 1, 0.5),
        ]
    )
    assert (rates.invitations_made, rates.invitations_answered) == (7, 4)


def test_each_partner_round_open_in_the_period_counts_its_responses_by_type_of_organisation(app, known):
    with app.app_context():
        rates = response_rates(parse_period(Q3))
    (autumn,) = rates.rounds
    assert autumn.name == "Autumn 2026"
    counts = dict(autumn.by_agency)
    # Every type the form offers is listed, answered or not; the voided response is left out.
    assert counts == {
        "A school or college": 2,
        "Health": 1,
        "Police": 0,
        "A voluntary or community organisation": 0,
        "Housing": 0,
        "Other": 0,
    }


def test_each_wave_open_in_the_period_has_its_responses_against_the_staff_asked(app, known):
    with app.app_context():
        rates = response_rates(parse_period(Q3))
    assert [(wave.name, wave.staff_count, wave.responses, wave.share) for wave in rates.waves] == [
        ("Autumn wave", 40, 10, 0.25),
        ("Winter wave", None, 0, None),
    ]


def test_the_workbook_has_a_response_rates_sheet_with_the_same_figures(app, known):
    book = workbook_for(app)
    assert book.sheetnames[-2:] == ["Response rates", "Unmatched"]
    sheet = book["Response rates"]
    invitations = table_rows(sheet, "T_Invitation_rates")
    assert sorted(
        (row["Team"], row["Stage"], row["Invitations made"], row["Answered"], row["Response rate"])
        for row in invitations
    ) == [
        ("Ashford Early Help Unit", "Assessment", 4, 3, 0.75),
        ("Ashford Early Help Unit", "Closure", 1, 0, 0.0),
        ("Dover Early Help Unit", "Closure", 2, 1, 0.5),
    ]
    assert sheet.cell(row=6, column=7).number_format == "0.0%"
    rounds = table_rows(sheet, "T_Partner_rounds")
    assert [(row["Round"], row["Type of organisation"], row["Responses"]) for row in rounds][:2] == [
        ("Autumn 2026", "A school or college", 2),
        ("Autumn 2026", "Health", 1),
    ]
    assert rounds[0]["Opens"] == datetime(2026, 10, 1)
    assert rounds[0]["Share of the round's responses"] == pytest.approx(2 / 3)
    waves = table_rows(sheet, "T_Staff_survey_waves")
    assert [(row["Wave"], row["Staff asked"], row["Responses"], row["Response rate"]) for row in waves] == [
        ("Autumn wave", 40, 10, 0.25),
        ("Winter wave", None, 0, None),
    ]
    about = [row[0].value for row in book["About"].iter_rows()]
    assert "Response rates" in about


def test_a_period_with_nothing_to_count_says_so_on_the_sheet(app, staff):
    sheet = workbook_for(app)["Response rates"]
    notes = [row[0].value for row in sheet.iter_rows() if row[0].value]
    assert f"No invitations were made in {Q3}." in notes
    assert f"No partner round was open in {Q3}." in notes
    assert f"No staff survey wave was open in {Q3}." in notes
    assert sheet.tables == {}


def test_the_response_rates_page_shows_the_three_tables(app, staff, known):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get("/reports/response-rates?period=2026-27+Q3")
    captions = [caption.get_text(strip=True) for caption in page.select("caption")]
    assert captions == [
        f"Invitations made in {Q3}, and how many were answered: All services and teams",
        f"Partner rounds open in {Q3}: every response to each round, by type of organisation",
        f"Staff survey waves open in {Q3}: every response to each wave, against the staff asked",
    ]
    rows = [[cell.get_text(strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
    assert [
        "Autumn wave",
        all_forms_title(app, "staff-survey"),
        "1 October 2026",
        "31 October 2026",
        "40",
        "10",
        "25.0%",
    ] in rows
    assert rows[-1][-3:] == ["Not given", "0", NO_RATE]


def all_forms_title(app, key: str) -> str:
    with app.app_context():
        return all_forms()[key].title


def test_the_dashboard_shows_the_invitations_answered_for_its_scope_and_each_wave(app, staff, known):
    admin = ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])
    page = admin.get("/reports?period=2026-27+Q3")
    text = " ".join(page.get_text().split())
    assert f"4 of 7 made in {Q3} (57.1%)" in text
    assert "10 of 40 staff asked (25.0%)" in text
    assert page.select_one("a[href='/reports/response-rates?period=2026-27+Q3']")
    dover = team_id(app, "dover-ehu")
    text = " ".join(admin.get(f"/reports?period=2026-27+Q3&team={dover}").get_text().split())
    assert f"1 of 2 made in {Q3} (50.0%)" in text


def test_only_the_qa_team_sees_response_rates(app, staff):
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    manager.get("/reports/response-rates", _expected_status=403)


def test_a_re_issued_link_is_not_counted_as_a_second_invitation(app, staff):
    from qaf.extensions import db
    from qaf.invitations import create_invitation, reissue_invitation
    from qaf.models import User
    from qaf.reports.periods import period_containing, uk_today
    from qaf.reports.response_rate_counts import invitation_rates

    with app.test_request_context():
        worker = db.session.get(User, staff["practitioner"]["id"])
        made = create_invitation(form_key="closure", team_id=1, stage="closure", case_reference="EH-7", by=worker)
        reissue_invitation(made.invitation, by=worker)
        db.session.commit()
        period = period_containing(uk_today(), 4, "quarter")
        (rate,) = invitation_rates(period)
        assert (rate.made, rate.answered) == (1, 0)
