"""A child or young person giving feedback with the child-friendly form, at 320, 375, 390 and 1280 px wide."""

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

FACES = ["Really bad", "Bad", "OK", "Good", "Really good"]


def question(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, answer: str) -> None:
    question(page, legend).get_by_role("radio", name=answer, exact=True).check()


def expect_faces_with_words(faces: Locator) -> None:
    """Each face shows its words beside it, and a screen reader hears the words, not the emoji."""
    expect(faces.locator(".qaf-symbol[aria-hidden='true']")).to_have_count(len(FACES))
    labels = faces.locator(".govuk-radios__label")
    expect(labels).to_contain_text(FACES)
    for index, words in enumerate(FACES):
        expect(labels.nth(index)).to_be_visible()
        expect(faces.get_by_role("radio").nth(index)).to_have_accessible_name(words)


def expect_help_for_children(page: Page) -> None:
    """Childline and 999, in a child's words; not the adults' helpline or the complaints page."""
    expect(page.get_by_role("link", name="0800 1111")).to_have_attribute("href", "tel:08001111")
    expect(page.get_by_role("link", name="childline.org.uk")).to_have_attribute("href", "https://www.childline.org.uk")
    expect(page.get_by_text("If you are in danger now, call 999.")).to_be_visible()
    expect(page.get_by_text("NSPCC")).to_have_count(0)
    expect(page.get_by_role("link", name="Make a complaint")).to_have_count(0)


def test_a_child_can_follow_the_link_from_the_family_form_and_answer_with_the_faces(
    page_at_width, shared_site, assert_accessible
):
    page, live_site = page_at_width, shared_site
    stored_before = len(live_site.stored_responses())
    page.goto("/feedback/family")
    page.get_by_role("link", name="Are you a child or young person? Use the version with simpler words").click()
    expect(page).to_have_url(f"{live_site.url}/feedback/child")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what you think about the help you got")
    expect_help_for_children(page)
    assert_accessible(page)

    page.get_by_label("Which team has been working with you?").select_option(
        label="Dover Early Help Unit (Early Help Units)"
    )
    choose(page, "How old are you?", "11 to 15")
    choose(page, "Has the help made things better for you?", "Yes, a lot")
    page.get_by_label("What was good about the help? (optional)").fill("I could talk to her about school.")
    choose(page, "Did your worker listen to you?", "Yes")
    choose(page, "Did you get a say in your plan?", "Sometimes")
    choose(page, "Were you treated kindly and fairly?", "Yes")
    before = question(page, "Before the help started, how did you feel about things?")
    now = question(page, "How do you feel about things now?")
    expect_faces_with_words(before)
    expect_faces_with_words(now)
    before.get_by_role("radio", name="Bad", exact=True).check()
    now.get_by_role("radio", name="Good", exact=True).check()
    page.get_by_role("button", name="Send feedback").click()

    expect(page.get_by_role("heading", level=1, name="Thank you for telling us")).to_be_visible()
    expect(page.get_by_text("We do not know who you are, so we will not get in touch with you")).to_be_visible()
    expect_help_for_children(page)
    assert_accessible(page)
    [stored] = live_site.stored_responses()[stored_before:]
    assert (stored.form_key, stored.team, stored.stage) == ("child", "dover-ehu", None)
    assert stored.respondent_type == "young_person_11_15"
    assert stored.answers == {
        "age": "young_person_11_15",
        "help_helped": "yes_a_lot",
        "what_helped": "I could talk to her about school.",
        "listened_to": "yes",
        "involved_in_plan": "sometimes",
        "treated_with_respect": "yes",
        "feeling_at_start": "2",
        "feeling_now": "4",
    }
