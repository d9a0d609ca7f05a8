"""How audits read on a page: grade labels and the moderation outcome."""

from qaf.models import Audit
from qaf.navigation import uk_time


def grade_label(audit: Audit, value: str | None) -> str:
    """The label of a grade value in the template version the audit was done against."""
    if not value:
        return ""
    grade = audit.form_version.as_spec().grade
    return grade.option_label(value) if grade else value


def moderation_text(audit: Audit) -> str:
    if audit.is_draft:
        return "Not submitted yet"
    if audit.moderated_at is None:
        return "Waiting for moderation"
    assert audit.moderator is not None
    outcome = (
        f"Grade changed to {grade_label(audit, audit.moderated_grade)}" if audit.moderated_grade else "Grade agreed"
    )
    comment = f": {audit.moderation_comment}" if audit.moderation_comment else ""
    group = audit.group_moderation
    if group is not None and group.held_on is not None:
        # Seed 004, 4.6: moderated together by the service's managers; the recorder is one of them.
        names = ", ".join(person.name for person in group.members)
        return (
            f"{outcome}. Moderated by a group: {names} on {group.held_on:%-d %B %Y}; "
            f"recorded by {audit.moderator.name}, {uk_time(audit.moderated_at)}{comment}"
        )
    return f"{outcome} by {audit.moderator.name}, {uk_time(audit.moderated_at)}{comment}"
