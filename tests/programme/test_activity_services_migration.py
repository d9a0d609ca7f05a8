"""`qaf init-db` on a database whose activities each had one service (qa_activity.service_id)."""

import pytest
from sqlalchemy import inspect, select, text

from qaf.extensions import db
from qaf.models import Activity
from tests.conftest import empty_database
from tests.migrations import app_at_revision, move_id_sequences_past, revision_before

MIGRATION = "b13a0c0de009_activities_across_services.py"


@pytest.fixture
def old_app(tmp_path):
    """A database at the revision before: an activity for one service, with due work, and one for everyone."""
    app = app_at_revision(tmp_path, revision_before(MIGRATION))
    with app.app_context():
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
        move_id_sequences_past(("service", "qa_activity", "qa_work"))
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
