"""The staff home page says what is due from the person signed in, overdue first, and nothing of anyone else's."""

from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event, select

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Activity, ActivityWork, Allocation, Audit, AuditAction, Team, User, utc_now
from qaf.responses import ensure_form_version
from tests.conftest import ClientRequest

TODAY = date.today()


def days(number: int) -> date:
    return TODAY + timedelta(days=number)


def section_rows(page: BeautifulSoup, section_id: str) -> list[str]:
    """The rows of one section, each as its text on one line; [] when the section says "Nothing due"."""
    heading = page.select_one(f"h2#{section_id}")
    assert heading is not None, f"no section {section_id}"
    following = heading.find_next_sibling(lambda tag: tag.name == "p" or "qaf-table-container" in tag.get("class", []))
    if following.name == "p":
        assert following.get_text(strip=True) == "Nothing due."
        return []
    return [" ".join(row.get_text().split()) for row in following.select("tbody tr")]


def section_ids(page: BeautifulSoup) -> list[str]:
    return [heading["id"] for heading in page.select("h2[id]")]


class Records:
    """Work for everyone in the staff fixture; ``copies`` of each of Alex's rows."""

    def __init__(self, app, staff: dict[str, Any], copies: int = 1):
        self.staff = staff
        with app.app_context():
            self.version_id = ensure_form_version(all_forms()["ehat-quality-audit"])
            self.teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
            self.activity = Activity(name="RFP practice audit", frequency="monthly", starts_on=days(-90))
            db.session.add(self.activity)
            db.session.flush()
            for copy in range(copies):
                self.alexs_work(copy)
            self.everyone_elses_work()
            db.session.commit()

    def person(self, who: str) -> User:
        return db.session.get_one(User, self.staff[who]["id"])

    def audit(self, reference: str, who: str, team: str = "ashford-ehu", **values: Any) -> Audit:
        audit = Audit(
            form_key="ehat-quality-audit",
            form_version_id=self.version_id,
            case_reference=reference,
            team_id=self.teams[team],
            auditor_id=self.staff[who]["id"],
            **values,
        )
        db.session.add(audit)
        db.session.flush()
        return audit

    def allocation(self, reference: str, who: str, due: date, **values: Any) -> Allocation:
        allocation = Allocation(
            case_reference=reference,
            team_id=self.teams["ashford-ehu"],
            auditor_id=self.staff[who]["id"],
            form_key="ehat-quality-audit",
            due_date=due,
            **values,
        )
        db.session.add(allocation)
        return allocation

    def action(self, description: str, who: str, due: date, on: Audit, status: str = "open") -> None:
        db.session.add(
            AuditAction(
                audit_id=on.id,
                action=description,
                owner_id=self.staff[who]["id"],
                due_date=due,
                status=status,
                created_by_id=self.staff["qa_admin"]["id"],
            )
        )

    def work(self, who: str, due: date, start: date, completed: date | None = None) -> None:
        db.session.add(
            ActivityWork(
                activity_id=self.activity.id,
                period_start=start,
                period_end=due,
                due_date=due,
                team_id=None,
                assignees=[self.person(who)],
                completed_on=completed,
            )
        )

    def alexs_work(self, copy: int) -> None:
        self.audit(f"EH-DRAFT-{copy}", "auditor")
        started = self.audit(f"EH-STARTED-{copy}", "auditor")
        self.allocation(f"EH-STARTED-{copy}", "auditor", days(-1), audit_id=started.id)
        self.allocation(f"EH-LATER-{copy}", "auditor", days(10))
        self.allocation(f"EH-LATE-{copy}", "auditor", days(-3))
        submitted = self.audit(f"EH-SENT-{copy}", "auditor", status="submitted", submitted_at=utc_now())
        self.action(f"Update the plan {copy}", "auditor", days(1), submitted)
        self.action(f"Chase the school {copy}", "auditor", days(-7), submitted, status="in_progress")
        self.action(f"Done already {copy}", "auditor", days(-7), submitted, status="done")
        self.work("auditor", days(-1), days(-30))
        self.work("auditor", days(40), days(-5))
        self.work("auditor", days(-40), days(-60), completed=days(-41))
        self.work("auditor", days(60), days(30))  # not begun: its period starts next month

    def everyone_elses_work(self) -> None:
        self.audit("EH-SAMS-DRAFT", "service_manager")
        self.allocation("EH-CANCELLED", "auditor", days(-2), cancelled_at=utc_now())
        self.allocation("EH-OLUS", "other_auditor", days(-2))
        ashford = self.audit("EH-ASHFORD", "auditor", status="submitted", submitted_at=utc_now())
        self.audit("EH-THANET", "other_auditor", team="thanet-youth", status="submitted", submitted_at=utc_now())
        self.audit("EH-SAMS-OWN", "service_manager", status="submitted", submitted_at=utc_now())
        self.action("Priya's action", "practitioner", days(-1), ashford)
        self.work("other_auditor", days(-1), days(-30))


@pytest.fixture
def records(app, staff) -> Records:
    return Records(app, staff)


def home(app, staff, who: str) -> BeautifulSoup:
    return ClientRequest(app.test_client()).login(staff[who]["email"]).get("/staff")


def test_after_signing_in_staff_land_on_what_is_due_from_them(app, staff, records):
    response = ClientRequest(app.test_client()).client.post(
        "/sign-in", data={"email": staff["auditor"]["email"], "password": "correct horse battery staple"}
    )
    assert response.headers["Location"] == "/staff"
    page = home(app, staff, "auditor")
    assert page.h1.get_text() == "Your work"
    assert section_ids(page) == ["audits", "allocations", "actions", "programme-work"]


def test_an_auditors_home_lists_their_own_work_overdue_first(app, staff, records):
    page = home(app, staff, "auditor")
    late, later = days(-3).strftime("%-d %B %Y"), days(10).strftime("%-d %B %Y")
    audits = section_rows(page, "audits")
    assert [" ".join(row.split()[:2]) for row in audits] == ["Case EH-STARTED-0", "Case EH-DRAFT-0"]
    assert "Overdue" in audits[0]
    assert "No due date" in audits[1]
    allocations = section_rows(page, "allocations")
    assert len(allocations) == 2
    assert allocations[0].startswith("Case EH-LATE-0")
    assert late in allocations[0]
    assert "Overdue" in allocations[0]
    assert allocations[1].startswith("Case EH-LATER-0")
    assert later in allocations[1]
    assert "Overdue" not in allocations[1]
    actions = section_rows(page, "actions")
    assert [row.split(" ")[0:3] for row in actions] == [["Chase", "the", "school"], ["Update", "the", "plan"]]
    assert "Overdue" in actions[0]
    work = section_rows(page, "programme-work")
    assert len(work) == 2
    assert "Overdue" in work[0]
    assert "Overdue" not in work[1]


def test_each_item_links_to_where_it_is_done(app, staff, records):
    page = home(app, staff, "auditor")
    with app.app_context():
        draft = db.session.scalar(select(Audit.id).where(Audit.case_reference == "EH-DRAFT-0"))
        late = db.session.scalar(select(Allocation.id).where(Allocation.case_reference == "EH-LATE-0"))
    hrefs = [link["href"] for link in page.select("main table a")]
    assert f"/audits/{draft}/edit" in hrefs
    assert any(href.startswith("/actions/") for href in hrefs)
    assert any(href.startswith("/programme/work/") for href in hrefs)
    forms = [form["action"] for form in page.select("main table form")]
    assert f"/programme/allocations/{late}/start" in forms


def test_counts_are_at_the_top(app, staff, records):
    page = home(app, staff, "auditor")
    counts = [" ".join(item.get_text().split()) for item in page.select("#counts li")]
    assert counts == [
        "Audits to finish: 2 items, 1 overdue",
        "Cases allocated to you to audit: 2 items, 1 overdue",
        "Your actions: 2 items, 1 overdue",
        "QA programme work assigned to you: 2 items, 1 overdue",
    ]


def test_nothing_of_anyone_elses_is_shown(app, staff, records):
    page = home(app, staff, "auditor")
    text = page.get_text()
    for theirs in ("EH-SAMS-DRAFT", "EH-CANCELLED", "EH-OLUS", "Priya's action", "Done already"):
        assert theirs not in text
    # A submitted audit is done: only its actions are still due.
    assert not [row for row in section_rows(page, "audits") if "EH-SENT" in row]


def test_a_service_manager_moderates_only_their_services_audits_and_never_their_own(app, staff, records):
    page = home(app, staff, "service_manager")
    assert section_ids(page) == ["audits", "allocations", "actions", "moderation", "group-moderation", "programme-work"]
    moderation = section_rows(page, "moderation")
    references = [row.split(" ")[1] for row in moderation]
    assert "EH-ASHFORD" in references
    assert "EH-THANET" not in references
    assert "EH-SAMS-OWN" not in references
    # Sam's own draft is his to finish; nobody else's is.
    assert [row.split(" ")[1] for row in section_rows(page, "audits")] == ["EH-SAMS-DRAFT"]
    assert section_rows(page, "allocations") == []


def test_the_qa_team_moderates_anywhere_but_drafts_stay_their_auditors(app, staff, records):
    page = home(app, staff, "qa_admin")
    references = [row.split(" ")[1] for row in section_rows(page, "moderation")]
    assert {"EH-ASHFORD", "EH-THANET", "EH-SAMS-OWN"} <= set(references)
    assert section_rows(page, "audits") == []


def test_a_practitioner_sees_their_actions_and_work_and_empty_sections_say_nothing_due(app, staff, records):
    page = home(app, staff, "practitioner")
    assert section_ids(page) == ["actions", "programme-work"]
    assert [row.split(" ")[0] for row in section_rows(page, "actions")] == ["Priya's"]
    assert section_rows(page, "programme-work") == []
    assert "Priya Worker" in page.get_text()


def statements_for_home(app, staff) -> int:
    client = ClientRequest(app.test_client()).login(staff["auditor"]["email"])
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(*_args: Any) -> None:
        seen.append("statement")

    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/staff")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_home_page_reads_the_same_few_queries_however_much_is_due(app, tmp_path, staff):
    Records(app, staff, copies=1)
    few = statements_for_home(app, staff)
    Records(app, staff, copies=6)
    assert statements_for_home(app, staff) == few
    assert few < 25
