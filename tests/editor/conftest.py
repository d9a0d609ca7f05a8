"""The form editor's fixtures: a QA administrator signed in, and the draft's revision as the pages carry it."""

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import FormDraft
from tests.conftest import ClientRequest


@pytest.fixture
def admin(app: Flask, staff: dict[str, Any]) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])


def revision(app: Flask, form_key: str) -> int:
    with app.app_context():
        draft = db.session.scalar(select(FormDraft).where(FormDraft.form_key == form_key))
        assert draft is not None
        return draft.revision


def start_draft(client: ClientRequest, form_key: str) -> None:
    client.post(f"/admin/forms/{form_key}/draft", {}, _expected_redirect=f"/admin/forms/{form_key}/draft")


def posted_question(page: Any) -> dict[str, Any]:
    """What a question's details page would post as it is: every field's current value."""
    data: dict[str, Any] = {}
    for field in page.select("form input, form textarea"):
        name = field.get("name")
        if not name or name == "csrf_token":
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field["value"])
        else:
            data[name] = field.get("value", "")
    return data
