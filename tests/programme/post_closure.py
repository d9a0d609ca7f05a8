"""Case lists with newly closed cases, and the QA team's post-closure setting, for the post-closure tests."""

import io
from datetime import timedelta

from flask import Flask

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import User
from qaf.programme.post_closure import save_setting
from qaf.reports.periods import uk_today
from tests.conftest import ClientRequest

HEADER = "reference,team,opened,closed,contact"


def days_ago(days: int) -> str:
    return (uk_today() - timedelta(days=days)).isoformat()


def case_list(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def closed(reference: str, contact: str = "", *, team: str = "ashford-ehu", days: int = 3) -> str:
    return f"{reference},{team},{days_ago(days + 200)},{days_ago(days)},{contact}"


def still_open(reference: str, *, team: str = "ashford-ehu") -> str:
    return f"{reference},{team},{days_ago(1200)},,"


def turn_on(app: Flask, staff: dict, *, percent: int = 100, within_days: int = 28, enabled: bool = True) -> None:
    with app.app_context():
        admin = db.session.get(User, staff["qa_admin"]["id"])
        assert admin is not None
        run_write_transaction(
            lambda: save_setting(
                enabled=enabled, percent=percent, form_key="closure", within_days=within_days, by=admin
            )
        )


def upload(admin: ClientRequest, data: bytes) -> str:
    """Upload the case list as the QA team does (the job runs at once in a test app); the import page's address."""
    response = admin.client.post("/programme/cases/import", data={"case_file": (io.BytesIO(data), "cases.csv")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    response.close()
    return location
