"""What the public pages promise: the right forms on the start page, the right help for each reader,
a thank-you that is true for each form, the time a form takes, and an accessibility statement."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import ClientRequest, empty_database, make_app

FAMILY_FORMS = ["family", "child", "closure", "cp-conference"]
PROFESSIONAL_FORMS = ["partner", "triage-notifier", "supervision", "training"]
ADULT_HELPLINE = "NSPCC helpline on 0808 800 5000"


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app, with the settings a test gives through ``indirect`` parametrization."""
    app = make_app(tmp_path, **getattr(request, "param", {}))
    yield app
    empty_database(app)


def words(page) -> str:
    return " ".join(page.get_text().split())


def test_the_start_page_lists_the_family_and_child_forms_and_no_staff_or_partner_form(client_request):
    page = client_request.get("/")
    hrefs = {link["href"] for link in page.select("main ul a")}
    assert hrefs == {f"/feedback/{key}" for key in FAMILY_FORMS}
    assert "about 10 minutes" in words(page)  # the closure form's own time


@pytest.mark.parametrize(("form", "time"), [("family", "It takes about 5 minutes"), ("closure", "about 10 minutes")])
def test_a_slip_says_the_time_its_form_says(app, staff, form, time):
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    invitation = {"form": form, "case_reference": "eh-55501", "team": "1", "stage": "closure"}
    slip = words(worker.post("/invitations/new", invitation, _expected_status=200).select_one(".qaf-slip"))
    assert time in slip
    assert "5 minutes" not in slip or form == "family"


@pytest.mark.parametrize("url", ["/feedback/child", "/feedback/child/thank-you"])
def test_children_are_offered_childline_and_not_the_adults_helpline_or_a_complaint(client_request, teams, url):
    page = client_request.get(url)
    text = words(page)
    assert "If you are in danger now, call 999." in text
    assert "0800 1111" in text
    hrefs = {link["href"] for link in page.select("main a")}
    assert {"tel:08001111", "https://www.childline.org.uk"} <= hrefs
    assert "NSPCC" not in text
    assert "Make a complaint" not in text


def test_the_childs_thank_you_page_is_in_the_child_forms_words(client_request):
    page = client_request.get("/feedback/child/thank-you")
    assert page.h1.get_text(strip=True) == "Thank you for telling us"
    assert "We do not know who you are, so we will not get in touch with you about your answers." in words(page)


@pytest.mark.parametrize("url", ["/", "/feedback/family", "/feedback/closure/thank-you", "/i/" + "x" * 43])
def test_family_pages_keep_the_adult_helpline_and_the_complaints_link(client_request, teams, url):
    page = client_request.get(url, _expected_status=404 if url.startswith("/i/") else 200)
    assert ADULT_HELPLINE in words(page)
    assert page.find("a", string=re.compile("Make a complaint"))


@pytest.mark.parametrize("form", PROFESSIONAL_FORMS)
@pytest.mark.parametrize("page_of", ["/feedback/{}", "/feedback/{}/thank-you"])
def test_partner_and_staff_pages_say_call_999_and_contact_the_safeguarding_front_door(
    client_request, teams, form, page_of
):
    text = words(client_request.get(page_of.format(form)))
    assert "If you think a child is in danger now, call 999." in text
    assert "Your council's children's front door (the multi-agency safeguarding hub, MASH)" in text
    assert "nobody reads it straight away" in text
    assert "NSPCC" not in text


@pytest.mark.parametrize("app", [{"SAFEGUARDING_CONTACT": "the Front Door on 03000 411111"}], indirect=True)
def test_the_safeguarding_contact_comes_from_the_configuration(client_request):
    assert "Contact the Front Door on 03000 411111 now" in words(client_request.get("/feedback/partner"))


def test_a_closed_staff_survey_offers_the_professionals_help_not_the_familys(client_request):
    text = words(client_request.get("/feedback/staff-survey"))
    assert "not open at the moment" in text
    assert "safeguarding concern" in text
    assert "NSPCC" not in text


@pytest.mark.parametrize(
    ("form", "true", "untrue"),
    [
        ("family", "because we do not know who sent it", "organisation"),
        ("triage-notifier", "because we do not know who sent it", "If you told us which organisation"),
        (
            "partner",
            "If you told us which organisation you work for, we know your answers came from it",
            "do not know who sent it",
        ),
        ("supervision", "Your answers are anonymous: we do not know who sent them", "organisation"),
        ("training", "Your answers are anonymous: we do not know who sent them", "organisation"),
    ],
)
def test_each_thank_you_page_says_what_is_true_of_who_sent_the_answers(client_request, form, true, untrue):
    text = words(client_request.get(f"/feedback/{form}/thank-you").select_one("main"))
    assert true in text
    assert untrue not in text.split("If you are worried")[0]


@pytest.mark.parametrize("url", ["/", "/feedback/family", "/feedback/partner/thank-you", "/privacy", "/accessibility"])
def test_every_page_links_to_the_privacy_notice_and_the_accessibility_statement_in_its_footer(
    client_request, teams, url
):
    footer = client_request.get(url).select_one("footer")
    links = {link.get_text(strip=True): link["href"] for link in footer.select("a")}
    assert links["Privacy"] == "/privacy"
    assert links["Accessibility statement"] == "/accessibility"


def test_the_accessibility_statement_follows_the_model_statement(client_request):
    page = client_request.get("/accessibility")
    text = words(page)
    headings = [heading.get_text(strip=True) for heading in page.select("main h2, main h3")]
    for heading in [
        "How accessible this website is",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ]:
        assert heading in headings
    assert "is committed to making its website accessible, in accordance with the Public Sector Bodies" in text
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland" in text
    assert "320, 375, 390 and 1280 pixels" in text
    assert "JavaScript switched off" in text
    assert "contact Your council's customer services" in text


@pytest.mark.parametrize("app", [{"ACCESSIBILITY_CONTACT": "access@council.example"}], indirect=True)
def test_the_accessibility_contact_comes_from_the_configuration(client_request):
    page = client_request.get("/accessibility")
    assert page.select_one("main a[href='mailto:access@council.example']")


def test_the_start_page_says_which_form_is_for_children_and_young_people(client_request):
    page = client_request.get("/")
    children = page.find("h2", string="For children and young people")
    assert children is not None
    assert [link["href"] for link in children.find_next("ul").select("a")] == ["/feedback/child"]
    parents = page.find("h2", string="For parents and carers")
    assert "/feedback/child" not in {link["href"] for link in parents.find_next("ul").select("a")}
