"""Opening a feedback page as a browser would, and sending it back with its hidden fields."""

from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Response
from tests.conftest import check_page

# Real pages: a token on every post, the shortest fill time taken to be a person's.
CHECKED = {"PUBLIC_SUBMISSION_TOKEN_REQUIRED": True, "PUBLIC_MIN_FILL_SECONDS": 0}


def hidden_fields(html: str) -> dict[str, str]:
    page = BeautifulSoup(html, "html.parser")
    return {field["name"]: field.get("value", "") for field in page.select("form input[type=hidden]")}


def open_form(client: FlaskClient, url: str) -> dict[str, str]:
    """GET the page; its hidden fields (CSRF and submission tokens), to send back with the answers."""
    response = client.get(url)
    assert response.status_code == 200
    return hidden_fields(response.get_data(as_text=True))


def send(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> tuple[int, BeautifulSoup | None]:
    response = client.post(url, data=data, **kwargs)
    if response.status_code == 302:
        return 302, None
    return response.status_code, check_page(response.get_data(as_text=True))


def count_stored(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Response)) or 0)
