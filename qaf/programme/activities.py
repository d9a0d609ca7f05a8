"""Activities of the schedule: checked from the form, saved, and their due work made."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from qaf.audit_log import record_event
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.formspec import SpecForm
from qaf.models import Activity, ActivityWork, Team, utc_now
from qaf.models.programme import work_assignee
from qaf.organisation import people_with_ids, services_with_ids
from qaf.programme.samples import rule_parameters, rule_problems
from qaf.programme.schedule import HORIZON_DAYS, make_due_work, replan


def form_data(activity: Activity) -> dict[str, Any]:
    """An activity as the form shows it."""
    parameters = activity.sample_parameters or {}
    return {
        "name": activity.name,
        "purpose": activity.purpose,
        "frequency": activity.frequency,
        "starts_on": activity.starts_on.isoformat(),
        "ends_on": activity.ends_on.isoformat() if activity.ends_on else "",
        "services": [str(service_id) for service_id in activity.service_ids],
        "team": str(activity.team_id or ""),
        "each_team": "yes" if activity.each_team else "no",
        "each_person": "yes" if activity.each_person else "no",
        "who_role": activity.who_role or "",
        "people": [str(person.id) for person in activity.people],
        "form_key": activity.form_key or "",
        "sample_rule": activity.sample_rule or "",
        **{name: value for name, value in parameters.items() if name != "references"},
        "allocation_line": activity.allocation_line,
    }


def checked_values(form: SpecForm) -> dict[str, Any] | None:
    """The activity's values from a valid form, or None after adding each problem to the form."""
    answers = form.answers()
    rule = answers.get("sample_rule")
    parameters = rule_parameters(rule, answers) if rule else {}
    problems = rule_problems(rule, parameters) if rule else []
    starts_on: date = form.starts_on.data
    ends_on: date | None = form.ends_on.data
    if answers["frequency"] == "one_off" and ends_on is None:
        problems.append(("ends_on", "Enter the date a one-off activity is due"))
    if ends_on is not None and ends_on < starts_on:
        problems.append(("ends_on", "The last day must be on or after the day the first period starts"))
    service_ids = [int(service) for service in answers.get("services", [])]
    team_id = int(answers["team"]) if answers.get("team") else None
    if team_id is not None and service_ids:
        team = db.session.get(Team, team_id)
        if team is None or team.service_id not in service_ids:
            problems.append(("team", "Select a team in one of the services you ticked, or leave the team empty"))
    each_person = answers.get("each_person") == "yes"
    if each_person and answers["each_team"] == "yes":
        problems.append(("each_person", "Choose each team or each person, not both"))
    if each_person and rule:
        problems.append(("sample_rule", "Leave how cases are chosen empty: each person chooses what they audit"))
    people = [int(person) for person in answers.get("people", [])]
    if not answers.get("who_role") and not people:
        problems.append(("who_role", "Select a role, or name the people who do it"))
    form_key = answers.get("form_key")
    if rule:
        spec = all_forms().get(form_key or "")
        if spec is None or spec.audience != "auditor":
            problems.append(("form_key", "Select the audit template the sampled cases are audited with"))
    for name, message in problems:
        form.add_error(name, message)
    if problems:
        return None
    return {
        "name": answers["name"],
        "purpose": answers.get("purpose", ""),
        "frequency": answers["frequency"],
        "starts_on": starts_on,
        "ends_on": ends_on,
        "services": service_ids,
        "team_id": team_id,
        "each_team": answers["each_team"] == "yes",
        "each_person": each_person,
        "who_role": answers.get("who_role"),
        "people": people,
        "form_key": form_key,
        "sample_rule": rule,
        "sample_parameters": parameters,
        "allocation_line": answers["allocation_line"],
    }


def save_activity(activity: Activity | None, values: dict[str, Any], today: date) -> Activity:
    """Add or change an activity in the caller's write transaction, and make (or remake) its due work."""
    people = people_with_ids(values["people"])
    services = services_with_ids(values["services"])
    fields = {name: value for name, value in values.items() if name not in ("people", "services")}
    if activity is None:
        activity = Activity(**fields, people=people, services=services)
        db.session.add(activity)
        db.session.flush()
        make_due_work(activity, today + timedelta(days=HORIZON_DAYS))
        record_event("activity_added", f"activity {activity.id}: {activity.name}"[:500])
        return activity
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.people = people
    activity.services = services
    activity.updated_at = utc_now()
    db.session.flush()
    replan(activity, today)
    record_event("activity_changed", f"activity {activity.id}: {activity.name}"[:500])
    return activity


def work_without_anyone(activity: Activity, today: date) -> str:
    """Why some of the activity's due work from today on has nobody to do it, or nothing (all of it has someone)."""
    due = select(ActivityWork.id).where(
        ActivityWork.activity_id == activity.id, ActivityWork.completed_on.is_(None), ActivityWork.due_date >= today
    )
    if activity.each_person and db.session.scalar(select(func.count()).select_from(due.subquery())) == 0:
        return (
            "No due work was made: nobody is named to do it and nobody has its role in its team or service, "
            "so nobody has a target. Name the people, or choose a role someone there has."
        )
    staffed = select(work_assignee.c.work_id).where(work_assignee.c.work_id.in_(due))
    without = db.session.scalar(select(func.count()).select_from(due.where(ActivityWork.id.not_in(staffed)).subquery()))
    if not without:
        return ""
    pieces = "1 piece of due work has" if without == 1 else f"{without:,} pieces of due work have"
    return f"{pieces} nobody to do it: name the people, or choose a role someone in its scope has."


def record_work(work: ActivityWork, *, completed_on: date | None, reviewed_on: date | None, next_steps: str) -> None:
    work.completed_on = completed_on
    work.reviewed_on = reviewed_on
    work.next_steps = next_steps
