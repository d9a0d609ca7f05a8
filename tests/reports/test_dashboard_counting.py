"""The dashboard keeps what it counted: new responses are added to the kept counts, and the page
shows exactly what counting everything again would show, in a number of queries that does not
grow with the responses."""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from qaf.extensions import db
from tests.reports.conftest import FAMILY_ANSWERS, respond
from tests.reports.test_equality import EQUALITY_ANSWERS

PAGE = "/reports?period=2026-27+Q3"


def tables(page) -> list[str]:
    return [table.get_text(" ", strip=True) for table in page.select("table")]


def counted_afresh(app: Flask, client_request) -> list[str]:
    app.extensions.pop("qaf_report_cache", None)
    return tables(client_request.get(PAGE))


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run meanwhile, on any connection."""
    ran: list[str] = []
    with app.app_context():
        engine = db.engine

    def seen(_connection, _cursor, statement, *_args) -> None:
        ran.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def some_responses(app: Flask, how_many: int) -> None:
    for number in range(how_many):
        answers = FAMILY_ANSWERS | EQUALITY_ANSWERS if number % 2 else FAMILY_ANSWERS
        stage = ("assessment", "review", "closure")[number % 3]
        respond(app, answers, stage=stage, team="dover-ehu" if number % 4 == 0 else "ashford-ehu")


def test_after_new_responses_the_dashboard_shows_what_counting_everything_again_shows(app, staff, client_request):
    some_responses(app, 8)
    client_request.login(staff["qa_admin"]["email"])
    client_request.get(PAGE)
    # Four more with the same equality answers: their groups reach 5 and are shown on their own.
    for _ in range(4):
        respond(app, FAMILY_ANSWERS | EQUALITY_ANSWERS | {"help_helped": "no"}, stage="review", team="dover-ehu")
        kept = tables(client_request.get(PAGE))
        assert kept == counted_afresh(app, client_request)
    assert any("Muslim" in table for table in kept)


def test_the_dashboard_runs_as_many_queries_for_many_responses_as_for_few(app, staff, client_request):
    client_request.login(staff["qa_admin"]["email"])
    some_responses(app, 3)
    counted_afresh(app, client_request)  # the connections opened (and their settings made) once
    with statements(app) as few:
        counted_afresh(app, client_request)
    some_responses(app, 30)
    with statements(app) as many:
        counted_afresh(app, client_request)
    assert len(many) == len(few)


def test_a_new_response_is_counted_on_its_own(app, staff, client_request):
    some_responses(app, 12)
    client_request.login(staff["qa_admin"]["email"])
    with statements(app) as cold:
        client_request.get(PAGE)
    respond(app, FAMILY_ANSWERS | EQUALITY_ANSWERS, stage="review")
    with statements(app) as after_one:
        client_request.get(PAGE)
    # The measures' and the breakdowns' counting reads only the responses stored since (by id).
    counting = [statement for statement in after_one if "FROM response" in statement and "report_" in statement]
    assert len(after_one) < len(cold)
    assert counting
    assert [statement for statement in counting if "response.id >" not in statement] == []
