"""``flask --app app qaf ...``: the steps a deployer runs, one by one."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from qaf.forms_registry import all_forms
from qaf.formspec import SpecError, load_forms
from qaf.responses import register_form_versions

qaf_cli = AppGroup("qaf", help="QAF administration commands.")


@qaf_cli.command("init-db")
def init_db() -> None:
    """Create the database, or bring it up to date (runs the migrations)."""
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


@qaf_cli.command("demo-data")
@click.option("--force", is_flag=True, help="Add demo data even though the database holds real responses.")
@click.option("--responses", default=240, show_default=True, help="How many sample responses to add the first time.")
@click.option("--first-time-only", is_flag=True, help="Do nothing if any service or team already exists.")
def demo_data(force: bool, responses: int, first_time_only: bool) -> None:
    """Add demo services, teams and sample responses (safe to run again)."""
    from qaf.demo import RealDataError, has_organisation, load_demo_data

    if first_time_only and has_organisation():
        click.echo("Services and teams already set up: no demo data added")
        return
    try:
        summary = load_demo_data(all_forms(), force=force, responses=responses)
    except RealDataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary)


def init_cli(app: Flask) -> None:
    app.cli.add_command(qaf_cli)
