"""Conditions and sections the auditor may skip, made on the editor's pages and published."""

import re
from typing import Any

from sqlalchemy import select

from qaf.editor.edits import new_section_id
from qaf.extensions import db
from qaf.models import FormDraft, FormPublication, Response
from tests.conftest import ClientRequest, error_summary
from tests.editor.conftest import revision, start_draft
from tests.reports.conftest import FAMILY_ANSWERS

FAMILY = "/admin/forms/family"
NEW_QUESTION = f"{FAMILY}/draft/sections/0/questions/1"
AUDIT = "/admin/forms/ehat-quality-audit"
YOUNG = ["young_person_11_15", "young_person_16_plus"]


def draft_definition(app, form_key: str) -> dict[str, Any]:
    with app.app_context():
        draft = db.session.scalar(select(FormDraft).where(FormDraft.form_key == form_key))
        assert draft is not None
        return dict(draft.definition)


def add_school_question(app, client: ClientRequest) -> None:
    """Section 1, question 2 of the family form: a yes or no question nobody has to answer."""
    start_draft(client, "family")
    client.post(
        f"{FAMILY}/draft/sections/0/questions/new/yes_no",
        {
            "revision": revision(app, "family"),
            "question_id": "school_told",
            "label": "Did your school know about the help?",
            "required": "no",
        },
        _expected_redirect=f"{FAMILY}/draft",
    )


def show_to_young_people(app, client: ClientRequest) -> None:
    """The condition pages' two steps: the earlier question, then its answers that show the new one."""
    condition = f"{NEW_QUESTION}/condition"
    page = client.get(condition)
    offered = [label.get_text(strip=True) for label in page.select("input[name=question] + label")]
    assert offered == ["Always show it", "Who is filling in this form?"]
    step_two = f"{condition}?earlier=who_is_answering"
    client.post(
        condition, {"question": "who_is_answering", "revision": revision(app, "family")}, _expected_redirect=step_two
    )
    page = client.get(step_two)
    assert "Show it when the answer to “Who is filling in this form?” is" in page.get_text()
    assert [box["value"] for box in page.select("input[name=values]")] == [
        "parent_carer",
        "child_under_11",
        *YOUNG,
        "other",
    ]
    client.post(step_two, {"values": YOUNG, "revision": revision(app, "family")}, _expected_redirect=NEW_QUESTION)


def publish(app, client: ClientRequest, url: str, form_key: str) -> None:
    client.post(f"{url}/draft/publish", {"revision": revision(app, form_key)}, _expected_redirect=url)


def test_a_question_shown_only_to_young_people_is_published_and_a_parents_answer_to_it_is_dropped(app, admin):
    add_school_question(app, admin)
    show_to_young_people(app, admin)
    page = admin.get(NEW_QUESTION)
    assert (
        "Shown only when the answer to “Who is filling in this form?” is “A young person aged 11 to 15” or "
        "“A young person aged 16 or over”" in " ".join(page.get_text().split())
    )
    publish(app, admin, FAMILY, "family")
    with app.app_context():
        publication = db.session.scalar(select(FormPublication))
        assert publication is not None
        new = publication.definition["sections"][0]["questions"][1]
        assert new["show_if"] == {"question": "who_is_answering", "is": YOUNG}

    family = admin.client
    family.post("/feedback/family?team=ashford-ehu&stage=closure", data=FAMILY_ANSWERS | {"school_told": "yes"})
    young = FAMILY_ANSWERS | {
        "who_is_answering": "young_person_16_plus",
        "young_person_heard": "agree",
        "school_told": "yes",
    }
    family.post("/feedback/family?team=ashford-ehu&stage=closure", data=young)
    with app.app_context():
        parent, young_person = db.session.scalars(select(Response).order_by(Response.id))
        assert "school_told" not in parent.answers
        assert young_person.answers["school_told"] == "yes"


def test_choosing_always_show_it_removes_the_condition(app, admin):
    add_school_question(app, admin)
    show_to_young_people(app, admin)
    admin.post(
        f"{NEW_QUESTION}/condition",
        {"question": "always", "revision": revision(app, "family")},
        _expected_redirect=NEW_QUESTION,
    )
    assert "show_if" not in draft_definition(app, "family")["sections"][0]["questions"][1]
    assert "Always shown" in admin.get(NEW_QUESTION).get_text()


def test_a_condition_on_a_later_question_is_shown_in_plain_words_on_the_check_page(app, admin):
    add_school_question(app, admin)
    show_to_young_people(app, admin)
    # Moved above the question its condition names.
    admin.post(
        f"{NEW_QUESTION}/move",
        {"direction": "up", "revision": revision(app, "family")},
        _expected_redirect=f"{FAMILY}/draft",
    )
    page = admin.get(f"{FAMILY}/draft/check")
    assert page.title.get_text().startswith("Error: ")
    (problem,) = error_summary(page)
    text, link = problem
    assert text == (
        "Section 1, question 1: “Who is filling in this form?” is asked after this: "
        "a condition can only name a question asked before it"
    )
    assert link == f"{FAMILY}/draft/sections/0/questions/0"
    assert "show_if" not in text
    assert "'" not in text


def section_data(page) -> dict[str, Any]:
    return {
        "title": page.select_one("#title")["value"],
        "intro": page.select_one("#intro").get_text(),
        "section_id": page.select_one("#section_id").get("value", ""),
        "may_not_apply": page.select_one("input[name=may_not_apply][checked]")["value"],
    }


def test_marking_a_section_may_not_apply_gives_it_an_id_and_the_published_template_offers_the_tick_box(app, admin):
    start_draft(admin, "ehat-quality-audit")
    section = f"{AUDIT}/draft/sections/2"
    page = admin.get(section)
    assert page.find("legend", string=re.compile("Can the auditor mark this section as not applicable?"))
    data = section_data(page) | {"may_not_apply": "yes", "revision": revision(app, "ehat-quality-audit")}
    admin.post(section, data, _expected_redirect=f"{AUDIT}/draft")
    raw = draft_definition(app, "ehat-quality-audit")["sections"][2]
    assert raw["id"] == "early_help_assessment_plan"
    assert raw["may_not_apply"] is True
    assert error_summary(admin.get(f"{AUDIT}/draft/check")) == []
    publish(app, admin, AUDIT, "ehat-quality-audit")

    start = {"template": "ehat-quality-audit", "case_reference": "EH-1001", "team": "1", "practitioner": ""}
    response = admin.client.post("/audits/new", data=start)
    page = admin.get(response.headers["Location"])
    tick_box = page.select_one("input[name=early_help_assessment_plan_not_applicable]")
    assert tick_box is not None
    assert tick_box["value"] == "not_applicable"
    assert page.find("legend", string=re.compile("Does this section apply?"))


def test_a_sections_id_is_kept_when_the_short_name_is_left_empty(app, admin):
    start_draft(admin, "ehat-quality-audit")
    section = f"{AUDIT}/draft/sections/2"
    data = section_data(admin.get(section)) | {"section_id": "plan", "may_not_apply": "no"}
    admin.post(section, data | {"revision": revision(app, "ehat-quality-audit")}, _expected_redirect=f"{AUDIT}/draft")
    data |= {"section_id": "", "may_not_apply": "yes", "title": "The plan"}
    admin.post(section, data | {"revision": revision(app, "ehat-quality-audit")}, _expected_redirect=f"{AUDIT}/draft")
    assert draft_definition(app, "ehat-quality-audit")["sections"][2]["id"] == "plan"


def test_an_id_made_from_a_heading_is_unique_in_the_form():
    definition = {
        "sections": [
            {"title": "Family network", "id": "family_network", "questions": []},
            {"title": "Family network", "questions": [{"id": "family_network_2_not_applicable"}]},
            {"title": "2. Plan", "questions": []},
        ]
    }
    assert new_section_id(definition, 1, "Family network") == "family_network_3"
    assert new_section_id(definition, 0, "Family network") == "family_network"
    assert new_section_id(definition, 2, "2. Plan") == "section_2_plan"
