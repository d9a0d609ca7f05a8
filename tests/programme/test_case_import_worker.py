"""The case list import through the real job queue (SQLite or Redis) and `flask qaf worker` in its own process."""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import database_url, empty_database, make_app
from tests.programme.conftest import case_csv

ROOT = Path(__file__).parents[2]
WAIT_SECONDS = 90


@pytest.fixture(params=["sqlite", "redis"])
def app(request, tmp_path):
    """An app whose jobs wait for a worker: on a SQLite queue file, or on the local Redis under a name of its own."""
    url = f"sqlite:///{tmp_path / 'jobs.sqlite'}" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    app = make_app(
        tmp_path,
        JOBS_URL=url,
        JOBS_NAME=f"qaf-test-{uuid.uuid4().hex}",
        JOBS_IMMEDIATE=False,
        CASE_IMPORT_FOLDER=str(tmp_path / "uploads"),
    )
    yield app
    app.extensions["qaf_jobs"].queue.storage.flush_all()
    empty_database(app)


def start_worker(app, tmp_path: Path) -> subprocess.Popen:
    environment = os.environ | {
        "DATABASE_URL": database_url(tmp_path),
        "SECRET_KEY": app.config["SECRET_KEY"],
        "JOBS_URL": app.config["JOBS_URL"],
        "JOBS_NAME": app.config["JOBS_NAME"],
        "CASE_IMPORT_FOLDER": app.config["CASE_IMPORT_FOLDER"],
        "WORKER_THREADS": "1",
    }
    with (tmp_path / "worker.log").open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "qaf", "worker"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_worker(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGINT)  # huey's graceful stop: the job in hand is finished first
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def test_a_queued_import_shows_a_refresh_link_until_the_worker_has_imported_it(app, staff, admin, tmp_path):
    # Under 500 KB: a bigger body makes the test client spool it to a temporary file it never closes.
    rows = [f"EH-{n:05d},ashford-ehu,,worker@example.gov.uk,,2026-01-10,,,,no,no,no," for n in range(6_000)]
    data = case_csv(*rows)
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "big.csv")})
    location = response.headers["Location"]

    page = admin.get(location)
    assert page.h1.get_text() == "Importing the case list"
    assert "Waiting to start" in page.get_text()
    refresh = page.find("a", string="Refresh")
    assert refresh["href"] == location
    assert len(list((tmp_path / "uploads").iterdir())) == 1

    worker = start_worker(app, tmp_path)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while page.h1.get_text() == "Importing the case list" and time.monotonic() < deadline:
            time.sleep(0.25)
            page = admin.get(location)
    finally:
        stop_worker(worker)
    log = (tmp_path / "worker.log").read_text()
    assert page.h1.get_text() == "Case list imported", log
    assert "6,000 cases in the file: 6,000 cases added, 0 updated, 0 unchanged." in page.get_text()
    assert page.find("a", string="Refresh") is None
    assert list((tmp_path / "uploads").iterdir()) == []
    assert "6,000 cases imported" in admin.get("/programme/cases").get_text()


def test_the_worker_will_not_start_where_jobs_run_at_once(tmp_path):
    app = make_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["qaf", "worker"])
    assert result.exit_code == 1
    assert "this app runs jobs at once (JOBS_IMMEDIATE): there is nothing for a worker to do" in result.output
    empty_database(app)
