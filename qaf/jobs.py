"""The job queue: work too long for a request, done by a worker process beside the web server.

huey keeps the queue in a SQLite file in instance/ by default, so the embedded set-up needs no
other server, or in Redis (``JOBS_URL=redis://...``) where several web servers and workers share
it. Its scheduler runs the periodic work (the outbox, Notify's delivery statuses, families' reminders,
staff's morning reminders of work and actions, alerts nobody has seen).

Jobs are plain functions registered by name; each runs inside an app context of the app the
worker process made once (``flask --app app qaf worker``), with its own database session. A test
app runs each job at once, inside the request that asked for it (huey's immediate mode), unless
``JOBS_IMMEDIATE`` says otherwise.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.api import Result, TaskWrapper
from huey.consumer import Consumer


class JobsError(Exception):
    """The job queue is set up wrongly (a ``JOBS_URL`` it cannot use, a worker in immediate mode)."""


def make_queue(url: str, *, name: str = "qaf", immediate: bool = False) -> Huey:
    """The huey queue ``url`` names: ``sqlite:///path`` or ``redis://host:port/db``."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url, immediate=immediate)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not immediate:
            path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), immediate=immediate)
    raise JobsError(f"JOBS_URL must start with sqlite:/// or redis://, not {url.split(':')[0]!r}")


class Jobs:
    """An app's queue and the jobs registered on it, by name."""

    def __init__(self, app: Flask, queue: Huey):
        self.queue = queue
        self.tasks: dict[str, TaskWrapper] = {}
        self._app = app

    def register(self, name: str, work: Callable[..., Any]) -> None:
        app = self._app

        @wraps(work)
        def in_app_context(*args: Any) -> Any:
            with app.app_context():
                return work(*args)

        self.tasks[name] = self.queue.task(name=name)(in_app_context)

    def register_periodic(self, name: str, work: Callable[[], Any], **when: str) -> None:
        """Run ``work`` from the worker's scheduler at the crontab ``when`` (minute="*/10")."""
        app = self._app

        @wraps(work)
        def in_app_context() -> Any:
            with app.app_context():
                return work()

        self.tasks[name] = self.queue.periodic_task(crontab(**when), name=name)(in_app_context)


def init_jobs(app: Flask) -> None:
    """Make the app's queue from its settings and register every job."""
    from qaf.audits.alert_escalation import escalate_alerts
    from qaf.invitation_messages import send_due_reminders
    from qaf.mail import deliver_outbox, read_deliveries
    from qaf.programme.case_imports import run_case_import
    from qaf.programme.reminders import send_reminders

    immediate = app.config["JOBS_IMMEDIATE"]
    queue = make_queue(
        app.config["JOBS_URL"],
        name=app.config["JOBS_NAME"],
        immediate=app.testing if immediate is None else bool(immediate),
    )
    jobs = Jobs(app, queue)
    jobs.register("import_cases", run_case_import)
    jobs.register("deliver_outbox", lambda message_ids, retrying=False: deliver_outbox(message_ids, retrying=retrying))
    # What send-outbox and send-invitation-reminders do from cron, done by the worker's scheduler.
    jobs.register_periodic("sweep_outbox", deliver_outbox, minute="*/10")
    jobs.register_periodic("read_deliveries", read_deliveries, minute="*/10")
    jobs.register_periodic("send_invitation_reminders", send_due_reminders, minute="7")
    # Staff's reminders of work and actions due and overdue, once a morning (send-reminders from cron).
    jobs.register_periodic("send_reminders", lambda: send_reminders(date.today()), hour="7", minute="0")
    # Alerts nobody has marked as seen go on to the service manager, then the Director (escalate-alerts).
    jobs.register_periodic("escalate_alerts", lambda: escalate_alerts(date.today()), hour="7", minute="5")
    app.extensions["qaf_jobs"] = jobs


def job_queue() -> Huey:
    """The current app's queue (for a job's own small notes, such as how far it has got)."""
    jobs: Jobs = current_app.extensions["qaf_jobs"]
    return jobs.queue


def enqueue(name: str, *args: Any) -> Result | None:
    """Put the job ``name`` on the queue for the worker (or, in immediate mode, run it now)."""
    jobs: Jobs = current_app.extensions["qaf_jobs"]
    result: Result | None = jobs.tasks[name](*args)
    return result


def enqueue_later(seconds: int, name: str, *args: Any) -> None:
    """Put the job ``name`` on the queue to run in ``seconds`` (a retry after a wait)."""
    jobs: Jobs = current_app.extensions["qaf_jobs"]
    jobs.tasks[name].schedule(args=args, delay=seconds)


def make_worker(app: Flask, threads: int | None = None) -> Consumer:
    """The worker for ``app``'s queue: ``threads`` threads (WORKER_THREADS) and the scheduler."""
    jobs: Jobs = app.extensions["qaf_jobs"]
    if jobs.queue.immediate:
        raise JobsError("this app runs jobs at once (JOBS_IMMEDIATE): there is nothing for a worker to do")
    return jobs.queue.create_consumer(workers=threads or app.config["WORKER_THREADS"], worker_type="thread")
