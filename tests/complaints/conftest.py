"""Complaints and compliments in the database, and the form as a person posts it."""

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import ComplaintOrCompliment, Team


def team_id(app: Flask, slug: str) -> int:
    with app.app_context():
        return int(db.session.scalar(select(Team.id).where(Team.slug == slug)))


def posted(app: Flask, *, team: str = "ashford-ehu", day: date | None = None, **changes: str) -> dict[str, Any]:
    """What the form sends for a complaint received ``day`` (today) about ``team``, with ``changes``."""
    day = day or date.today()
    data = {
        "kind": "complaint",
        "received_on-day": str(day.day),
        "received_on-month": str(day.month),
        "received_on-year": str(day.year),
        "team": str(team_id(app, team)),
        "theme": "communication",
        "outcome": "partly_upheld",
        "learning": "Visits were moved without a call; the unit now texts the day before.",
    }
    return data | changes


def add_entry(app: Flask, *, team: str = "ashford-ehu", received_on: date | None = None, **values: Any) -> int:
    """An entry straight into the database."""
    with app.app_context():
        record = ComplaintOrCompliment(
            received_on=received_on or date.today(),
            team_id=team_id(app, team),
            **({"kind": "complaint", "theme": "timeliness", "outcome": "upheld", "learning": "Visit sooner."} | values),
        )
        db.session.add(record)
        db.session.commit()
        return int(record.id)


def stored(app: Flask) -> list[ComplaintOrCompliment]:
    with app.app_context():
        records = list(db.session.scalars(select(ComplaintOrCompliment).order_by(ComplaintOrCompliment.id)))
        db.session.expunge_all()
        return records
