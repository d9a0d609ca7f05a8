"""Demo services, teams and sample responses, for trying QAF out. Never for real data."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.formspec import FormSpec
from qaf.formspec.conditions import hidden_questions
from qaf.formspec.spec import STAGES
from qaf.models import Response, Service, Team, User, utc_now

DEMO_ORGANISATION = {
    "Early Help Units": [
        ("ashford-ehu", "Ashford Early Help Unit", "Ashford"),
        ("canterbury-ehu", "Canterbury Early Help Unit", "Canterbury"),
        ("dover-ehu", "Dover Early Help Unit", "Dover"),
        ("thanet-ehu", "Thanet Early Help Unit", "Thanet"),
    ],
    "Children's Centres": [
        ("ashford-cc", "Ashford Children's Centres", "Ashford"),
        ("thanet-cc", "Thanet Children's Centres", "Thanet"),
    ],
    "Youth Hubs": [
        ("canterbury-youth", "Canterbury Youth Hub", "Canterbury"),
        ("dover-youth", "Dover Youth Hub", "Dover"),
    ],
}

# Demo data only: printed by `make run` so people can try each role.
DEMO_PASSWORD = "kettle orchard lantern"  # noqa: S105 (demo accounts only, printed on purpose)
DEMO_USERS = [
    ("qa.admin@demo.qaf.test", "Quinn Adams", "qa_admin", None),
    ("service.manager@demo.qaf.test", "Sam Mensah", "service_manager", "ashford-ehu"),
    ("auditor@demo.qaf.test", "Alex Okoro", "auditor", "ashford-ehu"),
    ("practitioner@demo.qaf.test", "Priya Shah", "practitioner", "ashford-ehu"),
    # A practitioner of another unit: Kent's unit meetings are peer audited by another unit.
    ("practitioner.canterbury@demo.qaf.test", "Dee Walker", "practitioner", "canterbury-ehu"),
]


class RealDataError(Exception):
    pass


def _service_slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).replace("--", "-").strip("-")


def has_organisation() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(Service)))


def _ensure_organisation() -> int:
    added = 0
    for service_name, teams in DEMO_ORGANISATION.items():
        service = db.session.scalar(select(Service).where(Service.name == service_name))
        if service is None:
            service = Service(name=service_name, slug=_service_slug(service_name))
            db.session.add(service)
            added += 1
        for slug, name, district in teams:
            if db.session.scalar(select(Team).where(Team.slug == slug)) is None:
                db.session.add(Team(slug=slug, name=name, district=district, service=service))
                added += 1
    return added


def _ensure_demo_users() -> int:
    from qaf.auth.passwords import hash_password
    from qaf.people import create_person

    added = 0
    password_hash = hash_password(DEMO_PASSWORD)
    managers: dict[str, int] = {}
    for email, name, role, team_slug in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            team_id = db.session.scalar(select(Team.id).where(Team.slug == team_slug)) if team_slug else None
            manager_id = managers.get("auditor") if role == "practitioner" else managers.get("service_manager")
            user = create_person(
                email=email,
                name=name,
                role=role,
                team_id=team_id,
                line_manager_id=manager_id,
                password_hash=password_hash,
            )
            added += 1
        managers[role] = user.id
    return added


def demo_sign_in_details() -> str:
    """How to sign in as each demo user, or nothing if this database has no demo users."""
    emails = [email for email, _name, _role, _team in DEMO_USERS]
    if not db.session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails))):
        return ""
    lines = [f"Demo staff accounts (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role:<16} {email}" for email, _name, role, _team in DEMO_USERS]
    return "\n".join(lines)


def load_demo_data(specs: dict[str, FormSpec], *, force: bool, responses: int) -> str:
    """Add what is missing of the demo organisation, and sample responses the first time only."""
    from qaf.complaints.demo import load_demo_complaints
    from qaf.programme.demo import load_demo_programme
    from qaf.responses import store_response

    real = db.session.scalar(select(func.count()).select_from(Response).where(Response.is_demo.is_(False)))
    if real and not force:
        raise RealDataError(f"this database holds {real} real response(s); add --force to add demo data anyway")
    added = run_write_transaction(_ensure_organisation)
    added += run_write_transaction(_ensure_demo_users)
    load_demo_programme()
    load_demo_complaints()
    existing = db.session.scalar(select(func.count()).select_from(Response).where(Response.is_demo.is_(True)))
    if existing:
        return f"Demo data already present: {added} organisation record(s) added, {existing} sample responses kept"

    rng = random.Random(2026)
    teams = list(db.session.scalars(select(Team)))
    forms = [spec for spec in specs.values() if spec.audience in ("family", "child")]
    for _ in range(responses):
        spec = rng.choice(forms)
        stage = rng.choice(STAGES)[0]
        answers = {}
        for question in spec.questions:
            value = question.kind.demo_answer(question, rng)
            if value is not None:
                answers[question.id] = value
        # As a page keeps them: no answer to a question these answers or this stage do not show.
        for question_id in hidden_questions(spec, answers, stage):
            answers.pop(question_id, None)
        # Spread over the last six months so period reports have something to show.
        submitted_at = utc_now() - timedelta(days=rng.randint(0, 182), minutes=rng.randint(0, 1440))
        store_response(
            spec,
            answers,
            team_id=rng.choice(teams).id,
            stage=stage,
            is_demo=True,
            submitted_at=submitted_at,
        )
    return f"Demo data added: {added} organisation record(s) and {responses} sample responses"
