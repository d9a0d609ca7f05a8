"""Helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

# People's answers: JSON text on SQLite; JSONB on PostgreSQL, which the reports read a value out of
# without parsing the whole text again for every question (about eight times faster there).
ANSWERS_JSON = JSON().with_variant(JSONB(), "postgresql")


def utc_now() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)
