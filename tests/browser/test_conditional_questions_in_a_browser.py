"""A question shown only to young people, on a 390 px phone: hidden by the page's script until a
young person says who they are, and with JavaScript off on the page with its hint, its answer kept
only when the condition is met."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import render_template_string, url_for
from playwright.sync_api import Browser, Page, expect

from qaf.formspec import build_form_class, parse_spec
from tests.browser.conftest import LiveSite, _open_page, screen
from tests.browser.test_family_feedback_in_a_browser import (
    FAMILY_ANSWERS,
    FAMILY_FORM,
    answer_family_questions,
    answer_team_and_stage,
    choose,
    expect_confirmation,
    expect_error_summary,
    question,
    send,
)
from tests.formspec.test_conditions import AUDIT

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/cond-pages")
WHO = "Who is filling in this form?"
HEARD = "My own views were heard, as well as my family's"
HEARD_HINT = (
    "Only answer this if you answered ‘A young person aged 11 to 15’ or ‘A young person aged 16 or over’"
    " to ‘Who is filling in this form?’"
)
HTML = "text/html; charset=utf-8"
AUDIT_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Sample audit</title></head>
<body><main><h1>Sample audit</h1>
{% from "components/form-sections.html" import form_sections %}
<form method="post" action="/sample-audit" novalidate>{{ form_sections(form, spec) }}</form>
</main><script type="module" src="{{ script }}"></script></body></html>"""


@pytest.fixture
def phone_390(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    yield from _open_page(chromium, live_site, **screen(390))


@pytest.fixture
def phone_390_without_javascript(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    yield from _open_page(chromium, live_site, java_script_enabled=False, **screen(390))


def shot(page: Page, name: str) -> None:
    """The section the young person question is in, as the phone shows it."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    section = page.locator("div:has(> h2:text-is('How we worked with you'))")
    section.screenshot(path=str(SHOTS / f"{name}.png"))


def test_the_young_person_question_appears_only_once_a_young_person_says_who_they_are(
    phone_390, live_site, assert_accessible
):
    page = phone_390
    page.goto(FAMILY_FORM)
    # Found by its inputs' name, not its legend: a hidden question is not in the accessibility tree.
    container = page.locator("[data-show-if]:has(input[name=young_person_heard])")
    expect(container).to_have_count(1)
    expect(container).to_be_hidden()
    heard = question(page, HEARD)
    assert_accessible(page)
    shot(page, "family-js-on-nothing-chosen")
    # Printed (a paper copy for a family), every question is there, with its "Only answer this if" hint.
    page.emulate_media(media="print")
    expect(heard).to_be_visible()
    expect(heard).to_contain_text(HEARD_HINT)
    page.emulate_media(media="screen")
    expect(container).to_be_hidden()

    choose(page, WHO, "A young person aged 11 to 15")
    expect(heard).to_be_visible()
    expect(heard).to_contain_text(HEARD_HINT)
    assert_accessible(page)
    shot(page, "family-js-on-young-person")

    choose(page, WHO, "A parent or carer")
    expect(container).to_be_hidden()

    # A young person who leaves it out is told, and the question stays in view with its error.
    answer_team_and_stage(page)
    answer_family_questions(page)
    choose(page, WHO, "A young person aged 16 or over")
    send(page)
    summary = expect_error_summary(page)
    expect(summary).to_contain_text("Select how much you agree that your own views were heard")
    expect(question(page, HEARD)).to_be_visible()
    assert_accessible(page)
    shot(page, "family-js-on-young-person-error")
    page.locator(".govuk-error-summary").screenshot(path=str(SHOTS / "family-js-on-error-summary.png"))

    choose(page, HEARD, "Agree")
    send(page)
    expect_confirmation(page)
    [stored] = live_site.stored_responses()
    assert stored.respondent_type == "young_person_16_plus"
    assert stored.answers["young_person_heard"] == "agree"


def test_without_javascript_the_question_is_there_with_its_hint_and_a_parents_answer_is_not_kept(
    phone_390_without_javascript, live_site, assert_accessible
):
    page = phone_390_without_javascript
    page.goto(FAMILY_FORM)
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)
    heard = question(page, HEARD)
    expect(heard).to_be_visible()
    expect(heard).to_contain_text(HEARD_HINT)
    shot(page, "family-js-off-question-and-hint")

    answer_team_and_stage(page)
    answer_family_questions(page)
    choose(page, HEARD, "Strongly agree")
    send(page)
    expect_confirmation(page)
    [stored] = live_site.stored_responses()
    assert stored.respondent_type == "parent_carer"
    assert stored.answers == FAMILY_ANSWERS


def test_ticking_a_section_not_applicable_hides_the_rest_of_it_and_a_section_waits_for_its_answer(
    phone_390, live_site, assert_accessible
):
    # The sample audit of the loader's tests, its sections rendered as the audit page renders them,
    # served at the site's own address so that the page's script loads as it does on every page.
    spec = parse_spec(AUDIT, "forms/sample.yaml")
    with live_site.app.test_request_context():
        form = build_form_class(spec)()
        script = url_for("static", filename="application.mjs")
        html = render_template_string(AUDIT_PAGE, form=form, spec=spec, script=script)
    page = phone_390
    page.route(f"{live_site.url}/sample-audit", lambda route: route.fulfill(body=html, content_type=HTML))
    page.goto("/sample-audit")

    network = page.locator("[data-hide-if]")
    parents_section = page.locator('[data-show-if]:has(h2:text-is("Parent\'s views"))')
    expect(network).to_be_visible()
    expect(parents_section).to_be_hidden()
    assert_accessible(page)

    page.get_by_label("This section does not apply").check()
    expect(network).to_be_hidden()
    page.get_by_label("This section does not apply").uncheck()
    expect(network).to_be_visible()

    choose(page, "Who gave their views?", "Parent")
    expect(parents_section).to_be_visible()
    expect(parents_section).to_contain_text(
        "Only answer the questions in this section if you answered ‘Parent’ to ‘Who gave their views?’"
    )
    assert_accessible(page)
    choose(page, "Who gave their views?", "Nobody")
    expect(parents_section).to_be_hidden()
