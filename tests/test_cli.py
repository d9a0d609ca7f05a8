"""The deployer's commands: init-db, demo-data and check-forms, and start-up with a broken form."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from qaf import create_app
from qaf.demo import DEMO_PASSWORD
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec.conditions import hidden_questions
from qaf.models import (
    Activity,
    ActivityWork,
    ComplaintOrCompliment,
    FormVersion,
    Response,
    Service,
    Team,
    ThematicEvaluation,
)
from tests.conftest import POSTGRES_URL, ClientRequest, database_url, empty_database

PROJECT = Path(__file__).parents[1]


@pytest.fixture
def bare_app(tmp_path):
    """An app whose database has no tables yet, as on a fresh machine."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database_url(tmp_path)})
    if POSTGRES_URL:
        with app.app_context():
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
    yield app
    empty_database(app)


def test_init_db_runs_the_migrations_which_match_the_models(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["qaf", "init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    with bare_app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        assert db.session.scalar(select(func.count()).select_from(FormVersion)) == len(all_forms())
    again = bare_app.test_cli_runner().invoke(args=["qaf", "init-db"])
    assert again.exit_code == 0, again.output


def test_demo_data_is_added_once_and_can_be_run_again(bare_app):
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    first = runner.invoke(args=["qaf", "demo-data", "--responses", "20"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["qaf", "demo-data", "--responses", "20"])
    assert second.exit_code == 0, second.output
    assert "already present" in second.output
    with bare_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 20
        assert db.session.scalar(select(func.count()).select_from(Team)) == 8
        assert db.session.scalar(select(func.count()).select_from(Service)) == 3
        assert db.session.scalar(select(func.count()).select_from(ComplaintOrCompliment)) == 5
    quiet = runner.invoke(args=["qaf", "demo-data", "--first-time-only"])
    assert quiet.exit_code == 0
    assert "no demo data added" in quiet.output


def test_demo_responses_answer_only_the_questions_their_answers_and_stage_show(bare_app):
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    assert runner.invoke(args=["qaf", "demo-data", "--responses", "60"]).exit_code == 0
    with bare_app.app_context():
        forms = all_forms()
        hidden_somewhere = False
        for response in db.session.scalars(select(Response)):
            hidden = hidden_questions(forms[response.form_key], response.answers, response.stage)
            assert not set(hidden) & set(response.answers), (response.respondent_type, response.stage)
            hidden_somewhere = hidden_somewhere or bool(hidden)
        assert hidden_somewhere


def test_the_demo_schedule_gives_every_manager_their_own_monthly_practice_evaluation(bare_app):
    """Seed 004, 3.2: one collaborative practice evaluation a month for each manager, as each person's own work."""
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    assert runner.invoke(args=["qaf", "demo-data", "--responses", "0"]).exit_code == 0
    today = date.today()
    with bare_app.app_context():
        named = select(Activity).where(Activity.name == "Collaborative practice evaluation")
        activity = db.session.scalars(named).one()
        assert (activity.each_person, activity.frequency, activity.form_key) == (True, "monthly", "practice-evaluation")
        this_month = db.session.scalars(
            select(ActivityWork).where(
                ActivityWork.activity_id == activity.id,
                ActivityWork.period_start <= today,
                ActivityWork.period_end >= today,
            )
        ).all()
        assert sorted((work.person.name, [person.name for person in work.assignees]) for work in this_month) == [
            ("Alex Okoro", ["Alex Okoro"]),
            ("Sam Mensah", ["Sam Mensah"]),
        ]
    bare_app.config["WTF_CSRF_ENABLED"] = False
    qa = ClientRequest(bare_app.test_client()).login("qa.admin@demo.qaf.test", DEMO_PASSWORD)
    schedule = " ".join(qa.get("/programme").get_text().split())
    assert "Collaborative practice evaluation Monthly, each person" in schedule
    page = qa.get(f"/programme/activities/{activity.id}")
    assert [cell.get_text() for cell in page.select("tbody th[scope=row]")] == ["Alex Okoro", "Sam Mensah"]


def test_the_demo_thematic_evaluation_names_who_undertakes_it(bare_app):
    """Seed 004, 5.5: the terms of reference say who; the demo's thematic names its auditors, who get its cases."""
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    assert runner.invoke(args=["qaf", "demo-data", "--responses", "0"]).exit_code == 0
    with bare_app.app_context():
        thematic = db.session.scalars(select(ThematicEvaluation)).one()
        thematic_id = thematic.id
        assert [person.name for person in thematic.people] == ["Alex Okoro"]
    bare_app.config["WTF_CSRF_ENABLED"] = False
    qa = ClientRequest(bare_app.test_client()).login("qa.admin@demo.qaf.test", DEMO_PASSWORD)
    page = " ".join(qa.get(f"/programme/thematic/{thematic_id}").get_text().split())
    assert "Alex Okoro" in page
    assert "Nobody named yet" not in page


def test_the_demo_unit_meetings_are_peer_audited_by_another_unit(bare_app):
    """Kent: a unit meeting is peer audited by another unit, so every team's work goes to someone of another."""
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    assert runner.invoke(args=["qaf", "demo-data", "--responses", "0"]).exit_code == 0
    with bare_app.app_context():
        activity = db.session.scalars(select(Activity).where(Activity.name == "Unit meeting peer audit")).one()
        assert (activity.each_team, activity.allocation_line) == (True, "outside_line")
        work = db.session.scalars(select(ActivityWork).where(ActivityWork.activity_id == activity.id)).all()
        assert len({piece.team_id for piece in work}) > 1
        given = [(piece.team_id, [person.team_id for person in piece.assignees]) for piece in work]
        assert all(len(people) == 1 for _team, people in given), "each unit's meeting goes to one peer"
        assert all(team not in people for team, people in given), "nobody peer audits their own unit"
    bare_app.config["WTF_CSRF_ENABLED"] = False
    qa = ClientRequest(bare_app.test_client()).login("qa.admin@demo.qaf.test", DEMO_PASSWORD)
    assert "Nobody assigned" not in qa.get(f"/programme/activities/{activity.id}").get_text()


def test_demo_data_refuses_a_database_with_real_responses_unless_forced(bare_app):
    runner = bare_app.test_cli_runner()
    runner.invoke(args=["qaf", "init-db"])
    runner.invoke(args=["qaf", "demo-data", "--responses", "0"])
    with bare_app.app_context():
        version = db.session.scalars(select(FormVersion)).first()
        db.session.add(Response(form_key=version.form_key, form_version_id=version.id, answers={}))
        db.session.commit()
    refused = runner.invoke(args=["qaf", "demo-data", "--responses", "5"])
    assert refused.exit_code == 1
    assert "Error: this database holds 1 real response(s); add --force" in refused.output
    forced = runner.invoke(args=["qaf", "demo-data", "--responses", "5", "--force"])
    assert forced.exit_code == 0, forced.output


def test_check_forms_lists_the_forms(app):
    result = app.test_cli_runner().invoke(args=["qaf", "check-forms"])
    assert result.exit_code == 0
    assert "ok  family" in result.output
    assert "no problems" in result.output


def test_check_forms_reports_every_problem_of_a_broken_folder_without_a_traceback(app, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "one.yaml").write_text("key: one\nversion: 1\ntitle: One\naudience: families\nsections: []\n")
    (broken / "two.yaml").write_text("key: [\n")
    result = app.test_cli_runner().invoke(args=["qaf", "check-forms", str(broken)])
    assert result.exit_code == 1
    assert "broken/one.yaml:4 audience: unknown audience 'families'" in result.output
    assert "broken/one.yaml:5 sections: 'sections' must be a list" in result.output
    assert "broken/two.yaml:1 this is not valid YAML: the [ opened on line 1 is never closed" in result.output
    assert "Error: 3 problem(s) in the form definitions" in result.output
    assert "Traceback" not in result.output


def test_the_app_will_not_start_with_a_broken_form_and_says_why(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "bad.yaml").write_text(
        "key: bad\nversion: 1\ntitle: Bad\naudience: family\nsections:\n"
        "  - title: One\n    questions:\n      - {id: q, type: radio, label: Q, options: [A]}\n"
    )
    env = os.environ | {"FORMS_DIR": str(forms), "SECRET_KEY": "x" * 32, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "qaf", "check-forms"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "QAF cannot start: the form definitions have 1 problem(s)" in result.stderr
    assert "forms/bad.yaml:8 sections[0].questions[0].type (question 'q'): unknown type 'radio'" in result.stderr
    assert "Traceback" not in result.stderr


def test_create_user_asks_for_a_password_and_the_user_can_sign_in(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["qaf", "create-user", "--email", "Head.QA@example.gov.uk", "--name", "Hana QA", "--role", "qa_admin"],
        input="pebble mountain violin\npebble mountain violin\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added head.qa@example.gov.uk as QA administrator." in result.output
    from tests.conftest import ClientRequest

    ClientRequest(app.test_client()).login("head.qa@example.gov.uk", "pebble mountain violin")


def test_create_user_can_print_a_one_time_link_instead(app):
    result = app.test_cli_runner().invoke(
        args=["qaf", "create-user", "--email", "a@example.gov.uk", "--name", "A", "--role", "auditor", "--link"]
    )
    assert result.exit_code == 0, result.output
    assert "/set-password/" in result.output


@pytest.mark.parametrize(
    ("arguments", "stdin", "message"),
    [
        (
            ["--email", "nope", "--name", "N", "--role", "auditor", "--link"],
            "",
            "Error: 'nope' is not an email address",
        ),
        (
            ["--email", "a@b.uk", "--name", "N", "--role", "auditor", "--team", "x", "--link"],
            "",
            "Error: there is no team with the slug 'x'",
        ),
        (
            ["--email", "a@b.uk", "--name", "N", "--role", "auditor"],
            "short\nshort\n",
            "Error: Password must be 12 characters or more",
        ),
        (["--email", "a@b.uk", "--name", "N", "--role", "wizard", "--link"], "", "Invalid value for '--role'"),
    ],
)
def test_create_user_refuses_bad_input_with_one_line_and_stores_nothing(app, arguments, stdin, message):
    result = app.test_cli_runner().invoke(args=["qaf", "create-user", *arguments], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        from qaf.models import User

        assert db.session.scalars(select(User)).all() == []


def test_create_user_refuses_an_email_already_in_use(app):
    runner = app.test_cli_runner()
    arguments = ["qaf", "create-user", "--email", "a@example.gov.uk", "--name", "A", "--role", "auditor", "--link"]
    runner.invoke(args=arguments)
    result = runner.invoke(args=arguments)
    assert result.exit_code == 1
    assert "Error: There is already an account with that email address" in result.output


def test_diff_forms_says_what_changed_one_change_a_line(app, tmp_path):
    old = PROJECT / "forms" / "feedback" / "family.yaml"
    new = tmp_path / "family.yaml"
    new.write_text(
        old.read_text()
        .replace("version: 1", "version: 2")
        .replace("label: Who is filling in this form?", "label: Who is answering?")
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["qaf", "diff-forms", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Question 'who_is_answering': label changed from 'Who is filling in this form?' to 'Who is answering?'\n"
    )
    same = runner.invoke(args=["qaf", "diff-forms", str(old), str(old)])
    assert (same.exit_code, same.output) == (0, "No changes\n")


def test_diff_forms_lists_the_problems_of_a_broken_file(app, tmp_path):
    old = PROJECT / "forms" / "feedback" / "family.yaml"
    broken = tmp_path / "family.yaml"
    broken.write_text(old.read_text().replace("label: Who is filling in this form?", "label: Who: you?"))
    result = app.test_cli_runner().invoke(args=["qaf", "diff-forms", str(old), str(broken)])
    assert result.exit_code == 1
    assert "family.yaml:22 this is not valid YAML: line 22 has a colon followed by a space" in result.output
    assert 'label: "Who: you?"' in result.output
    assert "Error: 1 problem(s) in the form definitions" in result.output
    assert "Traceback" not in result.output
