"""Choice lists from the organisation (``options_from:``): the partner form's district is one of the
teams' districts, or "Other or more than one", instead of free text nobody can count."""

from textwrap import dedent

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import Code, SpecError, build_form_class, parse_spec
from qaf.models import Response, Service, Team
from tests.conftest import add_teams, error_summary

OTHER = "Other or more than one"
PARTNER = {
    "agency_type": "school",
    "communication": "agree",
    "information_sharing": "agree",
    "joint_working": "agree",
    "timeliness": "agree",
    "impact_on_families": "agree",
    "understand_offer": "agree",
    "kept_informed": "agree",
    "overall_satisfaction": "satisfied",
}
SOURCED = """\
key: sourced
version: 1
title: Sourced
audience: partner
sections:
  - title: Questions
    questions:
      - id: district
        type: radios
        label: Which district?
        options_from: districts
"""


def problems_of(text: str) -> SpecError:
    with pytest.raises(SpecError) as caught:
        parse_spec(dedent(text), "forms/sourced.yaml")
    return caught.value


def stored(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response)))


def district_choices(page) -> list[tuple[str, str]]:
    return [
        (item["value"], item.find_next("label").get_text(strip=True)) for item in page.select("input[name=district]")
    ]


@pytest.mark.parametrize("question_type", ["radios", "select", "checkboxes"])
def test_a_choice_question_loads_with_its_options_left_to_the_source(question_type):
    spec = parse_spec(SOURCED.replace("type: radios", f"type: {question_type}"), "forms/sourced.yaml")
    assert (spec.question("district").options_from, spec.question("district").options) == ("districts", ())


def test_an_unknown_source_is_refused_with_the_line_and_the_nearest_known_source():
    error = problems_of(SOURCED.replace("options_from: districts", "options_from: district"))
    assert error.has(Code.CHOICE_UNKNOWN_SOURCE)
    message = "forms/sourced.yaml:11 sections[0].questions[0].options_from (question 'district'): "
    assert message + "unknown options source 'district'; did you mean 'districts'?" in str(error)
    assert len(error.problems) == 1
    error = problems_of(SOURCED.replace("options_from: districts", "options_from: postcodes"))
    assert "unknown options source 'postcodes'; use one of districts" in str(error)


def test_options_and_options_from_together_are_refused():
    error = problems_of(SOURCED + "        options: [Ashford, Dover]\n")
    assert error.has(Code.CHOICE_NOT_ALLOWED)
    assert "the options come from districts: remove 'options', or remove 'options_from' to list them here" in str(error)


def test_positive_answers_cannot_be_named_for_options_not_known_in_advance():
    error = problems_of(SOURCED + "        positive: [Ashford]\n")
    assert "options from districts are not known in advance, so none can be positive: remove 'positive'" in str(error)


def test_options_from_is_only_for_choice_questions():
    error = problems_of(SOURCED.replace("type: radios", "type: text"))
    assert error.has(Code.QUESTION_UNKNOWN_FIELD)
    assert "unknown field 'options_from'" in str(error)


def test_a_choice_question_with_neither_options_nor_a_source_says_how_to_give_either():
    error = problems_of(SOURCED.replace("        options_from: districts\n", ""))
    assert error.has(Code.CHOICE_MISSING)
    assert "needs a list of options, or options from districts (options_from: districts)" in str(error)


def test_the_form_builder_takes_the_districts_from_the_caller_sorted_once_each_with_other_last(app):
    spec = parse_spec(SOURCED, "forms/sourced.yaml")
    with app.test_request_context():
        form = build_form_class(spec)()
        form.fill_options("districts", ["Thanet", "ashford", "Dover", "Thanet", "", "  ", " Dover ", OTHER])
        options = form["district"].question.options
    assert [(option.value, option.label) for option in options] == [
        ("ashford", "ashford"),
        ("Dover", "Dover"),
        ("Thanet", "Thanet"),
        (OTHER, OTHER),
    ]


def test_the_partner_form_offers_the_teams_districts_and_other(client_request, teams):
    page = client_request.get("/feedback/partner")
    assert district_choices(page) == [("Ashford", "Ashford"), ("Dover", "Dover"), (OTHER, OTHER)]


def test_a_district_is_stored_as_its_name_and_may_be_left_out(app, client_request, teams):
    client_request.post("/feedback/partner", PARTNER | {"district": "Dover"})
    client_request.post("/feedback/partner", PARTNER | {"district": OTHER})
    client_request.post("/feedback/partner", PARTNER)
    assert [response.answers.get("district") for response in stored(app)] == ["Dover", OTHER, None]


def test_a_district_the_organisation_does_not_have_is_refused(app, client_request, teams):
    page = client_request.post("/feedback/partner", PARTNER | {"district": "Atlantis"}, _expected_status=200)
    assert error_summary(page) == [("Select the district you mostly work in from the list", "#district")]
    assert stored(app) == []


def test_a_new_district_appears_on_the_partner_form(app, client_request, teams):
    with app.app_context():
        service = db.session.scalar(select(Service))
        db.session.add(Team(slug="swale-ehu", name="Swale Early Help Unit", district="Swale", service=service))
        db.session.commit()
    app.config["ORGANISATION_CACHE_SECONDS"] = 0
    page = client_request.get("/feedback/partner")
    assert ("Swale", "Swale") in district_choices(page)


def test_with_no_districts_set_the_partner_form_leaves_the_question_out_and_still_takes_answers(app, client_request):
    add_teams(app)
    with app.app_context():
        for team in db.session.scalars(select(Team)):
            team.district = ""
        db.session.commit()
    page = client_request.get("/feedback/partner")
    assert not page.select("input[name=district]")
    assert "Which district do you mostly work in?" not in page.get_text()
    client_request.post("/feedback/partner", PARTNER)
    assert len(stored(app)) == 1
