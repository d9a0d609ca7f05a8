"""Benchmark bulk invitations with contacts: 5,000 cases uploaded as CSV files, then the queue drains them.

Issue 15's target: the upload page does under a second of work a request (the sending is only
queued), and the job queue's worker sends the 5,000 text messages through the Notify stand-in
(tests/notify_stand_in.py, a local HTTP server checking the client's JWT as Notify does) in a time
measured beside the stand-in alone: the same 5,000 messages sent by Notify's Python client from
as many threads as the worker has, with nothing of QAF in between.

1. A fresh SQLite database and a fresh SQLite job queue in a temporary folder; teams and a
   practitioner; Notify settings pointing at the stand-in.
2. ``--files`` CSV files of 500 rows (the page's most), each row a case with a UK mobile
   number, posted to /invitations/bulk by a signed-in practitioner: wall and CPU time a request,
   until its response is closed (when the request hands its messages to the queue).
3. The worker (huey's consumer, WORKER_THREADS threads) runs until every first message is sent;
   each reminder waits for its day, as it would.
4. The baseline: Notify's client sending the same number of messages to the stand-in.

Run from the project root: ``.venv/bin/python bench/invitations.py [--files 10] [--threads 2]``.
"""

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from notifications_python_client.notifications import NotificationsAPIClient  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from qaf import create_app  # noqa: E402
from qaf.auth.passwords import hash_password  # noqa: E402
from qaf.extensions import db  # noqa: E402
from qaf.jobs import make_worker  # noqa: E402
from qaf.models import OutboxMessage, Service, Team, User  # noqa: E402
from tests.notify_stand_in import API_KEY, TEMPLATE_SMS, notify_stand_in, use_notify  # noqa: E402

ROWS_A_FILE = 500
PASSWORD = "bench password of some length"  # noqa: S105  # the bench's own throwaway account


def make_app(folder: Path, threads: int):  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-of-enough-length",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'qaf.sqlite'}",
            "JOBS_URL": f"sqlite:///{folder / 'jobs.sqlite'}",
            "JOBS_IMMEDIATE": False,
            "WORKER_THREADS": threads,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASHING": "cheapest-for-tests",
        }
    )
    with app.app_context():
        db.create_all()
        service = Service(slug="early-help-units", name="Early Help Units")
        team = Team(slug="ashford-ehu", name="Ashford Early Help Unit", district="Ashford", service=service)
        worker = User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team=team)
        worker.password_hash = hash_password(PASSWORD)
        db.session.add_all([service, team, worker])
        db.session.commit()
    return app


def case_file(number: int) -> bytes:
    first = number * ROWS_A_FILE
    rows = "".join(
        f"EH-{case},closure,ashford-ehu,07700 9{case % 100_000:05d}\n" for case in range(first, first + ROWS_A_FILE)
    )
    return ("case_reference,stage,team,mobile\n" + rows).encode()


def upload_all(app, files: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": "worker@example.gov.uk", "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:2000]
    walls, cpus = [], []
    for number in range(files):
        data = {"form": "family", "file": (io.BytesIO(case_file(number)), "cases.csv")}
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.post("/invitations/bulk", data=data, content_type="multipart/form-data")
        response.close()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        assert f"The links for {ROWS_A_FILE} families are being sent" in response.get_data(as_text=True)
    return walls, cpus


def sent_count(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        sent = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_not(None))
        return db.session.scalar(sent)


def drain(app, expected: int) -> float:  # type: ignore[no-untyped-def]
    consumer = make_worker(app)
    started = time.perf_counter()
    # The worker's threads and scheduler, started from this (the main) thread, which then watches.
    consumer.start()
    while sent_count(app) < expected:
        time.sleep(0.05)
    took = time.perf_counter() - started
    consumer.stop(graceful=True)
    return took


def stand_in_alone(base_url: str, messages: int, threads: int) -> float:
    client = NotificationsAPIClient(API_KEY, base_url=base_url)
    each = messages // threads

    def send(start: int) -> None:
        for case in range(start, start + each):
            client.send_sms_notification(
                phone_number=f"07700 9{case % 100_000:05d}",
                template_id=TEMPLATE_SMS,
                personalisation={"body": f"How did the help for your family go? https://example/i/{case}"},
                reference=f"qaf-{case}",
            )

    workers = [threading.Thread(target=send, args=(n * each,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=10, help="CSV files of 500 cases (default 10: 5,000)")
    parser.add_argument("--threads", type=int, default=2, help="the worker's threads, and the baseline's")
    args = parser.parse_args()
    messages = args.files * ROWS_A_FILE
    with tempfile.TemporaryDirectory() as folder, notify_stand_in() as stand_in:
        app = make_app(Path(folder), args.threads)
        use_notify(app, stand_in)
        walls, cpus = upload_all(app, args.files)
        print(
            f"upload of {ROWS_A_FILE} cases with contacts, {args.files} files:"
            f" wall mean {statistics.mean(walls):.3f} s,"
            f" max {max(walls):.3f} s; CPU mean {statistics.mean(cpus):.3f} s, max {max(cpus):.3f} s a request"
        )
        queue_took = drain(app, messages)
        assert len(stand_in.sent("sms")) == messages, len(stand_in.sent("sms"))
        alone = stand_in_alone(stand_in.base_url, messages, args.threads)
        print(
            f"{messages:,} text messages: the queue drained them in {queue_took:.1f} s"
            f" ({messages / queue_took:,.0f} a second); Notify's client alone to the stand-in, {args.threads} threads:"
            f" {alone:.1f} s ({messages / alone:,.0f} a second); ratio QAF/alone {queue_took / alone:.2f}"
        )


if __name__ == "__main__":
    main()
