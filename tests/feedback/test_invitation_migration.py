"""`qaf init-db` on a database of invitations answered before answers were unlinked from them."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text

from qaf.extensions import db
from qaf.models import Invitation, Response
from tests.conftest import empty_database
from tests.migrations import app_at_revision, move_id_sequences_past, revision_before

MIGRATION = "b17a0c0de001_invitations_unlinked_from_answers.py"


@pytest.fixture
def old_app(tmp_path):
    """A database at the revision before, holding invitations used through the family and closure forms."""
    app = app_at_revision(tmp_path, revision_before(MIGRATION))
    with app.app_context():
        made, used = datetime(2026, 5, 1, 9, 0), datetime(2026, 5, 3, 14, 27)
        rows = [
            "INSERT INTO service (id, slug, name) VALUES (1, 's', 'S')",
            "INSERT INTO team (id, slug, name, district, service_id) VALUES (1, 't', 'T', 'D', 1)",
            "INSERT INTO user_account (id, email, name, role, active, session_version, created_at)"
            " VALUES (7, 'w@example.gov.uk', 'W', 'practitioner', true, 1, :made)",
            "INSERT INTO form_version (id, form_key, version, digest, title, spec, first_seen_at)"
            " VALUES (1, 'family', '1', 'd', 'F', '{}', :made)",
        ]
        invitations = [
            # id, form, case, used at
            (1, "family", "EH-1", used),
            (2, "closure", "EH-2", used),
            (3, "family", "EH-3", None),
        ]
        for statement in rows:
            db.session.execute(text(statement), {"made": made})
        for number, form, case, used_at in invitations:
            db.session.execute(
                text(
                    "INSERT INTO invitation (id, token_hash, form_key, team_id, stage, case_reference, created_by_id,"
                    " created_at, expires_at, used_at) VALUES (:id, :hash, :form, 1, 'closure', :case, 7, :made,"
                    " :expires, :used)"
                ),
                {
                    "id": number,
                    "hash": str(number) * 64,
                    "form": form,
                    "case": case,
                    "made": made,
                    "expires": made + timedelta(days=28),
                    "used": used_at,
                },
            )
        for number, case in ((1, None), (2, "EH-2")):
            db.session.execute(
                text(
                    "INSERT INTO response (id, form_key, form_version_id, submitted_at, answers, is_demo, team_id,"
                    " stage, invitation_id, case_reference) VALUES (:id, 'family', 1, :used, '{}', false, 1,"
                    " 'closure', :id, :case)"
                ),
                {"id": number, "used": used, "case": case},
            )
        move_id_sequences_past(("service", "team", "user_account", "form_version", "invitation", "response"))
        db.session.commit()
    yield app
    empty_database(app)


def test_the_migration_unlinks_old_answers_and_clears_answered_invitations_of_anonymous_forms(old_app):
    result = old_app.test_cli_runner().invoke(args=["qaf", "init-db"])
    assert result.exit_code == 0, result.output
    with old_app.app_context():
        assert "invitation_id" not in {column["name"] for column in inspect(db.engine).get_columns("response")}
        assert "used_at" not in {column["name"] for column in inspect(db.engine).get_columns("invitation")}
        found = {
            invitation.id: (invitation.answered, invitation.case_reference, invitation.created_by_id)
            for invitation in db.session.scalars(select(Invitation))
        }
        assert found == {
            1: (True, None, None),  # the family form: its case and worker are gone
            2: (True, "EH-2", 7),  # the closure form keeps them, as its answer does
            3: (False, "EH-3", 7),  # still waiting
        }
        assert [response.case_reference for response in db.session.scalars(select(Response).order_by(Response.id))] == [
            None,
            "EH-2",
        ]
