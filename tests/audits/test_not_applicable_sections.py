"""An auditor marks a section of an audit not applicable, where the template allows it: its required
questions are then not required, its answers are not kept, the audit pages and the workbook say
"Section not applicable" and leave its standards out, and an alert rule in it does not fire.
"""

from datetime import datetime

import pytest
from sqlalchemy import select, update

from qaf.audits.alerts import rules_met
from qaf.extensions import db
from qaf.models import Alert, Audit
from qaf.programme.peer_review import side_by_side
from tests.audits.conftest import PROJECT_FORMS
from tests.audits.test_audit_workflow import start, stored_audit
from tests.conftest import ClientRequest, empty_database, error_summary, make_app
from tests.reports.conftest import table_rows, workbook_for

REVIEW_AUDIT = """\
key: review-audit
version: 1
title: Audit with a review section
audience: auditor
grade_question: judgement
alerts:
  - {question: missed_concern, answers: ["yes"], reason: The review missed a safeguarding concern}
sections:
  - title: Assessment
    questions:
      - {id: assessment_1, type: standard, label: The assessment is up to date, thing: whether the assessment is
          up to date}
  - title: Review meeting
    id: review_meeting
    may_not_apply: true
    questions:
      - {id: review_1, type: standard, label: The review was on time, thing: whether the review was on time}
      - {id: missed_concern, type: yes_no, label: "Did the review miss a safeguarding concern?", thing: whether the
          review missed a safeguarding concern}
  - title: Judgement
    questions:
      - id: judgement
        type: radios
        label: Overall judgement
        thing: the overall judgement
        options: [Good, Inadequate]
"""

NOT_APPLICABLE = {"review_meeting_not_applicable": "not_applicable"}
ASSESSED = {"assessment_1": "met", "assessment_1_evidence": "Seen in March", "judgement": "good"}
REVIEWED = {"review_1": "not_met", "review_1_evidence": "Six months late", "missed_concern": "no"}
# The workbook's period, 2026-27 Q3, whatever today's date.
IN_Q3 = datetime(2026, 11, 10, 10, 30)


@pytest.fixture
def app(tmp_path):
    import shutil

    forms = tmp_path / "forms"
    shutil.copytree(PROJECT_FORMS, forms)
    (forms / "review-audit.yaml").write_text(REVIEW_AUDIT)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield app
    empty_database(app)


@pytest.fixture
def auditor(client_request, staff):
    return client_request.login(staff["auditor"]["email"])


def submitted(app, auditor, staff, answers: dict, case: str) -> int:
    audit_id = start(auditor, staff, case=case, template="review-audit")
    auditor.post(f"/audits/{audit_id}/edit", answers | {"intent": "submit"}, _expected_redirect=f"/audits/{audit_id}")
    with app.app_context():
        db.session.execute(update(Audit).where(Audit.id == audit_id).values(submitted_at=IN_Q3))
        db.session.commit()
    return audit_id


def section_texts(page, title: str) -> str:
    heading = next(h2 for h2 in page.select("h2") if h2.get_text(strip=True) == title)
    return " ".join(heading.find_next_sibling().get_text(" ").split())


def test_the_edit_page_asks_whether_the_section_applies_first(auditor, staff):
    audit_id = start(auditor, staff, template="review-audit")
    page = auditor.get(f"/audits/{audit_id}/edit")
    box = page.select_one("input[type=checkbox][name=review_meeting_not_applicable]")
    assert box["value"] == "not_applicable"
    assert "This section does not apply" in page.select_one(f"label[for={box['id']}]").get_text()
    names = [field["name"] for field in page.select("input[name], textarea[name]") if field["name"] != "csrf_token"]
    assert names.index("review_meeting_not_applicable") < names.index("review_1")
    assert "Does this section apply?" in page.get_text()


def test_without_the_tick_the_sections_required_questions_are_required(app, auditor, staff):
    audit_id = start(auditor, staff, template="review-audit")
    page = auditor.post(f"/audits/{audit_id}/edit", ASSESSED | {"intent": "submit"}, _expected_status=200)
    assert [link for _text, link in error_summary(page)] == ["#review_1", "#missed_concern"]
    assert stored_audit(app, audit_id).status == "draft"


def test_a_section_marked_not_applicable_is_submitted_empty_and_its_answers_are_not_kept(app, auditor, staff):
    # Answers sent for the section (typed before the tick, or sent with JavaScript off) are dropped.
    answers = ASSESSED | NOT_APPLICABLE | {"review_1": "met", "missed_concern": "yes"}
    audit_id = submitted(app, auditor, staff, answers, case="EH-1001")
    audit = stored_audit(app, audit_id)
    assert audit.status == "submitted"
    assert audit.answers == {**ASSESSED, "review_meeting_not_applicable": ["not_applicable"]}


def test_an_alert_rule_in_a_section_marked_not_applicable_does_not_fire(app, auditor, staff):
    submitted(app, auditor, staff, ASSESSED | NOT_APPLICABLE | {"missed_concern": "yes"}, case="EH-1001")
    submitted(app, auditor, staff, ASSESSED | REVIEWED | {"missed_concern": "yes"}, case="EH-1002")
    with app.app_context():
        alerts = db.session.scalars(select(Alert)).all()
        assert [alert.reasons for alert in alerts] == ["The review missed a safeguarding concern"]
        assert alerts[0].audit.case_reference == "EH-1002"
        # Even when an answer to it was stored (a draft keeps them), the rule does not fire.
        spec = alerts[0].audit.form_version.as_spec()
        stored = ASSESSED | {"review_meeting_not_applicable": ["not_applicable"], "missed_concern": "yes"}
        assert rules_met(spec, stored) == []
        assert [rule.question for rule in rules_met(spec, stored | {"review_meeting_not_applicable": []})] == [
            "missed_concern"
        ]


def test_the_audit_and_moderation_pages_say_section_not_applicable(app, auditor, staff):
    audit_id = submitted(app, auditor, staff, ASSESSED | NOT_APPLICABLE, case="EH-1001")
    manager = ClientRequest(app.test_client()).login(staff["service_manager"]["email"])
    for url in (f"/audits/{audit_id}", f"/audits/{audit_id}/moderate"):
        page = manager.get(url)
        review = section_texts(page, "Review meeting")
        assert review.startswith("Section not applicable: the auditor marked that this section does not apply.")
        assert "its standards are not counted" in review
        assert "Not answered" not in page.get_text()
        assert "Does this section apply?" not in page.get_text()
        assert "The review was on time" not in page.get_text()
        assert "Met Evidence: Seen in March" in section_texts(page, "Assessment")


def test_a_section_that_applies_reads_as_before(app, auditor, staff):
    audit_id = submitted(app, auditor, staff, ASSESSED | REVIEWED, case="EH-1001")
    page = auditor.get(f"/audits/{audit_id}")
    review = section_texts(page, "Review meeting")
    assert review.startswith("The review was on time Not met Evidence: Six months late")
    assert "Section not applicable" not in page.get_text()
    assert "Does this section apply?" not in page.get_text()


def test_the_standards_sheet_leaves_the_section_out_of_the_shares(app, auditor, staff):
    submitted(app, auditor, staff, ASSESSED | NOT_APPLICABLE, case="EH-1001")
    submitted(app, auditor, staff, ASSESSED | REVIEWED, case="EH-1002")
    submitted(app, auditor, staff, ASSESSED | REVIEWED | {"review_1": "met"}, case="EH-1003")
    book = workbook_for(app)
    ours = [row for row in table_rows(book["Standards"]) if row["Template"] == "Audit with a review section"]
    standards = {row["Standard"]: row for row in ours}
    review = standards["The review was on time"]
    assert (review["Met"], review["Not met"], review["Section not applicable"]) == (1, 1, 1)
    assert review["Audits answering"] == 2
    assert review["Met (share)"] == 0.5
    assessment = standards["The assessment is up to date"]
    assert (assessment["Met"], assessment["Section not applicable"], assessment["Met (share)"]) == (3, 0, 1)
    cells = sorted(row["The review was on time"] for row in table_rows(book["review-audit"]))
    assert cells == ["Met", "Not met", "Section not applicable"]


def test_a_draft_keeps_the_sections_answers_until_the_audit_is_submitted(app, auditor, staff):
    audit_id = start(auditor, staff, template="review-audit")
    draft = ASSESSED | NOT_APPLICABLE | {"review_1": "met", "intent": "draft"}
    auditor.post(f"/audits/{audit_id}/edit", draft, _expected_redirect=f"/audits/{audit_id}/edit")
    assert stored_audit(app, audit_id).answers["review_1"] == "met"
    # Read as the auditor left it: the section does not apply, whatever the draft keeps.
    assert section_texts(auditor.get(f"/audits/{audit_id}"), "Review meeting").startswith("Section not applicable")
    page = auditor.get(f"/audits/{audit_id}/edit")
    assert page.select_one("input[name=review_meeting_not_applicable]").has_attr("checked")
    assert page.select_one("input[name=review_1][value=met]").has_attr("checked")
    # A draft still checks what it keeps.
    page = auditor.post(
        f"/audits/{audit_id}/edit", NOT_APPLICABLE | {"review_1": "sometimes", "intent": "draft"}, _expected_status=200
    )
    assert [link for _text, link in error_summary(page)] == ["#review_1"]

    # Unticked, the section's answers are there and its questions are required again.
    page = auditor.post(f"/audits/{audit_id}/edit", ASSESSED | {"review_1": "met", "intent": "submit"}, 200)
    assert [link for _text, link in error_summary(page)] == ["#missed_concern"]
    auditor.post(f"/audits/{audit_id}/edit", ASSESSED | REVIEWED | {"intent": "submit"})
    assert stored_audit(app, audit_id).answers == ASSESSED | REVIEWED


def test_the_peer_reviews_side_by_side_says_which_audit_marked_the_section(app, auditor, staff):
    first = submitted(app, auditor, staff, ASSESSED | NOT_APPLICABLE, case="EH-1001")
    second = submitted(app, auditor, staff, ASSESSED | REVIEWED, case="EH-1001")
    with app.app_context():
        sections = dict(side_by_side(db.session.get(Audit, first), db.session.get(Audit, second)))
    rows = {row.label: (row.first, row.second) for row in sections["Review meeting"]}
    assert rows == {
        "The review was on time": ("Section not applicable", "Not met"),
        "Evidence": ("Section not applicable", "Six months late"),
        "Did the review miss a safeguarding concern?": ("Section not applicable", "No"),
    }


def test_the_shipped_early_help_assessment_audit_lets_the_auditor_skip_the_review_meeting(app, auditor, staff):
    audit_id = start(auditor, staff, template="ehat-quality-audit")
    page = auditor.get(f"/audits/{audit_id}/edit")
    box = page.select_one("input[name=review_meeting_not_applicable]")
    assert box is not None
    heading = box.find_parent("fieldset").find_previous("h2")
    assert heading.get_text(strip=True) == "Early Help Assessment Review Meeting"
