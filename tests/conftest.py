"""Shared fixtures: an app on a fresh database, and a client that checks every page it gets.

The database is a new SQLite file per test, or the PostgreSQL database named by
TEST_DATABASE_URL (emptied after each test) when that is set. Run in parallel
(``pytest -n 2``, as ``make pytest`` does), each pytest-xdist worker has a PostgreSQL
database of its own beside that one: ``test_gw0``, ``test_gw1``... made on first use.
"""

import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from psycopg import sql
from sqlalchemy import create_engine, make_url, text

from qaf import create_app
from qaf.extensions import db
from qaf.models import Service, Team, User
from tests.auth.oidc import Provider, start_provider, stop_provider


def worker_database_url(url: str, worker: str | None) -> str:
    """The PostgreSQL database for this pytest-xdist ``worker`` (``test`` becomes ``test_gw0``), or ``url`` itself."""
    if not url or not worker:
        return url
    parts = make_url(url)
    return parts.set(database=f"{parts.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = worker_database_url(os.environ.get("TEST_DATABASE_URL", ""), os.environ.get("PYTEST_XDIST_WORKER"))
_postgres_schema_fresh = False


def pytest_configure(config: pytest.Config) -> None:
    """Make this worker's PostgreSQL database if it is not there yet (from the server's TEST_DATABASE_URL one)."""
    given = os.environ.get("TEST_DATABASE_URL", "")
    if not POSTGRES_URL or POSTGRES_URL == given:
        return
    name = make_url(POSTGRES_URL).database
    with psycopg.connect(given, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_url(tmp_path: Path) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


@cache
def _empty_sqlite_schema() -> bytes:
    """A SQLite file with the models' tables and no rows, made once a worker."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.sqlite"
        engine = create_engine(f"sqlite:///{path}")
        db.metadata.create_all(engine)
        engine.dispose()
        return path.read_bytes()


def copy_empty_schema(path: Path) -> Path:
    """A new SQLite file at ``path`` with the models' tables and no rows, unless one is there already.

    The same as ``db.create_all()`` on an empty file, without compiling the tables' DDL for every test.
    """
    if not path.exists():
        path.write_bytes(_empty_sqlite_schema())
    return path


def make_app(tmp_path: Path, **config: Any) -> Flask:
    """An app on a fresh database with tables made from the models (the migrations are tested apart)."""
    global _postgres_schema_fresh
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-of-enough-length",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASHING": "cheapest-for-tests",
        # Tests post answers without opening the page first, or at once (tests/public checks both).
        "PUBLIC_SUBMISSION_TOKEN_REQUIRED": False,
        "PUBLIC_MIN_FILL_SECONDS": 0,
    }
    if not POSTGRES_URL:
        copy_empty_schema(tmp_path / "test.sqlite")
    app = create_app(settings | config)
    with app.app_context():
        if POSTGRES_URL and not _postgres_schema_fresh:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            _postgres_schema_fresh = True
        db.create_all()  # makes nothing on a copy of the schema file
    return app


def empty_database(app: Flask) -> None:
    with app.app_context():
        if POSTGRES_URL:
            # DELETE, dependants first, then every id sequence back to 1: as TRUNCATE ... RESTART IDENTITY
            # leaves the tables, in a twentieth of the time (TRUNCATE makes new files for every table).
            # The names are the models' own tables, never input.
            tables = reversed(db.metadata.sorted_tables)
            deletes = "; ".join(f"DELETE FROM {table.name}" for table in tables)  # noqa: S608
            restart = (
                "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
            db.session.execute(text(f"{deletes}; {restart}"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path)
    yield app
    empty_database(app)


@pytest.fixture
def app_with_csrf(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    empty_database(app)


def add_teams(app: Flask) -> None:
    with app.app_context():
        service = Service(slug="early-help-units", name="Early Help Units")
        db.session.add_all(
            [
                Team(slug="ashford-ehu", name="Ashford Early Help Unit", district="Ashford", service=service),
                Team(slug="dover-ehu", name="Dover Early Help Unit", district="Dover", service=service),
            ]
        )
        db.session.commit()


@pytest.fixture
def teams(app: Flask) -> None:
    add_teams(app)


def check_page(html: str) -> BeautifulSoup:
    """What every page must be: one h1, a title starting with it, unique ids, forms with action and novalidate."""
    page = BeautifulSoup(html, "html.parser")
    headings = page.find_all("h1")
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"
    heading = " ".join(headings[0].get_text().split())
    title = " ".join(page.title.get_text().split())
    assert re.sub(r"^Error: ", "", title).startswith(heading), f"title {title!r} does not start with h1 {heading!r}"
    ids = Counter(tag["id"] for tag in page.find_all(id=True))
    duplicates = [name for name, count in ids.items() if count > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    for form in page.find_all("form"):
        assert form.get("action"), "a form without an action"
        assert form.has_attr("novalidate"), "a form without novalidate"
    return page


PASSWORD = "correct horse battery staple"


class ClientRequest:
    """Requests that check the status, the redirect and every HTML page they get back."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, email: str, password: str = PASSWORD) -> "ClientRequest":
        response = self.client.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return self

    def get(self, url: str, _expected_status: int = 200) -> BeautifulSoup:
        response = self.client.get(url)
        assert response.status_code == _expected_status, response.get_data(as_text=True)[:2000]
        return check_page(response.get_data(as_text=True))

    def post(
        self, url: str, data: dict[str, Any], _expected_status: int = 302, _expected_redirect: str | None = None
    ) -> BeautifulSoup | None:
        response = self.client.post(url, data=data)
        assert response.status_code == _expected_status, response.get_data(as_text=True)[:3000]
        if _expected_redirect is not None:
            assert response.headers["Location"] == _expected_redirect
        if response.status_code == 302:
            return None
        return check_page(response.get_data(as_text=True))


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """A real OpenID Connect provider (tests/oidc_provider.mjs), one a test process, started when first asked for."""
    provider = start_provider()
    yield provider
    stop_provider(provider)


@pytest.fixture
def client_request(app: Flask) -> ClientRequest:
    return ClientRequest(app.test_client())


@pytest.fixture
def staff(app: Flask) -> dict[str, Any]:
    """Services, teams and one person of each role, all with PASSWORD; emails by role, plus others.

    Two services: Early Help Units (teams ashford-ehu and dover-ehu) and Youth Hubs
    (team thanet-youth). Everyone is in ashford-ehu except the ``other_*`` people.
    """
    from qaf.auth.passwords import hash_password

    with app.app_context():
        password_hash = hash_password(PASSWORD)
        early_help = Service(slug="early-help-units", name="Early Help Units")
        youth = Service(slug="youth-hubs", name="Youth Hubs")
        ashford = Team(slug="ashford-ehu", name="Ashford Early Help Unit", district="Ashford", service=early_help)
        dover = Team(slug="dover-ehu", name="Dover Early Help Unit", district="Dover", service=early_help)
        thanet = Team(slug="thanet-youth", name="Thanet Youth Hub", district="Thanet", service=youth)
        people = {
            "qa_admin": User(email="qa@example.gov.uk", name="Quinn Admin", role="qa_admin"),
            "service_manager": User(
                email="sm@example.gov.uk", name="Sam Manager", role="service_manager", team=ashford
            ),
            "auditor": User(email="auditor@example.gov.uk", name="Alex Auditor", role="auditor", team=ashford),
            "practitioner": User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team=ashford),
            "other_auditor": User(email="other@example.gov.uk", name="Olu Other", role="auditor", team=thanet),
        }
        for person in people.values():
            person.password_hash = password_hash
        people["practitioner"].line_manager = people["auditor"]
        db.session.add_all([early_help, youth, ashford, dover, thanet, *people.values()])
        db.session.commit()
        return {role: {"id": person.id, "email": person.email} for role, person in people.items()}


def error_summary(page: BeautifulSoup) -> list[tuple[str, str]]:
    """The (text, link) pairs of the page's error summary."""
    summary = page.select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [(" ".join(link.get_text().split()), link.get("href", "")) for link in summary.select("li a")] + [
        (" ".join(item.get_text().split()), "") for item in summary.select("li") if not item.find("a")
    ]
