"""The QA programme's tests run on the shipped forms plus the audits' small sample template."""

import shutil
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import Case, Team
from tests.audits.conftest import PROJECT_FORMS, SAMPLE_AUDIT
from tests.conftest import ClientRequest, empty_database, make_app

HEADER = (
    "reference,team,service,worker,supervisor,opened,assessed,last_reviewed,closed,step_up,step_down,returning,"
    "agency_type"
)


@pytest.fixture
def app(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(PROJECT_FORMS, forms)
    (forms / "sample-audit.yaml").write_text(SAMPLE_AUDIT)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    yield app
    empty_database(app)


@pytest.fixture
def admin(app, staff) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff["qa_admin"]["email"])


def signed_in(app: Flask, staff: dict[str, Any], who: str) -> ClientRequest:
    return ClientRequest(app.test_client()).login(staff[who]["email"])


def add_cases(app: Flask, *cases: dict[str, Any]) -> None:
    """Cases straight into the database: each a dict of Case columns, with ``team`` as a slug."""
    with app.app_context():
        teams = {team.slug: team.id for team in db.session.scalars(select(Team))}
        for number, details in enumerate(cases, start=1):
            values = {"reference": f"EH-{number:04d}", "opened_on": date(2026, 9, 1)} | details
            values["team_id"] = teams[values.pop("team", "ashford-ehu")]
            db.session.add(Case(**values))
        db.session.commit()


def case_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()
