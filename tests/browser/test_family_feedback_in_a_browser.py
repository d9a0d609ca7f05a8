"""A family giving feedback in a real browser: on a phone, without JavaScript, with the keyboard alone."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

FAMILY_FORM = "/feedback/family"
TEAM_QUESTION = "Which team has been working with you?"
STAGE_QUESTION = "When are you giving this feedback?"

# The answers the helpers below give, as they should be stored.
FAMILY_ANSWERS = {
    "who_is_answering": "parent_carer",
    "help_helped": "yes_a_little",
    "what_helped": "Our worker came to the school meetings with us.",
    "listened_to": "strongly_agree",
    "involved_in_plan": "agree",
    "treated_with_respect": "strongly_agree",
    "help_at_right_time": "neither",
    "things_at_start": 3,
    "things_now": 8,
}


def question(page: Page, legend: str) -> Locator:
    """The fieldset of a radios question, found by its legend as a screen reader would."""
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, answer: str) -> None:
    question(page, legend).get_by_role("radio", name=answer, exact=True).check()


def answer_team_and_stage(page: Page) -> None:
    page.get_by_label(TEAM_QUESTION).select_option(label="Dover Early Help Unit (Early Help Units)")
    choose(page, STAGE_QUESTION, "Review")


def answer_family_questions(page: Page) -> None:
    """Answer every question of forms/feedback/family.yaml except the team and the stage."""
    choose(page, "Who is filling in this form?", "A parent or carer")
    choose(page, "Has the help made things better for your family?", "Yes, a little")
    page.get_by_label("What was helpful? (optional)").fill(FAMILY_ANSWERS["what_helped"])
    choose(page, "We were listened to", "Strongly agree")
    choose(page, "We were involved in making our family's plan", "Agree")
    choose(page, "We were treated with respect", "Strongly agree")
    choose(page, "We got help at the right time", "Neither agree nor disagree")
    choose(page, "When the help started, how were things for your family?", "3")
    choose(page, "How are things for your family now?", "8")


def send(page: Page) -> None:
    page.get_by_role("button", name="Send feedback").click()


def expect_confirmation(page: Page) -> None:
    expect(page.get_by_role("heading", level=1, name="Feedback sent")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Feedback sent - "))


def expect_error_summary(page: Page) -> Locator:
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    return summary


def test_family_can_send_feedback_on_a_phone_and_every_step_is_accessible(phone, live_site, assert_accessible):
    page = phone
    page.goto(FAMILY_FORM)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about the help your family has had")
    assert_accessible(page)

    send(page)
    summary = expect_error_summary(page)
    # GOV.UK Frontend moves focus to the summary so that screen readers announce it.
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)

    summary.get_by_role("link").first.click()
    expect(page.get_by_label(TEAM_QUESTION)).to_be_focused()

    answer_team_and_stage(page)
    answer_family_questions(page)
    send(page)
    expect_confirmation(page)
    assert_accessible(page)

    [stored] = live_site.stored_responses()
    assert (stored.form_key, stored.team, stored.stage) == ("family", "dover-ehu", "review")
    assert stored.respondent_type == "parent_carer"
    assert stored.answers == FAMILY_ANSWERS


def test_every_error_summary_link_points_at_a_field_on_the_page(phone):
    page = phone
    page.goto(FAMILY_FORM)
    send(page)
    links = expect_error_summary(page).get_by_role("link")
    # Every required question but the plan one, which is required only once the stage is review or closure.
    expect(links).to_have_count(9)
    for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        field = page.locator(href)
        expect(field).to_have_count(1)
        assert field.evaluate("element => element.matches('input, select, textarea')"), f"{href} is not a field"


def test_family_can_send_feedback_with_javascript_switched_off(phone_without_javascript, live_site):
    page = phone_without_javascript
    page.goto(FAMILY_FORM)
    # Proof that JavaScript really is off: GOV.UK Frontend marks the body when its scripts run.
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)

    choose(page, "Who is filling in this form?", "A parent or carer")
    send(page)
    expect_error_summary(page)
    # The answer given before the error is kept.
    expect(question(page, "Who is filling in this form?").get_by_label("A parent or carer")).to_be_checked()

    answer_team_and_stage(page)
    answer_family_questions(page)
    send(page)
    expect_confirmation(page)

    [stored] = live_site.stored_responses()
    assert (stored.form_key, stored.team, stored.stage) == ("family", "dover-ehu", "review")
    assert stored.answers == FAMILY_ANSWERS


def tab_to(page: Page, target: Locator, most_presses: int = 40) -> None:
    """Press Tab until ``target`` has the focus, as someone using a keyboard would."""
    for _ in range(most_presses):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with {most_presses} presses of Tab")


def first_option(page: Page, legend: str) -> Locator:
    """Tabbing into a radios group with nothing chosen lands on its first option."""
    return question(page, legend).get_by_role("radio").first


def test_family_can_fill_in_and_send_the_whole_form_with_the_keyboard_alone(desktop, live_site):
    page = desktop
    keys = page.keyboard
    page.goto(FAMILY_FORM)

    tab_to(page, page.get_by_label(TEAM_QUESTION))
    keys.press("ArrowDown")  # from "Choose one" to the first team
    expect(page.get_by_label(TEAM_QUESTION)).to_have_value("ashford-ehu")

    tab_to(page, first_option(page, STAGE_QUESTION))
    keys.press("ArrowDown")  # arrow keys move between options and choose them
    keys.press("ArrowDown")
    expect(question(page, STAGE_QUESTION).get_by_label("Closure")).to_be_checked()

    tab_to(page, first_option(page, "Who is filling in this form?"))
    keys.press("Space")

    tab_to(page, first_option(page, "Has the help made things better for your family?"))
    keys.press("Space")
    keys.press("ArrowDown")

    tab_to(page, page.get_by_label("What was helpful? (optional)"))
    keys.type(FAMILY_ANSWERS["what_helped"])

    tab_to(page, first_option(page, "We were listened to"))
    keys.press("Space")
    tab_to(page, first_option(page, "We were involved in making our family's plan"))
    keys.press("ArrowDown")
    tab_to(page, first_option(page, "We were treated with respect"))
    keys.press("Space")
    tab_to(page, first_option(page, "We got help at the right time"))
    keys.press("ArrowDown")
    keys.press("ArrowDown")

    tab_to(page, first_option(page, "When the help started, how were things for your family?"))
    for _ in range(3):
        keys.press("ArrowRight")
    tab_to(page, first_option(page, "How are things for your family now?"))
    for _ in range(8):
        keys.press("ArrowRight")

    tab_to(page, page.get_by_role("button", name="Send feedback"))
    keys.press("Enter")
    expect_confirmation(page)

    [stored] = live_site.stored_responses()
    assert (stored.team, stored.stage) == ("ashford-ehu", "closure")
    assert stored.answers == FAMILY_ANSWERS


def test_a_link_for_a_team_and_stage_does_not_ask_for_them_and_stores_them(phone, live_site):
    page = phone
    page.goto(f"{FAMILY_FORM}?team=ashford-ehu&stage=closure")
    expect(page.get_by_text("This feedback is about Ashford Early Help Unit, at closure.")).to_be_visible()
    expect(page.get_by_label(TEAM_QUESTION)).to_have_count(0)
    expect(question(page, STAGE_QUESTION)).to_have_count(0)

    # A mistake on the way does not lose the team and stage from the link.
    send(page)
    summary = expect_error_summary(page)
    expect(summary).not_to_contain_text("team")
    expect(summary).not_to_contain_text("when you are giving this feedback")
    expect(page.get_by_label(TEAM_QUESTION)).to_have_count(0)

    answer_family_questions(page)
    send(page)
    expect_confirmation(page)

    [stored] = live_site.stored_responses()
    assert (stored.form_key, stored.team, stored.stage) == ("family", "ashford-ehu", "closure")
    assert stored.answers == FAMILY_ANSWERS
