"""Databases as an older release left them, for the tests of the migrations that carry them forward."""

from collections.abc import Iterable
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from qaf import create_app
from qaf.extensions import db
from tests.conftest import POSTGRES_URL, database_url

VERSIONS = Path(__file__).parents[1] / "migrations" / "versions"


def revision_before(migration_file: str) -> str:
    """The revision a migration follows (whatever it is chained after), read from its file."""
    for line in (VERSIONS / migration_file).read_text().splitlines():
        if line.startswith("down_revision"):
            return line.split("=", 1)[1].strip().strip("'\"")
    raise AssertionError(f"{migration_file} has no down_revision")


def app_at_revision(tmp_path: Path, revision: str) -> Flask:
    """A test app whose (emptied) database has been migrated up to ``revision`` only."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database_url(tmp_path)})
    with app.app_context():
        if POSTGRES_URL:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade(directory=app.extensions["migrate"].directory, revision=revision)
    return app


def move_id_sequences_past(tables: Iterable[str]) -> None:
    """After rows were inserted with their ids: PostgreSQL's id sequences moved past them (SQLite needs nothing)."""
    if not POSTGRES_URL:
        return
    for table in tables:
        # The table names are the tests' own fixed ones.
        move = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        db.session.execute(text(move))
