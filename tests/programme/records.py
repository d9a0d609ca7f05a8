"""Records of the QA programme for the access matrix (tests/test_access_matrix.py)."""

from datetime import date, timedelta
from typing import Any

from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import (
    Activity,
    ActivityWork,
    Allocation,
    Audit,
    Case,
    CaseImport,
    GroupModeration,
    PeerReview,
    Sample,
    SampleCase,
    Team,
    ThematicEvaluation,
    User,
)
from qaf.responses import ensure_form_version


def programme_records(staff: dict[str, Any], team: Team) -> dict[str, int]:
    """An activity with work assigned to Alex (auditor), a sample with a case allocated to him, a peer review
    of another audit of his given to Olu (other_auditor), a thematic evaluation, a finished case import and
    this month's group moderation of the team's service, of a third audit of his.
    Inside the caller's transaction."""
    alex = db.session.get(User, staff["auditor"]["id"])
    today = date.today()
    activity = Activity(name="RFP practice audit", frequency="monthly", starts_on=today, who_role="auditor")
    db.session.add(activity)
    db.session.flush()
    work = ActivityWork(
        activity_id=activity.id,
        period_start=today,
        period_end=today,
        due_date=today,
        team_id=team.id,
        service_id=team.service_id,
        assignees=[alex],
    )
    case = Case(reference="EH-1", team_id=team.id, worker_id=staff["practitioner"]["id"], opened_on=today)
    db.session.add_all([work, case])
    db.session.flush()
    sample = Sample(
        activity_id=activity.id,
        rule="percentage_active",
        parameters={"percent": 10, "months": 6},
        seed=1,
        as_of=today,
        due_date=today + timedelta(days=7),
        form_key="ehat-quality-audit",
    )
    db.session.add(sample)
    db.session.flush()
    sample_case = SampleCase(sample_id=sample.id, case_id=case.id, position=1, reason="Drawn at random")
    db.session.add(sample_case)
    db.session.flush()
    common = {"case_reference": "EH-1", "team_id": team.id, "form_key": "ehat-quality-audit", "due_date": today}
    allocation = Allocation(sample_case_id=sample_case.id, auditor_id=alex.id, **common)
    reviewed = Audit(
        form_key="ehat-quality-audit",
        form_version_id=ensure_form_version(all_forms()["ehat-quality-audit"]),
        case_reference="EH-2",
        team_id=team.id,
        practitioner_id=staff["practitioner"]["id"],
        auditor_id=alex.id,
        status="submitted",
        grade="good",
    )
    second = Allocation(kind="peer_review", auditor_id=staff["other_auditor"]["id"], **common)
    thematic = ThematicEvaluation(
        title="Voice of the child", why="w", scope="s", who="w", how="h", timescale="t", due_on=today, form_key="x"
    )
    db.session.add_all([allocation, reviewed, second, thematic])
    db.session.flush()
    review = PeerReview(first_audit_id=reviewed.id, allocation_id=second.id, seed=1, share=10)
    case_import = CaseImport(created_by_id=staff["qa_admin"]["id"], filename="cases.csv", status="done")
    evaluation = Audit(
        form_key="practice-evaluation",
        form_version_id=ensure_form_version(all_forms()["practice-evaluation"]),
        case_reference="EH-3",
        team_id=team.id,
        practitioner_id=staff["practitioner"]["id"],
        auditor_id=alex.id,
        status="submitted",
        grade="good",
    )
    db.session.add_all([review, case_import, evaluation])
    db.session.flush()
    month = today.replace(day=1)
    group_moderation = GroupModeration(
        service_id=team.service_id,
        month=month,
        form_key="practice-evaluation",
        audit_id=evaluation.id,
        drawn_from=month,
        seed=1,
        candidates=1,
    )
    db.session.add(group_moderation)
    db.session.flush()
    return {
        "activity": activity.id,
        "work": work.id,
        "sample": sample.id,
        "allocation": allocation.id,
        "peer_review": review.id,
        "thematic": thematic.id,
        "case_import": case_import.id,
        "group_moderation": group_moderation.id,
    }
