"""How a page marks questions and sections on conditions (templates/components/form-sections.html):
the hint a person without JavaScript reads, and the data attributes the page's script reads."""

import json

from bs4 import BeautifulSoup
from flask import Flask, render_template_string

from qaf.formspec import build_form_class, parse_spec
from tests.formspec.test_conditions import AUDIT

PAGE = '{% from "components/form-sections.html" import form_sections %}{{ form_sections(form, spec) }}'


def rendered(app: Flask) -> BeautifulSoup:
    spec = parse_spec(AUDIT, "forms/sample.yaml")
    with app.test_request_context():
        form = build_form_class(spec)()
        return BeautifulSoup(render_template_string(PAGE, form=form, spec=spec), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text().split())


def container_of(page: BeautifulSoup, name: str):
    return page.find("input", attrs={"name": name}).find_parent(attrs={"data-show-if": True})


def test_a_question_on_a_condition_names_its_values_and_says_when_to_answer_it(app):
    page = rendered(app)
    container = container_of(page, "views_recorded")
    assert json.loads(container["data-show-if"]) == {"question": "who", "is": ["parent", "young_person"]}
    assert words(page.select_one("#views_recorded-hint")) == (
        "Only answer this if you answered ‘Parent’ or ‘Young person’ to ‘Who gave their views?’"
    )
    assert words(page.select_one("#young_views-hint")) == (
        "Only answer this if you answered ‘Young person’ to ‘Who gave their views?’"
    )
    # Questions always shown are not wrapped.
    assert page.find("input", attrs={"name": "who"}).find_parent(attrs={"data-show-if": True}) is None


def test_a_section_on_a_condition_says_when_under_its_heading_and_holds_its_questions(app):
    page = rendered(app)
    section = page.find("h2", string="Parent's views").parent
    assert json.loads(section["data-show-if"]) == {"question": "who", "is": ["parent"]}
    assert words(section.select_one("h2 + p.govuk-hint")) == (
        "Only answer the questions in this section if you answered ‘Parent’ to ‘Who gave their views?’"
    )
    assert section.find("input", attrs={"name": "parent_heard"})


def test_ticking_a_section_not_applicable_hides_the_rest_of_the_section(app):
    page = rendered(app)
    section = page.find("h2", string="Family network").parent
    hiding = section.select_one("[data-hide-if]")
    assert json.loads(hiding["data-hide-if"]) == {
        "question": "family_network_not_applicable",
        "is": ["not_applicable"],
    }
    # The tick box itself stays outside what it hides; the standard and its evidence are inside.
    assert (
        section.find("input", attrs={"name": "family_network_not_applicable"}).find_parent(attrs={"data-hide-if": True})
        is None
    )
    assert {tag["name"] for tag in hiding.select("input, textarea")} == {"network", "network_evidence"}
