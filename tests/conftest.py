"""Shared fixtures: an app on a fresh database, and a client that checks every page it gets.

The database is a new SQLite file per test, or the PostgreSQL database named by
TEST_DATABASE_URL (emptied after each test) when that is set.
"""

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from qaf import create_app
from qaf.extensions import db
from qaf.models import Service, Team, User

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
_postgres_schema_fresh = False


def database_url(tmp_path: Path) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path / 'test.sqlite'}"


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
    app = create_app(settings | config)
    with app.app_context():
        if POSTGRES_URL and not _postgres_schema_fresh:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            _postgres_schema_fresh = True
        db.create_all()
    return app


def empty_database(app: Flask) -> None:
    with app.app_context():
        if POSTGRES_URL:
            names = ", ".join(table.name for table in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
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
