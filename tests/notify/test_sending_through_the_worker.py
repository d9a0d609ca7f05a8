"""Sending through the real job queue (SQLite or Redis) and `flask qaf worker` in its own process:
a page only queues its messages, the worker sends them, and a worker killed mid-run loses none and
sends none twice."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from qaf.extensions import db
from qaf.mail import SENDING
from qaf.models import OutboxMessage, utc_now
from tests.conftest import ClientRequest, database_url, empty_database, make_app
from tests.notify.conftest import messages
from tests.notify.test_bulk_contacts import HEADER, upload
from tests.notify_stand_in import use_notify

ROOT = Path(__file__).parents[2]
WAIT_SECONDS = 60


@pytest.fixture(params=["sqlite", "redis"])
def queued_app(request, tmp_path, notify):
    """An app whose jobs wait for a worker, on a SQLite queue file or the local Redis, sending through the stand-in."""
    url = f"sqlite:///{tmp_path / 'jobs.sqlite'}" if request.param == "sqlite" else "redis://127.0.0.1:6379/0"
    app = make_app(tmp_path, JOBS_URL=url, JOBS_NAME=f"qaf-test-{uuid.uuid4().hex}", JOBS_IMMEDIATE=False)
    use_notify(app, notify)
    yield app
    app.extensions["qaf_jobs"].queue.storage.flush_all()
    empty_database(app)


def run_qaf(app, tmp_path: Path, *command: str, wait: bool = False):  # type: ignore[no-untyped-def]
    """``flask qaf <command>`` in its own process, on the test's database, queue and stand-in."""
    settings = ("SECRET_KEY", "JOBS_URL", "JOBS_NAME", "NOTIFY_API_KEY", "NOTIFY_BASE_URL")
    environment = (
        os.environ
        | {name: str(app.config[name]) for name in settings}
        | {
            "DATABASE_URL": database_url(tmp_path),
            "NOTIFY_TEMPLATE_SMS": app.config["NOTIFY_TEMPLATE_SMS"],
            "NOTIFY_TEMPLATE_EMAIL": app.config["NOTIFY_TEMPLATE_EMAIL"],
            "WORKER_THREADS": "1",
        }
    )
    arguments = [sys.executable, "-m", "flask", "--app", "app", "qaf", *command]
    if wait:
        return subprocess.run(arguments, cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
    with (tmp_path / "worker.log").open("a") as log:
        return subprocess.Popen(arguments, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}"
        time.sleep(0.1)


def stop(worker: subprocess.Popen, sig: int = signal.SIGINT) -> None:
    worker.send_signal(sig)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def first_messages(app) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    """The links' first messages (each link's reminder waits for its day)."""
    return [message for message in messages(app) if message.send_after is None]


def family_links(app, staff, count: int) -> None:
    worker = ClientRequest(app.test_client()).login(staff["practitioner"]["email"])
    rows = "".join(f"EH-{n},closure,ashford-ehu,07700 9{n:05d}\n" for n in range(1, count + 1))
    upload(worker, HEADER + rows)


def test_the_page_only_queues_and_the_worker_sends(queued_app, notify, staff, tmp_path):
    family_links(queued_app, staff, 3)
    # The page has answered; nothing has gone to Notify yet: the three wait on the queue.
    assert notify.sent("sms") == []
    assert [message.sent_at for message in first_messages(queued_app)] == [None] * 3
    worker = run_qaf(queued_app, tmp_path, "worker")
    try:
        wait_for(lambda: len(notify.sent("sms")) == 3, "the worker to send three text messages")
        wait_for(lambda: all(message.sent_at for message in first_messages(queued_app)), "the three recorded as sent")
    finally:
        stop(worker)
    assert all(message.recipient == "" for message in first_messages(queued_app))


def test_a_worker_killed_mid_run_loses_no_message_and_sends_none_twice(queued_app, notify, staff, tmp_path):
    notify.delay = 0.05
    family_links(queued_app, staff, 60)
    worker = run_qaf(queued_app, tmp_path, "worker")
    try:
        wait_for(lambda: len(notify.sent("sms")) >= 10, "the worker to send ten text messages")
    finally:
        stop(worker, signal.SIGKILL)
    assert len(notify.sent("sms")) < 60, "the worker finished before it was killed: nothing was tested"
    # Its job went with it; what it had claimed, it was sending when it died: Notify alone can say
    # whether that went. Once the claim is old enough, send-outbox asks Notify, then sends the rest.
    with queued_app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.error.startswith(SENDING))
            .values(claimed_at=utc_now() - timedelta(minutes=11))
        )
        db.session.commit()
    notify.delay = 0
    said = run_qaf(queued_app, tmp_path, "send-outbox", wait=True).stdout
    assert " 0 failed of " in said
    references = Counter(sent["reference"] for sent in notify.sent("sms"))
    assert len(references) == 60
    assert max(references.values()) == 1
    assert all(message.sent_at is not None for message in first_messages(queued_app))
