"""An answer through an invitation to an anonymous form cannot be traced to the case or the worker."""

from typing import Any

from sqlalchemy import Table, select

from qaf.extensions import db
from qaf.models import Invitation, Response
from tests.conftest import ClientRequest
from tests.feedback.test_invitations import FAMILY_ANSWERS, invite

CASE = "EH-55501"


def row_of(table: Table, **where: Any) -> dict[str, Any] | None:
    query = select(table).where(*(table.c[name] == value for name, value in where.items()))
    found = db.session.execute(query).mappings().first()
    return dict(found) if found is not None else None


def reachable_from(table: Table, row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every row reached from ``row`` by following foreign keys, and every row pointing back at it."""
    reached: list[tuple[str, dict[str, Any]]] = []
    seen: set[tuple[str, Any]] = set()
    waiting = [(table, row)]
    while waiting:
        table, row = waiting.pop()
        key = (table.name, tuple(row[column.name] for column in table.primary_key))
        if key in seen:
            continue
        seen.add(key)
        reached.append((table.name, row))
        for foreign_key in table.foreign_keys:
            value = row[foreign_key.parent.name]
            if value is not None:
                target = foreign_key.column.table
                found = row_of(target, **{foreign_key.column.name: value})
                assert found is not None
                waiting.append((target, found))
    start_table, start = reached[0][0], reached[0][1]
    for other in db.metadata.sorted_tables:
        for foreign_key in other.foreign_keys:
            if foreign_key.column.table.name == start_table:
                for found in db.session.execute(
                    select(other).where(foreign_key.parent == start[foreign_key.column.name])
                ).mappings():
                    reached.append((other.name, dict(found)))
    return reached


def every_row() -> list[tuple[str, dict[str, Any]]]:
    return [
        (table.name, dict(found))
        for table in db.metadata.sorted_tables
        for found in db.session.execute(select(table)).mappings()
    ]


def answer_anonymous_invitation(app, staff) -> tuple[dict[str, Any], dict[str, Any]]:
    """A worker invites a family to the (anonymous) family form, and the family answers.

    Returns the invitation row as it was before the answer, and the worker's record.
    """
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    link = invite(worker, case=CASE)
    with app.app_context():
        before = row_of(Invitation.__table__)
        person = row_of(db.metadata.tables["user_account"], id=staff["practitioner"]["id"])
    assert before["case_reference"] == CASE
    assert before["created_by_id"] == staff["practitioner"]["id"]
    ClientRequest(app.test_client()).post(link, FAMILY_ANSWERS, _expected_redirect="/feedback/family/thank-you")
    return before, person


def test_nothing_reachable_from_an_anonymous_answer_names_the_case_or_the_worker(app, staff):
    _before, person = answer_anonymous_invitation(app, staff)
    with app.app_context():
        answer = row_of(Response.__table__)
        reached = reachable_from(Response.__table__, answer)
    tables = {name for name, _row in reached}
    assert "invitation" not in tables, "the answer leads to its invitation"
    assert "user_account" not in tables, "the answer leads to a member of staff"
    assert tables <= {"response", "form_version", "team", "service"}
    for name, row in reached:
        for column, value in row.items():
            text = str(value).upper()
            assert CASE not in text, f"{name}.{column} holds the case reference"
            assert person["email"].upper() not in text, f"{name}.{column} holds the worker's email"
            assert person["name"].upper() not in text, f"{name}.{column} holds the worker's name"


def test_once_answered_the_case_reference_is_nowhere_in_the_database(app, staff):
    answer_anonymous_invitation(app, staff)
    with app.app_context():
        holding = [
            (name, column) for name, row in every_row() for column, value in row.items() if CASE in str(value).upper()
        ]
    assert holding == []


def test_the_answered_invitation_keeps_team_stage_form_and_date_and_no_time_of_the_answer(app, staff):
    before, _person = answer_anonymous_invitation(app, staff)
    with app.app_context():
        after = row_of(Invitation.__table__)
        answer = row_of(Response.__table__)
    changed = {column: (before[column], after[column]) for column in after if before.get(column) != after[column]}
    assert changed == {
        "answered": (False, True),
        "case_reference": (CASE, None),
        "created_by_id": (staff["practitioner"]["id"], None),
    }, "only the answered mark is set and the case and worker cleared: no time, no link"
    assert (after["form_key"], after["team_id"], after["stage"]) == ("family", answer["team_id"], answer["stage"])
    assert "used_at" not in after
    assert answer["submitted_at"] not in after.values()


def test_the_worker_sees_only_how_many_answered_by_team_and_stage_and_is_told_why(app, staff):
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    waiting = invite(worker, case="EH-2")
    invite(worker, case="EH-3", stage="review")
    ClientRequest(app.test_client()).post(waiting, FAMILY_ANSWERS)
    page = worker.get("/invitations")
    text = " ".join(page.get_text().split())
    assert "EH-2" not in text, "the case that answered is not shown"
    assert "EH-3" in text, "a link still waiting is"
    assert "QAF then forgets which case it was for" in text
    assert "Only how many links were answered is counted, by team and stage" in text
    counts = [
        [" ".join(cell.get_text().split()) for cell in row.select("td")]
        for row in page.select("table")[-1].select("tbody tr")
    ]
    assert counts == [
        ["Ashford Early Help Unit", "Review", "1", "0 answered"],
        ["Ashford Early Help Unit", "Closure", "1", "1 answered"],
    ]
