"""``flask --app app qaf ...``: the steps a deployer runs, one by one."""

from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from qaf.database import migration_lock
from qaf.forms_registry import all_forms
from qaf.formspec import SpecError, load_forms, load_spec
from qaf.policy import Role
from qaf.responses import register_form_versions

qaf_cli = AppGroup("qaf", help="QAF administration commands.")


@qaf_cli.command("init-db")
def init_db() -> None:
    """Create the database, or bring it up to date (runs the migrations); safe from every server at once."""
    with migration_lock():
        upgrade(directory=current_app.extensions["migrate"].directory)
        register_form_versions(all_forms())
    click.echo(f"Database ready: {current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")


@qaf_cli.command("check-forms")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_forms(folder: Path | None) -> None:
    """Check every form definition (in FOLDER, or the app's forms folder) and list all problems."""
    folder = folder or Path(current_app.config["FORMS_DIR"])
    if not folder.is_dir():
        raise click.ClickException(f"{folder} is not a folder")
    try:
        specs = load_forms(folder)
    except SpecError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in the form definitions") from None
    for spec in specs.values():
        click.echo(f"ok  {spec.key:<24} v{spec.version:<6} {len(spec.questions):>3} questions  {spec.path}")
    click.echo(f"{len(specs)} form definition(s), no problems")
    from qaf.audits.alerts import unreachable_recipients

    for warning in unreachable_recipients(specs.values(), current_app.config):
        click.echo(f"warning: {warning}", err=True)


@qaf_cli.command("diff-forms")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def diff_forms(old: Path, new: Path) -> None:
    """Say in words what changed from the form definition OLD to NEW (two YAML files)."""
    from qaf.formspec.diff import describe_changes

    specs = []
    problems = []
    for path in (old, new):
        try:
            specs.append(load_spec(path))
        except SpecError as error:
            problems.extend(error.problems)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(problems)} problem(s) in the form definitions")
    for change in describe_changes(*specs) or ["No changes"]:
        click.echo(change)


@qaf_cli.command("demo-data")
@click.option("--force", is_flag=True, help="Add demo data even though the database holds real responses.")
@click.option("--responses", default=240, show_default=True, help="How many sample responses to add the first time.")
@click.option("--first-time-only", is_flag=True, help="Do nothing if any service or team already exists.")
def demo_data(force: bool, responses: int, first_time_only: bool) -> None:
    """Add demo services, teams and sample responses (safe to run again)."""
    from qaf.demo import RealDataError, demo_sign_in_details, has_organisation, load_demo_data

    if first_time_only and has_organisation():
        click.echo("Services and teams already set up: no demo data added")
        if details := demo_sign_in_details():
            click.echo(details)
        return
    try:
        summary = load_demo_data(all_forms(), force=force, responses=responses)
    except RealDataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)
    click.echo(demo_sign_in_details())


@qaf_cli.command("create-user")
@click.option("--email", required=True, help="Their work email address: they sign in with it.")
@click.option("--name", required=True, help="Their full name.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]), help="What they may do.")
@click.option("--team", "team_slug", default="", help="The slug of their team (see Services and teams).")
@click.option("--link", is_flag=True, help="Print a one-time set-password link instead of asking for a password.")
def create_user(email: str, name: str, role: str, team_slug: str, link: bool) -> None:
    """Add a member of staff, e.g. the first QA administrator."""
    from sqlalchemy import select

    from qaf.auth.passwords import hash_password, password_problem
    from qaf.database import run_write_transaction
    from qaf.extensions import db
    from qaf.formspec.fields import EMAIL_PATTERN
    from qaf.models import Team
    from qaf.people import PersonError, create_person, send_sign_in_details

    email = email.strip().lower()
    if not EMAIL_PATTERN.fullmatch(email):
        raise click.ClickException(f"'{email}' is not an email address")
    if not name.strip():
        raise click.ClickException("--name must not be empty")
    team_id = None
    if team_slug:
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team_slug))
        if team_id is None:
            raise click.ClickException(f"there is no team with the slug '{team_slug}'")
    password_hash = None
    if not link:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, email=email, name=name)
        if problem:
            raise click.ClickException(problem)
        password_hash = hash_password(password)

    def work() -> str:
        user = create_person(email=email, name=name.strip(), role=role, team_id=team_id, password_hash=password_hash)
        return send_sign_in_details(user) if link else ""

    try:
        set_password_link = run_write_transaction(work)
    except PersonError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added {email} as {Role(role).label}.")
    if set_password_link:
        click.echo(f"They set their password with this one-time link: {set_password_link}")


@qaf_cli.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_cases_command(file: Path) -> None:
    """Import the case list (CSV) from the case system: all of it, or nothing if any line has a problem."""
    from qaf.programme.cases import CaseFileError, import_cases

    try:
        with file.open("rb") as stream:
            result = import_cases(stream, file.name)
    except CaseFileError as error:
        for problem in error.problems:
            click.echo(f"{file}: {problem}", err=True)
        if error.count > len(error.problems):
            click.echo(f"{file}: and {error.count - len(error.problems):,} more problems", err=True)
        raise click.ClickException(f"{error.count} problem(s): nothing was imported") from None
    click.echo(f"Imported {file}: {result}")
    if result.ignored:
        click.echo(f"Columns not read (QAF has no column for them): {', '.join(result.ignored)}")


@qaf_cli.command("worker")
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="Jobs run at once (WORKER_THREADS, 2).")
def worker_command(threads: int | None) -> None:
    """Run the job queue's worker (case list imports): leave it running beside the web server; Ctrl+C stops it."""
    import logging

    from qaf.jobs import JobsError, make_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        worker = make_worker(app, threads)
    except JobsError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Worker for the job queue at {app.config['JOBS_URL'].split('@')[-1]}")
    worker.run()


@qaf_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind people of QA work due within a week or newly overdue; each reminder is sent once (run daily)."""
    from datetime import date

    from qaf.programme.reminders import send_reminders

    click.echo(send_reminders(date.today()))


@qaf_cli.command("escalate-alerts")
def escalate_alerts_command() -> None:
    """Send alerts nobody has marked as seen on to the service manager (2 working days), then the Director (4)."""
    from datetime import date

    from qaf.audits.alert_escalation import escalate_alerts

    click.echo(escalate_alerts(date.today()))


@qaf_cli.command("send-outbox")
def send_outbox_command() -> None:
    """Send the emails and text messages that failed or were never sent (run it from cron), and read back delivery."""
    from qaf.mail import deliver_outbox, read_deliveries

    click.echo(deliver_outbox())
    if current_app.config["NOTIFY_API_KEY"]:
        click.echo(f"{read_deliveries()} delivery status(es) read from GOV.UK Notify")


@qaf_cli.command("send-invitation-reminders")
def send_invitation_reminders_command() -> None:
    """Send families' one reminder where their link is still unused after INVITATION_REMINDER_DAYS (cron)."""
    from qaf.invitation_messages import send_due_reminders

    click.echo(send_due_reminders())


@qaf_cli.command("export")
@click.option("--period", "period_name", default="", help='Like "2026-27 Q3", "2026-27 H1", "2026-27" or "2026-11".')
@click.option("--start", default="", help="The first day, YYYY-MM-DD (with --end, instead of --period).")
@click.option("--end", default="", help="The last day, YYYY-MM-DD.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The workbook to write (.xlsx).")
@click.option("--csv-folder", type=click.Path(file_okay=False, path_type=Path), help="Write one CSV file a form here.")
def export(period_name: str, start: str, end: str, out: Path | None, csv_folder: Path | None) -> None:
    """Write the collated workbook (and CSV files) for a period; every export goes in the audit log."""
    import getpass

    from qaf.reports.exports import export_csv_files, export_workbook_file, period_from
    from qaf.reports.periods import PeriodError

    try:
        period = period_from(period_name, start, end, current_app.config["FINANCIAL_YEAR_START_MONTH"])
    except PeriodError as error:
        raise click.ClickException(str(error)) from None
    if out is None and csv_folder is None:
        out = Path(f"qaf-{period.slug}.xlsx")
    if out is not None and (out.suffix.lower() != ".xlsx" or not out.resolve().parent.is_dir()):
        raise click.ClickException(f"--out must be an .xlsx file in a folder that exists, not {out}")
    made_by = f"{getpass.getuser()} (command line)"
    if out is not None:
        click.echo(export_workbook_file(period, out, made_by=made_by).description)
    if csv_folder is not None:
        for path, rows in export_csv_files(period, csv_folder, made_by=made_by):
            click.echo(f"{path}: {rows:,} rows")


@qaf_cli.command("export-form")
@click.argument("key")
@click.option("--draft", is_flag=True, help="The form's draft instead of the version answered now.")
def export_form(key: str, draft: bool) -> None:
    """Write a form's current version (or its draft) as YAML, e.g. to keep it in git."""
    from qaf.editor.drafts import current_version, draft_for
    from qaf.editor.transfer import definition_yaml

    if key not in all_forms():
        raise click.ClickException(f"no form has the key '{key}'")
    found = draft_for(key) if draft else None
    if draft and found is None:
        raise click.ClickException(f"'{key}' has no draft")
    click.echo(definition_yaml(found.definition if found else current_version(key).definition), nl=False)


@qaf_cli.command("import-form")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_form(file: Path) -> None:
    """Read a YAML definition into its form's draft (checked first); publish it in the browser."""
    from qaf.editor.drafts import change_draft, draft_for, open_draft
    from qaf.editor.transfer import read_definition

    try:
        definition, spec = read_definition(file.read_text(encoding="utf-8"), str(file))
    except SpecError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{len(error.problems)} problem(s) in {file}: nothing was imported") from None
    if spec.key not in all_forms():
        raise click.ClickException(f"no form has the key '{spec.key}': a new form starts as a file in forms/")
    existing = draft_for(spec.key)
    if existing is None:
        open_draft(spec.key, None, definition=definition)
    else:

        def replace_all(draft: dict[str, Any]) -> None:
            draft.clear()
            draft.update(definition)

        change_draft(spec.key, existing.revision, None, replace_all)
    click.echo(f"{file} is now the draft of {spec.title} ({spec.key}): check, preview and publish it in the browser")


def init_cli(app: Flask) -> None:
    app.cli.add_command(qaf_cli)
