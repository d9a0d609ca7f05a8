"""Two people sending the same invitation at the same moment: exactly one response is stored."""

import multiprocessing
from pathlib import Path

from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import Invitation, Response
from tests.conftest import PASSWORD, database_url, empty_database, make_app


def submit_through(url: str, token: str, start, results) -> None:  # type: ignore[no-untyped-def]
    from qaf import create_app
    from qaf.forms_registry import all_forms
    from qaf.invitations import find_invitation
    from qaf.responses import InvitationUsed, store_response

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        invitation = find_invitation(token)
        start.wait()
        try:
            store_response(
                all_forms()["family"],
                {"help_helped": "yes_a_lot"},
                team_id=invitation.team_id,
                stage=invitation.stage,
                invitation_id=invitation.id,
            )
            results.put("stored")
        except InvitationUsed:
            results.put("already answered")
        db.session.remove()
        db.engine.dispose()


def test_simultaneous_submissions_of_one_invitation_store_exactly_one(tmp_path: Path):
    from qaf.auth.passwords import hash_password
    from qaf.invitations import create_invitation
    from qaf.models import Service, Team, User

    app = make_app(tmp_path)
    with app.app_context():
        service = Service(slug="s", name="S")
        team = Team(slug="t", name="T", service=service)
        worker = User(
            email="w@example.gov.uk", name="W", role="practitioner", team=team, password_hash=hash_password(PASSWORD)
        )
        db.session.add_all([service, team, worker])
        db.session.flush()
        token = create_invitation(
            form_key="family", team_id=team.id, stage="review", case_reference="EH-9", by=worker
        ).link.rsplit("/", 1)[1]
        db.session.commit()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(4), context.Queue()
    senders = [
        context.Process(target=submit_through, args=(database_url(tmp_path), token, start, results)) for _ in range(4)
    ]
    for sender in senders:
        sender.start()
    outcomes = sorted(results.get(timeout=60) for _ in senders)
    for sender in senders:
        sender.join(timeout=30)
    assert outcomes == ["already answered"] * 3 + ["stored"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        invitation = db.session.scalars(select(Invitation)).one()
        assert invitation.answered
        assert (invitation.case_reference, invitation.created_by_id) == (None, None)
    empty_database(app)
