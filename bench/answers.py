"""What the benchmarks that build a county's year share: the app on a given database, its services,
teams and staff, made-up answers and actions.

Imported by bench/export.py and bench/dashboard.py (each run as a script from bench/).
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

PASSWORD = "kettle orchard lantern"  # noqa: S105 (a throwaway account in a throwaway database)
SERVICES = ("Early Help Units", "Children's Centres", "Youth Hubs", "Family Support")
STAGES = ["assessment", "review", "closure"]

TEXTS = (
    "Our worker came when she said she would and helped us with a routine at bedtime.",
    "Having someone to talk to at the school meetings made a big difference to all of us.",
    "It took a long time before anyone came to see us, and we had to tell our story three times.",
    "I would have liked more help with housing.",
    "The groups at the children's centre were really good.",
    "=1+1 is what my son wrote here",
    "Things are calmer at home now.",
    "Clear analysis of the family history; the plan's actions are specific and owned.",
)


def make_app(database_url: str, **extra: Any) -> Any:
    from qaf import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret-key-of-enough-length", **extra}
    )


def sample_answer(question: Any, rng: random.Random) -> Any:
    """A plausible answer to one question, or None for one left blank (equality questions are optional)."""
    if question.type in ("long_text", "text"):
        return rng.choice(TEXTS) if rng.random() < 0.45 else None
    if question.type == "checkboxes":
        return [option.value for option in question.options if rng.random() < 0.35] or None
    if question.type == "scale":
        return rng.randint(2, 10)
    if question.type == "number":
        return rng.randint(0, 20)
    if question.type == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if question.type == "standard":
        return rng.choices(["met", "partly_met", "not_met", "not_applicable"], [5, 3, 2, 1])[0]
    if question.options:
        if getattr(question, "equality", False) and rng.random() < 0.3:
            return None
        weights = [len(question.options) - index for index in range(len(question.options))]
        return rng.choices([option.value for option in question.options], weights)[0]
    return None


def answers_for(spec: Any, rng: random.Random) -> dict[str, Any]:
    """Answers as a page stores them: none for a question its conditions did not show."""
    from qaf.formspec.conditions import hidden_questions

    answers = {question.id: value for question in spec.questions if (value := sample_answer(question, rng)) is not None}
    hidden = hidden_questions(spec, answers, None)
    return {key: value for key, value in answers.items() if key not in hidden}


@dataclass
class County:
    team_ids: list[int]
    auditors: list[int]
    workers: list[int]


def add_county(districts: tuple[str, ...]) -> County:
    """Every service in every district, a QA administrator (qa@bench.test), and an auditor and a worker a team."""
    from qaf.auth.passwords import hash_password
    from qaf.extensions import db
    from qaf.models import Service, Team, User

    for service_name in SERVICES:
        service = Service(slug=service_name.lower().replace(" ", "-").replace("'", ""), name=service_name)
        db.session.add(service)
        for district in districts:
            slug = f"{district}-{service.slug}".lower().replace(" ", "-")
            db.session.add(Team(slug=slug, name=f"{district} {service_name}", district=district, service=service))
    db.session.flush()
    team_ids = [team.id for team in db.session.query(Team).all()]
    people = [User(email="qa@bench.test", name="Quinn Admin", role="qa_admin", password_hash=hash_password(PASSWORD))]
    for number, team_id in enumerate(team_ids):
        people.append(User(email=f"tm{number}@bench.test", name=f"Manager {number}", role="auditor", team_id=team_id))
        people.append(
            User(email=f"w{number}@bench.test", name=f"Worker {number}", role="practitioner", team_id=team_id)
        )
    db.session.add_all(people)
    db.session.commit()
    return County(
        team_ids,
        [person.id for person in people if person.role == "auditor"],
        [person.id for person in people if person.role == "practitioner"],
    )


def response_row(
    key: str, spec: Any, version_id: int, submitted: datetime, county: County, rng: random.Random
) -> dict[str, Any]:
    """One response's row for a bulk insert: its answers, team (3 in 100 without) and stage."""
    answers = answers_for(spec, rng)
    return {
        "form_key": key,
        "form_version_id": version_id,
        "submitted_at": submitted,
        "team_id": rng.choice(county.team_ids) if rng.random() < 0.97 else None,
        "stage": rng.choice(STAGES) if "stage" in spec.context else None,
        "respondent_type": spec.respondent_type
        or (answers.get(spec.respondent_question) if spec.respondent_question else None),
        "answers": answers,
        "is_demo": False,
    }


def add_action(record: Any, county: County, submitted: datetime, rng: random.Random) -> None:
    """An action on the audit ``record`` (flushed, so it has an id): 4 in 10 done."""
    from qaf.extensions import db
    from qaf.models import AuditAction

    done = rng.random() < 0.4
    db.session.add(
        AuditAction(
            audit_id=record.id,
            action=rng.choice(TEXTS),
            owner_id=rng.choice(county.workers),
            due_date=(submitted + timedelta(days=rng.randint(-10, 60))).date(),
            status="done" if done else rng.choice(["open", "in_progress"]),
            created_by_id=record.auditor_id,
            created_at=submitted,
            completed_at=submitted + timedelta(days=rng.randint(1, 30)) if done else None,
        )
    )
