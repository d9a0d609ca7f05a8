"""Simultaneous submissions from several processes: none fails, none is lost, none is doubled."""

import multiprocessing
from pathlib import Path

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import FormVersion, Response
from tests.conftest import database_url, empty_database, make_app

PROCESSES = 6
EACH = 15


def submit_many(url: str, start, done) -> None:  # type: ignore[no-untyped-def]
    from qaf import create_app
    from qaf.forms_registry import all_forms
    from qaf.responses import store_response

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        spec = all_forms()["family"]
        start.wait()
        for number in range(EACH):
            store_response(spec, {"help_helped": "yes_a_lot", "things_now": number}, team_id=None, stage="review")
        db.session.remove()
        db.engine.dispose()
    done.put(EACH)


def test_simultaneous_first_submissions_from_many_processes_are_all_stored_once(tmp_path: Path):
    app = make_app(tmp_path)
    context = multiprocessing.get_context("spawn")
    start, done = context.Barrier(PROCESSES), context.Queue()
    workers = [
        context.Process(target=submit_many, args=(database_url(tmp_path), start, done)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    stored_by_workers = sum(done.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == stored_by_workers == PROCESSES * EACH
        assert db.session.scalar(select(func.count()).select_from(FormVersion)) == 1
    empty_database(app)
