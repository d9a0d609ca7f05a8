"""`qaf init-db` on a database whose activities each had one service (qa_activity.service_id)."""

from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from qaf import create_app
from qaf.extensions import db
from qaf.models import Activity
from tests.conftest import POSTGRES_URL, database_url, empty_database

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "b13a0c0de009_activities_across_services.py"


def revision_before() -> str:
    """The revision this migration follows (whatever it is chained after)."""
    for line in MIGRATION.read_text().splitlines():
        if line.startswith("down_revision"):
            return line.split("=", 1)[1].strip().strip("'\"")
    raise AssertionError("no down_revision")


@pytest.fixture
def old_app(tmp_path):
    """A database at the revision before: an activity for one service, with due work, and one for everyone."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database_url(tmp_path)})
    with app.app_context():
        if POSTGRES_URL:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade(directory=app.extensions["migrate"].directory, revision=revision_before())
        db.session.execute(text("INSERT INTO service (id, slug, name) VALUES (1, 'cc', 'Children''s Centres')"))
        db.session.execute(text("INSERT INTO service (id, slug, name) VALUES (2, 'yh', 'Youth Hubs')"))
        for number, name, service_id in ((1, "Safeguarding audit", 2), (2, "Staff survey", None)):
            db.session.execute(
                text(
                    "INSERT INTO qa_activity (id, name, purpose, frequency, starts_on, service_id, each_team,"
                    " each_person, sample_parameters, allocation_line, created_at, updated_at) VALUES (:id, :name,"
                    " '', 'yearly', '2026-04-01', :service, true, false, '{}', 'any', '2026-04-01 09:00:00',"
                    " '2026-04-01 09:00:00')"
                ),
                {"id": number, "name": name, "service": service_id},
            )
        # Its due work refers to it: SQLite's copy of qa_activity must keep that reference.
        db.session.execute(
            text(
                "INSERT INTO qa_work (id, activity_id, period_start, period_end, due_date, service_id, next_steps,"
                " created_at)"
                " VALUES (1, 1, '2026-04-01', '2027-03-31', '2027-03-31', 2, '', '2026-04-01 09:00:00')"
            )
        )
        if POSTGRES_URL:  # rows were given their ids: move the id sequences past them
            for table in ("service", "qa_activity", "qa_work"):
                # The table names are the fixed ones above.
                move = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                db.session.execute(text(move))
        db.session.commit()
    yield app
    empty_database(app)


def test_the_migration_carries_each_activitys_one_service_into_its_services(old_app):
    result = old_app.test_cli_runner().invoke(args=["qaf", "init-db"])
    assert result.exit_code == 0, result.output
    with old_app.app_context():
        assert "service_id" not in {column["name"] for column in inspect(db.engine).get_columns("qa_activity")}
        found = {activity.name: activity.scope_label for activity in db.session.scalars(select(Activity))}
        assert found == {"Safeguarding audit": "Youth Hubs", "Staff survey": "Every service"}
        assert db.session.scalar(text("SELECT activity_id FROM qa_work")) == 1
