"""Fixtures for sending through GOV.UK Notify: the stand-in, an app using it, a worker signed in."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import OutboxMessage
from tests.conftest import ClientRequest, check_page
from tests.notify_stand_in import StandIn, notify_stand_in, use_notify


@pytest.fixture
def notify() -> Iterator[StandIn]:
    with notify_stand_in() as stand_in:
        yield stand_in


@pytest.fixture
def notify_app(app: Flask, notify: StandIn) -> Flask:
    use_notify(app, notify)
    return app


@pytest.fixture
def worker(notify_app: Flask, staff: dict[str, Any]) -> ClientRequest:
    return ClientRequest(notify_app.test_client()).login(staff["practitioner"]["email"])


def post_page(client: ClientRequest, url: str, data: dict[str, Any], status: int = 200) -> Any:
    """Post, check the status, and close the response (what the browser's end of it does), so that
    the work queued for after the page (the sending) runs; the page, parsed, unless it redirected."""
    response = client.client.post(url, data=data)
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    page = check_page(response.get_data(as_text=True)) if status == 200 else None
    response.close()
    return page


def messages(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(found)


def scheduled_retries(app: Flask) -> list[tuple[str, tuple[Any, ...], datetime]]:
    """The jobs waiting on the queue's schedule (in a test app: nothing runs them): name, arguments, when."""
    queue = app.extensions["qaf_jobs"].queue
    return [(task.name, task.args, task.eta) for task in queue.scheduled()]


def run_scheduled(app: Flask) -> None:
    """Run every job waiting on the schedule now, as the worker would once its time came."""
    queue = app.extensions["qaf_jobs"].queue
    for task in queue.read_schedule(datetime.now() + timedelta(days=1)):
        task.eta = None
        queue.execute(task)
