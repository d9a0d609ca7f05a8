"""Helpers shared by the models."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)
