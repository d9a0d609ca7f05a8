"""Database mechanics that differ between SQLite and PostgreSQL, kept in one place.

SQLite: WAL journal, synchronous=FULL, a busy timeout, and write transactions that
start with BEGIN IMMEDIATE so that concurrent submissions queue for the write lock
instead of failing with "database is locked" when a read turns into a write.
PostgreSQL: a write transaction that fails with a serialization failure or a
deadlock (SQLSTATE 40001 / 40P01) is run again.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from qaf.extensions import db

T = TypeVar("T")

_begin_immediate: ContextVar[bool] = ContextVar("begin_immediate", default=False)

RETRYABLE_SQLSTATES = {"40001", "40P01"}
MAX_ATTEMPTS = 5


def configure_engine(engine: Engine) -> None:
    """Set SQLite's pragmas and take over its transaction start; PostgreSQL needs nothing."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN itself instead of pysqlite guessing.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _begin_immediate.get() else "BEGIN")


def _is_retryable(error: DBAPIError) -> bool:
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


@contextmanager
def _immediate() -> Iterator[None]:
    token = _begin_immediate.set(True)
    try:
        yield
    finally:
        _begin_immediate.reset(token)


def run_write_transaction(work: Callable[[], T]) -> T:
    """Run ``work`` in one write transaction and commit it, retrying transient conflicts.

    Any transaction the session already had (from reads earlier in the request) is
    ended first, so the write transaction starts fresh and, on SQLite, holds the
    write lock from its first statement.
    """
    db.session.rollback()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with _immediate():
                result = work()
                db.session.commit()
            return result
        except DBAPIError as error:
            db.session.rollback()
            if attempt == MAX_ATTEMPTS or not _is_retryable(error):
                raise
        except BaseException:
            # Work that refuses part-way (a used invitation, a taken email) leaves nothing behind.
            db.session.rollback()
            raise
    raise AssertionError("unreachable")  # pragma: no cover
