"""When the database cannot take answers, the family gets them back; when it can again, the next post is stored."""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from qaf.extensions import db
from tests.conftest import POSTGRES_URL, add_teams, database_url, empty_database, error_summary, make_app
from tests.public.pages import CHECKED, count_stored, open_form, send
from tests.public.test_feedback_form import VALID_FAMILY

URL = "/feedback/family"


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The database file read-only, as on a disk remounted read-only (root ignores file modes)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)  # noqa: S603,S607  (a test's own file)
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)  # noqa: S603,S607
        else:
            path.chmod(0o644)


@pytest.mark.skipif(bool(POSTGRES_URL), reason="a database file is SQLite's")
def test_a_read_only_database_gives_the_answers_back_and_the_first_post_once_writable_is_stored(tmp_path):
    app = make_app(tmp_path, **CHECKED)
    add_teams(app)
    client = app.test_client()
    fields = open_form(client, URL)
    with read_only(tmp_path / "test.sqlite"):
        with app.app_context():
            db.engine.dispose()  # the connections the app opens from now on meet the read-only file
        status, page = send(client, URL, VALID_FAMILY | fields | {"what_helped": "Kept while it failed"})
        assert status == 503
        assert page is not None
        assert error_summary(page)[0][0].startswith("Your answers have not been saved")
        assert page.select_one("#what_helped").get_text() == "Kept while it failed"
        assert page.select_one("input[name=help_helped][value=yes_a_lot]").has_attr("checked")
    status, _page = send(client, URL, VALID_FAMILY | fields)
    assert status == 302
    assert count_stored(app) == 1
    empty_database(app)


@pytest.mark.skipif(not POSTGRES_URL, reason="ending the server's connections is PostgreSQL's")
def test_after_the_server_ends_the_apps_connections_the_next_post_is_stored(tmp_path):
    app = make_app(tmp_path, **CHECKED)
    add_teams(app)
    client = app.test_client()
    for _ in range(2):
        assert send(client, URL, VALID_FAMILY | open_form(client, URL))[0] == 302
    fields = open_form(client, URL)
    # As an administrator (or a failover) would: from outside the app, every other connection ended.
    outside = create_engine(database_url(tmp_path), poolclass=NullPool)
    with outside.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    outside.dispose()
    assert ended >= 1
    assert send(client, URL, VALID_FAMILY | fields)[0] == 302
    assert count_stored(app) == 3
    empty_database(app)
