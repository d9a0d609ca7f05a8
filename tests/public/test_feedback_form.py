"""The family and child feedback pages: what a parent or young person sees, and what gets stored."""

import pytest
from flask import Flask
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import FormVersion, Response, Team
from tests.conftest import error_summary

VALID_FAMILY = {
    "team": "ashford-ehu",
    "stage": "closure",
    "who_is_answering": "parent_carer",
    "help_helped": "yes_a_lot",
    "what_helped": "Our worker listened",
    "listened_to": "agree",
    "involved_in_plan": "strongly_agree",
    "treated_with_respect": "agree",
    "help_at_right_time": "neither",
    "things_at_start": "2",
    "things_now": "8",
}


def stored(app: Flask) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response).order_by(Response.id)))


def count_stored(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Response))


def test_the_family_form_shows_the_seed_questions_and_a_privacy_notice(client_request, teams):
    page = client_request.get("/feedback/family")
    assert page.h1.get_text(strip=True) == "Tell us about the help your family has had"
    text = page.get_text()
    for question in (
        "Has the help made things better",
        "What was helpful?",
        "What could have been better?",
        "We were listened to",
        "treated with respect",
        "How are things for your family now?",
    ):
        assert question in text
    assert "How we use your answers" in text
    assert "We do not ask for your name" in text
    assert page.select_one("form")["action"] == "/feedback/family"
    assert [option["value"] for option in page.select("select#team option")] == ["", "ashford-ehu", "dover-ehu"]
    assert page.select_one("textarea#what_helped").find_parent(class_="govuk-character-count")


def test_the_family_form_offers_the_child_friendly_version(client_request, teams):
    page = client_request.get("/feedback/family")
    link = page.find("a", string=lambda text: text and "simpler words" in text)
    assert link["href"] == "/feedback/child"
    child = client_request.get(link["href"])
    faces = child.select("input[name=feeling_now]")
    assert len(faces) == 5
    labels = [" ".join(child.select_one(f"label[for={face['id']}]").get_text().split()) for face in faces]
    assert labels[0].endswith("Really bad")
    assert labels[-1].endswith("Really good")
    assert child.select_one("label[for=feeling_now] [aria-hidden=true]")


def test_a_complete_answer_is_stored_with_its_team_stage_respondent_and_version(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY, _expected_redirect="/feedback/family/thank-you")
    [response] = stored(app)
    with app.app_context():
        response = db.session.get(Response, response.id)
        assert response.form_key == "family"
        assert response.team.slug == "ashford-ehu"
        assert response.stage == "closure"
        assert response.respondent_type == "parent_carer"
        assert response.answers["things_now"] == 8
        assert response.answers["help_helped"] == "yes_a_lot"
        assert "could_be_better" not in response.answers
        assert response.form_version.form_key == "family"
        assert response.form_version.spec["sections"][1]["questions"][0]["id"] == "help_helped"
    page = client_request.get("/feedback/family/thank-you")
    assert "Feedback sent" in page.h1.get_text()


def test_the_confirmation_signposts_help_and_complaints(client_request):
    page = client_request.get("/feedback/family/thank-you")
    assert page.find("a", string=lambda text: text and "Make a complaint" in text)
    assert "call 999" in page.get_text()


def test_an_empty_form_shows_every_missing_answer_and_stores_nothing(app, client_request, teams):
    page = client_request.post("/feedback/family", {}, _expected_status=200)
    assert page.title.get_text().startswith("Error: ")
    errors = error_summary(page)
    assert errors[:3] == [
        ("Select the team that has been working with you", "#team"),
        ("Select when you are giving this feedback", "#stage"),
        ("Select who is filling in this form", "#who_is_answering"),
    ]
    assert ("Select how things are now", "#things_now") in errors
    assert not any("what was helpful" in text for text, _ in errors), "optional questions are not demanded"
    assert page.select_one("#things_now-error").get_text(strip=True).endswith("Select how things are now")
    assert count_stored(app) == 0


def test_answers_are_kept_when_the_form_is_shown_again_with_errors(client_request, teams):
    data = VALID_FAMILY | {"help_helped": "", "what_helped": "<script>alert(1)</script> helped"}
    page = client_request.post("/feedback/family", data, _expected_status=200)
    assert page.select_one("input[name=listened_to][value=agree]").has_attr("checked")
    assert page.select_one("#what_helped").get_text() == "<script>alert(1)</script> helped"
    assert not page.select("script:-soup-contains('alert(1)')")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("help_helped", "definitely", "Select whether the help has made things better from the list"),
        ("stage", "halfway", "Select when you are giving this feedback from the list"),
        ("team", "no-such-team", "Select the team that has been working with you from the list"),
        ("things_now", "11", "Select how things are now from the list"),
        ("things_now", "-1", "Select how things are now from the list"),
        ("what_helped", "x" * 1201, "What was helpful must be 1,200 characters or less"),
    ],
)
def test_a_tampered_or_oversized_answer_is_refused_and_nothing_is_stored(
    app, client_request, teams, field, value, message
):
    page = client_request.post("/feedback/family", VALID_FAMILY | {field: value}, _expected_status=200)
    assert message in [text for text, _ in error_summary(page)]
    assert count_stored(app) == 0


def test_text_of_exactly_the_limit_is_accepted(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY | {"what_helped": "x" * 1200})
    assert stored(app)[0].answers["what_helped"] == "x" * 1200


def test_nul_characters_are_removed_so_postgresql_can_store_the_text(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY | {"what_helped": "calm\x00er"})
    assert stored(app)[0].answers["what_helped"] == "calmer"


def test_a_formula_like_answer_is_stored_as_plain_text(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY | {"could_be_better": "=1+1"})
    assert stored(app)[0].answers["could_be_better"] == "=1+1"


def test_a_body_over_the_size_limit_is_refused(app, teams):
    response = app.test_client().post("/feedback/family", data=VALID_FAMILY | {"what_helped": "x" * 200_000})
    assert response.status_code == 413
    assert count_stored(app) == 0


def test_a_link_for_a_team_and_stage_does_not_ask_for_them_again(app, client_request, teams):
    page = client_request.get("/feedback/family?team=dover-ehu&stage=review")
    assert not page.select("#team")
    assert not page.select("input[name=stage]")
    assert "This feedback is about Dover Early Help Unit, at review." in page.get_text()
    assert page.select_one("form")["action"] == "/feedback/family?team=dover-ehu&stage=review"
    data = {key: value for key, value in VALID_FAMILY.items() if key not in ("team", "stage")}
    client_request.post("/feedback/family?team=dover-ehu&stage=review", data)
    [response] = stored(app)
    with app.app_context():
        assert db.session.get(Team, response.team_id).slug == "dover-ehu"
    assert response.stage == "review"


def test_a_link_with_an_unknown_team_asks_for_the_team(client_request, teams):
    page = client_request.get("/feedback/family?team=nowhere&stage=review")
    assert page.select("#team")
    assert not page.select("input[name=stage]")


def test_the_child_form_records_the_young_persons_age_band(app, client_request, teams):
    data = {
        "team": "ashford-ehu",
        "age": "young_person_11_15",
        "help_helped": "yes_a_little",
        "listened_to": "yes",
        "involved_in_plan": "sometimes",
        "treated_with_respect": "yes",
        "feeling_at_start": "2",
        "feeling_now": "4",
    }
    client_request.post("/feedback/child?stage=closure", data, _expected_redirect="/feedback/child/thank-you")
    [response] = stored(app)
    assert response.respondent_type == "young_person_11_15"
    assert response.stage == "closure"
    assert response.answers["feeling_now"] == "4"


@pytest.mark.parametrize("url", ["/feedback/nothing", "/feedback/family/nothing", "/feedback/FAMILY"])
def test_unknown_forms_are_not_found(client_request, url):
    client_request.get(url, _expected_status=404)


def test_the_start_page_lists_the_open_feedback_forms(client_request):
    page = client_request.get("/")
    hrefs = [link["href"] for link in page.select("main a")]
    assert "/feedback/family" in hrefs
    assert "/feedback/child" in hrefs


def test_the_privacy_notice_says_what_is_kept_and_why(client_request):
    text = client_request.get("/privacy").get_text()
    assert "What we keep" in text
    assert "Why we keep it" in text
    assert "do not ask for your name" in text


def test_each_form_version_is_stored_once(app, client_request, teams):
    client_request.post("/feedback/family", VALID_FAMILY)
    client_request.post("/feedback/family", VALID_FAMILY)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FormVersion)) == 1
