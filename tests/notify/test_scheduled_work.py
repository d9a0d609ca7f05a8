"""The worker's scheduler runs the periodic work at its times, each the same as its cron command."""

from datetime import datetime

import pytest


@pytest.mark.parametrize(
    ("job", "due", "not_due"),
    [
        ("sweep_outbox", datetime(2026, 12, 4, 9, 20), datetime(2026, 12, 4, 9, 21)),
        ("read_deliveries", datetime(2026, 12, 4, 9, 30), datetime(2026, 12, 4, 9, 35)),
        ("send_invitation_reminders", datetime(2026, 12, 4, 9, 7), datetime(2026, 12, 4, 9, 8)),
        ("send_reminders", datetime(2026, 12, 4, 7, 0), datetime(2026, 12, 4, 8, 0)),
        ("escalate_alerts", datetime(2026, 12, 4, 7, 5), datetime(2026, 12, 4, 7, 0)),
    ],
)
def test_each_periodic_job_runs_at_its_time(app, job, due, not_due):
    task = app.extensions["qaf_jobs"].tasks[job]
    periodic = task.task_class()
    assert periodic.validate_datetime(due)
    assert not periodic.validate_datetime(not_due)


def test_the_morning_reminders_job_is_send_reminders(app, staff):
    with app.app_context():
        said = app.extensions["qaf_jobs"].tasks["send_reminders"].call_local()
    assert "piece(s) of due work added" in said
    assert said.endswith("person(s)")


def test_the_morning_alerts_job_is_escalate_alerts(app, staff):
    with app.app_context():
        said = app.extensions["qaf_jobs"].tasks["escalate_alerts"].call_local()
    assert said == "0 alert(s) sent on to service managers; 0 alert(s) sent on to the Director"
