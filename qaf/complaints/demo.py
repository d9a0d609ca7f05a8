"""A few demo complaints and compliments, naming nobody. Never for real data."""

from datetime import date, timedelta

from sqlalchemy import func, select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.models import ComplaintOrCompliment, Team

# (days ago, team slug, kind, theme, outcome, learning)
DEMO_ENTRIES = [
    (
        12,
        "ashford-ehu",
        "complaint",
        "communication",
        "partly_upheld",
        "Visits were moved at short notice without a call. The unit now texts families the day before and "
        "calls when a worker is off sick.",
    ),
    (
        30,
        "ashford-ehu",
        "compliment",
        "listening",
        None,
        "A parent said the worker listened to their child first. Shared at the team meeting as an example.",
    ),
    (
        45,
        "dover-ehu",
        "complaint",
        "timeliness",
        "upheld",
        "Six weeks passed between the referral and the first visit. Allocation is now checked weekly by the "
        "unit leader.",
    ),
    (
        70,
        "thanet-cc",
        "compliment",
        "quality_of_help",
        None,
        "Thanks for the stay and play group: things are calmer at home.",
    ),
    (100, "canterbury-youth", "complaint", "partners", "in_progress", ""),
]


def load_demo_complaints(today: date | None = None) -> int:
    """Add the demo entries to an empty log; returns how many were added."""
    today = today or date.today()

    def work() -> int:
        if db.session.scalar(select(func.count()).select_from(ComplaintOrCompliment)):
            return 0
        teams = {slug: team_id for slug, team_id in db.session.execute(select(Team.slug, Team.id))}
        entries = [
            ComplaintOrCompliment(
                received_on=today - timedelta(days=days),
                team_id=teams[slug],
                kind=kind,
                theme=theme,
                outcome=outcome,
                learning=learning,
            )
            for days, slug, kind, theme, outcome, learning in DEMO_ENTRIES
            if slug in teams
        ]
        db.session.add_all(entries)
        return len(entries)

    return run_write_transaction(work)
