"""Database mechanics that differ between SQLite and PostgreSQL, kept in one place.

SQLite: WAL journal, synchronous=FULL, a busy timeout, and write transactions that
start with BEGIN IMMEDIATE so that concurrent submissions queue for the write lock
instead of failing with "database is locked" when a read turns into a write.
PostgreSQL: a write transaction that fails with a serialization failure or a
deadlock (SQLSTATE 40001 / 40P01) is run again.

Both: the pool recovers by itself when the database comes back. A pooled PostgreSQL
connection the server has closed (a restart, pg_terminate_backend) is noticed when it is
taken from the pool, by looking whether its socket has anything to read (an idle
connection has nothing), which costs no round trip as pre-ping would; a write that meets
a lost connection anyway is run again on a new one. After any other failure to write
(a read-only or full disk) the pool is emptied, since SQLite connections opened while the
file was read-only stay read-only.
"""

import select
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError

from qaf.extensions import db

T = TypeVar("T")

_begin_immediate: ContextVar[bool] = ContextVar("begin_immediate", default=False)

RETRYABLE_SQLSTATES = {"40001", "40P01"}
MAX_ATTEMPTS = 5


def _closed_by_server(dbapi_connection: Any) -> bool:
    """Whether an idle connection has something waiting to be read: the server's goodbye, or its end."""
    poller = select.poll()  # poll, not select: a busy process may hold file numbers over 1024
    try:
        poller.register(dbapi_connection.fileno(), select.POLLIN)
    except (OSError, ValueError):
        return True
    return bool(poller.poll(0))


def configure_engine(engine: Engine) -> None:
    """Set SQLite's pragmas and take over its transaction start; on PostgreSQL, drop closed connections."""
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_connection, _record, _proxy):  # type: ignore[no-untyped-def]
            if _closed_by_server(dbapi_connection):
                # The pool throws this connection away and connects again.
                raise DisconnectionError("the server closed this connection")

        return
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
        committing = False
        try:
            with _immediate():
                result = work()
                committing = True
                db.session.commit()
            return result
        except DBAPIError as error:
            db.session.rollback()
            # A connection lost before the commit was sent: nothing was stored, so run it again.
            lost = error.connection_invalidated and not committing
            if attempt < MAX_ATTEMPTS and (lost or _is_retryable(error)):
                continue
            if isinstance(error, OperationalError) and not lost:
                db.engine.dispose()
            raise
        except BaseException:
            # Work that refuses part-way (a used invitation, a taken email) leaves nothing behind.
            db.session.rollback()
            raise
    raise AssertionError("unreachable")  # pragma: no cover


# Any number, the same on every server: the lock init-db holds while it migrates.
MIGRATION_LOCK_KEY = 7_240_431


@contextmanager
def migration_lock() -> Iterator[None]:
    """Hold PostgreSQL's advisory lock while migrating: a release step run by every server at once
    migrates once, the others wait and find nothing to do. SQLite is one machine's file: no lock."""
    if db.engine.dialect.name != "postgresql":
        yield
        return
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
