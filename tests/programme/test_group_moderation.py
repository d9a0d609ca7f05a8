"""Group moderation (seed 004, 4.6 and 4.7): each month one collaborative practice evaluation of a service,
drawn at random, is moderated together by its service managers; the result is the evaluation's moderation,
read by the practitioner with the evaluation."""

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Audit, GroupModeration, Service, Team, User, utc_now
from qaf.programme.periods import add_months, month_start
from qaf.responses import ensure_form_version
from tests.conftest import PASSWORD, error_summary
from tests.programme.conftest import signed_in

TODAY = date.today()
THIS_MONTH = month_start(TODAY)
LAST_MONTH = add_months(THIS_MONTH, -1)
EVALUATION = "practice-evaluation"


@pytest.fixture
def managers(app, staff) -> dict[str, dict[str, object]]:
    """Two more service managers of Early Help Units (Dover, and the service without a team) and one of Youth Hubs."""
    with app.app_context():
        teams = {team.slug: team for team in db.session.scalars(select(Team))}
        early_help = teams["ashford-ehu"].service
        people = {
            "dover_manager": User(email="dm@example.gov.uk", name="Dana Dover", role="service_manager"),
            "roving_manager": User(email="rm@example.gov.uk", name="Remi Roving", role="service_manager"),
            "youth_manager": User(email="ym@example.gov.uk", name="Yusuf Youth", role="service_manager"),
        }
        people["dover_manager"].team = teams["dover-ehu"]
        people["roving_manager"].home_service = early_help
        people["youth_manager"].team = teams["thanet-youth"]
        for person in people.values():
            person.password_hash = hash_password(PASSWORD)
        db.session.add_all(people.values())
        db.session.commit()
        staff.update({key: {"id": person.id, "email": person.email} for key, person in people.items()})
        return staff


def add_audit(
    app, staff, *, team="ashford-ehu", submitted=None, form_key=EVALUATION, status="submitted", grade="good"
) -> int:
    """An audit by Alex (auditor) of Priya, submitted at ``submitted`` (now by default)."""
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.slug == team))
        audit = Audit(
            form_key=form_key,
            form_version_id=ensure_form_version(all_forms()[form_key]),
            case_reference=f"EH-{random.randrange(10_000)}",  # noqa: S311
            team_id=team_id,
            practitioner_id=staff["practitioner"]["id"],
            auditor_id=staff["auditor"]["id"],
            status=status,
            grade=grade if status == "submitted" else None,
            submitted_at=(submitted or utc_now()) if status == "submitted" else None,
        )
        db.session.add(audit)
        db.session.commit()
        return audit.id


def service_id(app, slug="early-help-units") -> int:
    with app.app_context():
        return db.session.scalar(select(Service.id).where(Service.slug == slug))


def stored(app) -> list[GroupModeration]:
    with app.app_context():
        moderations = list(db.session.scalars(select(GroupModeration).order_by(GroupModeration.id)))
        for moderation in moderations:
            _ = moderation.members, moderation.audit
        db.session.expunge_all()
        return moderations


def choose(client, app, slug="early-help-units") -> None:
    client.post(f"/programme/group-moderation/{service_id(app, slug)}/choose", {"form_key": EVALUATION})


def last_month_noon() -> datetime:
    return datetime.combine(LAST_MONTH + timedelta(days=14), datetime.min.time()) + timedelta(hours=12)


def test_the_draw_takes_only_the_services_evaluations_submitted_this_month(app, managers):
    in_ashford = add_audit(app, managers)
    in_dover = add_audit(app, managers, team="dover-ehu")
    add_audit(app, managers, team="thanet-youth")
    add_audit(app, managers, submitted=last_month_noon())
    add_audit(app, managers, status="draft")
    add_audit(app, managers, form_key="ehat-quality-audit")
    choose(signed_in(app, managers, "service_manager"), app)
    [moderation] = stored(app)
    assert moderation.audit_id in (in_ashford, in_dover)
    assert (moderation.month, moderation.drawn_from, moderation.candidates) == (THIS_MONTH, THIS_MONTH, 2)
    assert moderation.form_key == EVALUATION
    # The stored seed gives the same draw again.
    assert random.Random(moderation.seed).choice([in_ashford, in_dover]) == moderation.audit_id  # noqa: S311


def test_without_evaluations_this_month_the_draw_takes_last_months(app, managers):
    last_months = add_audit(app, managers, submitted=last_month_noon())
    add_audit(app, managers, team="thanet-youth")
    choose(signed_in(app, managers, "dover_manager"), app)
    [moderation] = stored(app)
    assert (moderation.audit_id, moderation.drawn_from, moderation.month) == (last_months, LAST_MONTH, THIS_MONTH)


def test_with_nothing_to_draw_the_page_says_so_and_stores_nothing(app, managers):
    add_audit(app, managers, team="thanet-youth")
    page = signed_in(app, managers, "service_manager").post(
        f"/programme/group-moderation/{service_id(app)}/choose", {}, _expected_status=200
    )
    [(message, _href)] = error_summary(page)
    assert "no submitted collaborative practice evaluation from Early Help Units waiting for moderation" in message
    assert stored(app) == []


def test_the_qa_team_may_draw_from_another_template(app, managers):
    add_audit(app, managers)
    other = add_audit(app, managers, form_key="ehat-quality-audit")
    admin = signed_in(app, managers, "qa_admin")
    page = admin.get(f"/programme/group-moderation/{service_id(app)}/choose")
    assert page.select_one("select#form_key option[selected]")["value"] == EVALUATION
    admin.post(f"/programme/group-moderation/{service_id(app)}/choose", {"form_key": "ehat-quality-audit"})
    [moderation] = stored(app)
    assert (moderation.audit_id, moderation.form_key) == (other, "ehat-quality-audit")


def test_each_service_has_one_group_moderation_a_month(app, managers):
    add_audit(app, managers)
    add_audit(app, managers)
    add_audit(app, managers, team="thanet-youth")
    manager = signed_in(app, managers, "service_manager")
    choose(manager, app)
    choose(manager, app)
    choose(signed_in(app, managers, "youth_manager"), app, "youth-hubs")
    assert [moderation.service_id for moderation in stored(app)] == [service_id(app), service_id(app, "youth-hubs")]
    another = add_audit(app, managers)
    with app.app_context():
        chosen = db.session.scalars(select(GroupModeration)).first()
        db.session.add(
            GroupModeration(
                service_id=chosen.service_id,
                month=chosen.month,
                form_key=EVALUATION,
                audit_id=another,
                drawn_from=chosen.month,
                seed=1,
                candidates=1,
            )
        )
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_an_evaluation_drawn_for_a_group_is_not_moderated_alone(app, managers):
    audit_id = add_audit(app, managers)
    manager = signed_in(app, managers, "service_manager")
    choose(manager, app)
    manager.get(f"/audits/{audit_id}/moderate", _expected_status=403)
    assert f"/audits/{audit_id}/moderate" not in str(manager.get("/staff"))


def chosen(app, managers) -> tuple[int, int]:
    audit_id = add_audit(app, managers)
    choose(signed_in(app, managers, "service_manager"), app)
    return stored(app)[0].id, audit_id


def group_result(managers, *members: str, **changes: str) -> dict[str, object]:
    return {
        "members": [str(managers[who]["id"]) for who in members],
        "held_on-day": str(TODAY.day),
        "held_on-month": str(TODAY.month),
        "held_on-year": str(TODAY.year),
        "grade": "requires_improvement",
        "comment": "Good would show the child's voice in every plan review.",
    } | changes


def test_the_groups_result_is_the_evaluations_moderation_with_who_was_there(app, managers):
    moderation_id, audit_id = chosen(app, managers)
    dana = signed_in(app, managers, "dover_manager")
    page = dana.get(f"/programme/group-moderation/{moderation_id}")
    offered = {box["value"] for box in page.select("input[name=members]")}
    people = ("service_manager", "dover_manager", "roving_manager", "qa_admin")
    assert offered == {str(managers[who]["id"]) for who in people}
    dana.post(
        f"/programme/group-moderation/{moderation_id}",
        group_result(managers, "service_manager", "dover_manager", "roving_manager"),
        _expected_redirect=f"/programme/group-moderation/{moderation_id}",
    )
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.grade, audit.moderated_grade) == ("good", "requires_improvement")
        assert audit.moderator_id == managers["dover_manager"]["id"]
        assert audit.moderation_comment == "Good would show the child's voice in every plan review."
        moderation = audit.group_moderation
        assert [person.name for person in moderation.members] == ["Dana Dover", "Remi Roving", "Sam Manager"]
        assert (moderation.held_on, moderation.recorded_by_id) == (TODAY, managers["dover_manager"]["id"])
    said = f"Moderated by a group: Dana Dover, Remi Roving, Sam Manager on {TODAY:%-d %B %Y}"
    # 4.7: the feedback reaches the practitioner where she reads the evaluation.
    page = signed_in(app, managers, "practitioner").get(f"/audits/{audit_id}")
    assert said in page.get_text()
    assert "Grade changed to Requires Improvement" in page.get_text()
    listed = signed_in(app, managers, "qa_admin").get("/programme/group-moderation")
    row = listed.find("th", string="Early Help Units").find_parent("tr")
    assert [cell.get_text(strip=True) for cell in row.select("td")][1:] == ["Good", "Requires Improvement", "Moderated"]
    # Recorded once.
    dana.post(f"/programme/group-moderation/{moderation_id}", group_result(managers, "qa_admin"), _expected_status=403)


def test_a_group_agreeing_the_grade_leaves_it_as_the_auditor_gave_it(app, managers):
    moderation_id, audit_id = chosen(app, managers)
    signed_in(app, managers, "qa_admin").post(
        f"/programme/group-moderation/{moderation_id}",
        group_result(managers, "service_manager", "qa_admin", grade="good"),
    )
    with app.app_context():
        audit = db.session.get(Audit, audit_id)
        assert (audit.moderated_grade, audit.final_grade, audit.moderator_id) == (
            None,
            "good",
            managers["qa_admin"]["id"],
        )
    assert "Grade agreed. Moderated by a group: Quinn Admin, Sam Manager" in (
        signed_in(app, managers, "auditor").get(f"/audits/{audit_id}").get_text()
    )


@pytest.mark.parametrize(
    ("members", "changes", "expected"),
    [
        ((), {}, "Select who was in the group"),
        (("service_manager",), {}, "Select at least two people: a group moderation is done together"),
        (("service_manager", "dover_manager"), {"grade": ""}, "Select the agreed grade"),
        (("service_manager", "dover_manager"), {"comment": ""}, "Enter the group's feedback"),
        (
            ("service_manager", "dover_manager"),
            {"held_on-year": str(TODAY.year + 1)},
            "The date the group met must be today or in the past",
        ),
        (
            ("service_manager", "dover_manager"),
            {"held_on-year": str(TODAY.year - 1)},
            "The date the group met must be on or after",
        ),
    ],
)
def test_a_result_with_a_problem_is_shown_again_and_nothing_is_stored(app, managers, members, changes, expected):
    moderation_id, audit_id = chosen(app, managers)
    posted = group_result(managers, *members, **changes)
    page = signed_in(app, managers, "service_manager").post(
        f"/programme/group-moderation/{moderation_id}", posted, _expected_status=200
    )
    assert any(text.startswith(expected) for text, _href in error_summary(page)), error_summary(page)
    assert page.title.get_text().startswith("Error: ")
    [moderation] = stored(app)
    assert (moderation.recorded_at, moderation.members) == (None, [])
    with app.app_context():
        assert db.session.get(Audit, audit_id).moderated_at is None


def test_only_the_qa_team_and_the_services_managers_choose_and_record(app, managers):
    moderation_id, _audit_id = chosen(app, managers)
    early_help = service_id(app)
    for who in ("youth_manager", "practitioner", "auditor", "other_auditor"):
        client = signed_in(app, managers, who)
        client.get(f"/programme/group-moderation/{early_help}/choose", _expected_status=403)
        client.post(f"/programme/group-moderation/{early_help}/choose", {}, _expected_status=403)
        client.get(f"/programme/group-moderation/{moderation_id}", _expected_status=403)
        client.post(
            f"/programme/group-moderation/{moderation_id}",
            group_result(managers, "service_manager", "dover_manager"),
            _expected_status=403,
        )
    listed = signed_in(app, managers, "youth_manager").get("/programme/group-moderation")
    assert listed.find("th", string="Early Help Units") is None
    assert listed.find("th", string="Youth Hubs") is not None
    [moderation] = stored(app)
    assert moderation.recorded_at is None


def test_the_evaluations_own_auditor_is_not_one_of_its_moderators(app, managers):
    with app.app_context():
        alex = db.session.get(User, managers["auditor"]["id"])
        alex.role = "service_manager"
        alex.session_version += 1
        db.session.commit()
    moderation_id, _audit_id = chosen(app, managers)
    alex = signed_in(app, managers, "auditor")
    page = alex.get(f"/programme/group-moderation/{moderation_id}")
    assert page.select("input[name=members]") == []
    assert "You did this evaluation" in page.get_text()
    alex.post(
        f"/programme/group-moderation/{moderation_id}",
        group_result(managers, "service_manager", "dover_manager"),
        _expected_status=403,
    )
    members = signed_in(app, managers, "service_manager").get(f"/programme/group-moderation/{moderation_id}")
    assert str(managers["auditor"]["id"]) not in {box["value"] for box in members.select("input[name=members]")}


def test_the_services_managers_see_it_in_their_work_overdue_once_the_month_is_over(app, managers):
    moderation_id, _audit_id = chosen(app, managers)
    title = f"Group moderation for Early Help Units, {THIS_MONTH:%B %Y}"
    for who in ("service_manager", "dover_manager", "roving_manager"):
        home = signed_in(app, managers, who).get("/staff")
        link = home.find("a", string=title)
        assert link is not None, who
        assert link["href"] == f"/programme/group-moderation/{moderation_id}"
        assert "Overdue" not in link.find_parent("tr").get_text()
    assert signed_in(app, managers, "youth_manager").get("/staff").find("a", string=title) is None
    with app.app_context():
        db.session.get(GroupModeration, moderation_id).month = LAST_MONTH
        db.session.commit()
    home = signed_in(app, managers, "service_manager").get("/staff")
    row = home.find("a", string=f"Group moderation for Early Help Units, {LAST_MONTH:%B %Y}").find_parent("tr")
    assert "Overdue" in row.get_text()


def test_the_list_shows_each_service_this_month_and_the_months_before(app, managers):
    add_audit(app, managers)
    admin = signed_in(app, managers, "qa_admin")
    page = admin.get("/programme/group-moderation")
    caption = page.find("caption", string=f"{THIS_MONTH:%B %Y} (this month)")
    table = caption.find_parent("table")
    rows = {row.th.get_text(strip=True): row.get_text(" ", strip=True) for row in table.select("tbody tr")}
    assert set(rows) == {"Early Help Units", "Youth Hubs"}
    assert "Not chosen yet" in rows["Early Help Units"]
    choose(admin, app)
    page = admin.get("/programme/group-moderation")
    table = page.find("caption", string=f"{THIS_MONTH:%B %Y} (this month)").find_parent("table")
    early_help = table.find("th", string="Early Help Units").find_parent("tr").get_text(" ", strip=True)
    assert "Chosen, waiting" in early_help
    assert "Not moderated yet" in early_help
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GroupModeration)) == 1
