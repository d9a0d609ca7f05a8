"""The QA programme: the schedule and its due work, imported cases, samples, allocations,
peer reviews and thematic evaluations."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.audits import Audit, AuditAction
from qaf.models.common import utc_now
from qaf.models.organisation import Service, Team

FREQUENCIES = {
    "weekly": "Weekly",
    "six_weekly": "Every six weeks",
    "monthly": "Monthly",
    "bi_monthly": "Every two months",
    "quarterly": "Quarterly",
    "six_monthly": "Every six months",
    "yearly": "Yearly",
    "one_off": "Once",
}

activity_person = Table(
    "qa_activity_person",
    db.metadata,
    Column("activity_id", ForeignKey("qa_activity.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)

# The services an activity is for; none (and no team) means the whole council.
activity_service = Table(
    "qa_activity_service",
    db.metadata,
    Column("activity_id", ForeignKey("qa_activity.id"), primary_key=True),
    Column("service_id", ForeignKey("service.id"), primary_key=True),
)

thematic_person = Table(
    "qa_thematic_person",
    db.metadata,
    Column("thematic_id", ForeignKey("qa_thematic.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)

work_assignee = Table(
    "qa_work_assignee",
    db.metadata,
    Column("work_id", ForeignKey("qa_work.id"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True, index=True),
)


class Activity(db.Model):  # type: ignore[name-defined,misc]
    """One line of the QA schedule (Kent's audit matrix, Camden's Appendix 1): what is done, why,
    how often, by whom, with which template, and how its cases are chosen."""

    __tablename__ = "qa_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(20))
    starts_on: Mapped[date] = mapped_column()
    # The last day of the schedule; for a one-off activity, its due date.
    ends_on: Mapped[date | None] = mapped_column()
    # Its scope: several services (Kent: each children's centre and youth hub), one team, or neither for
    # the whole council.
    services: Mapped[list[Service]] = relationship(secondary=activity_service, order_by=Service.name)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team | None] = relationship()
    # One piece of due work for each team in scope, rather than one for the whole scope.
    each_team: Mapped[bool] = mapped_column(default=False)
    # One piece of due work for each person who does it, each with its own completion (seed 004, 3.2).
    each_person: Mapped[bool] = mapped_column(default=False)
    who_role: Mapped[str | None] = mapped_column(String(30))
    people: Mapped[list[User]] = relationship(secondary=activity_person, order_by=User.name)
    form_key: Mapped[str | None] = mapped_column(String(60))
    sample_rule: Mapped[str | None] = mapped_column(String(30))
    sample_parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Whose cases an auditor is given: their own line, outside it, or either.
    allocation_line: Mapped[str] = mapped_column(String(20), default="any")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)

    @property
    def frequency_label(self) -> str:
        return FREQUENCIES.get(self.frequency, self.frequency)

    @property
    def service_ids(self) -> list[int]:
        return [service.id for service in self.services]

    @property
    def scope_label(self) -> str:
        """Who it is for, as the pages name it: "Ashford EHU", "Children's Centres and Youth Hubs"."""
        if self.team is not None:
            return self.team.name
        names = [service.name for service in self.services]
        if not names:
            return "Every service"
        return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class ActivityWork(db.Model):  # type: ignore[name-defined,misc]
    """The due work of one activity for one period (and one team, or one person, where it is done by each).

    Records what Kent's audit matrix records: when it was completed, when it was reviewed, and the next steps.
    """

    __tablename__ = "qa_work"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("qa_activity.id"))
    activity: Mapped[Activity] = relationship()
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    due_date: Mapped[date] = mapped_column(index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team | None] = relationship()
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))
    service: Mapped[Service | None] = relationship()
    # The person whose own work it is, for an activity done by each person (their team is ``team``).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    assignees: Mapped[list[User]] = relationship(secondary=work_assignee, order_by=User.name)
    audits: Mapped[list["WorkAudit"]] = relationship(back_populates="work", order_by="WorkAudit.audit_id")
    completed_on: Mapped[date | None] = mapped_column()
    reviewed_on: Mapped[date | None] = mapped_column()
    next_steps: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (
        UniqueConstraint("activity_id", "period_start", "team_id", "person_id", name="uq_qa_work_period"),
        Index("ix_qa_work_activity_due", "activity_id", "due_date"),
    )

    def is_overdue(self, today: date) -> bool:
        return self.completed_on is None and self.due_date < today

    @property
    def done_on_time(self) -> bool:
        return self.completed_on is not None and self.completed_on <= self.due_date


class WorkAudit(db.Model):  # type: ignore[name-defined,misc]
    """An audit or evaluation started for a piece of due work, and whether it was inside its auditor's line.

    Recorded when the audit is started from the work (``/audits/new?work=<id>``); the first one
    submitted completes the work. ``inside_line`` is fixed then: the audit's team was within the
    auditor's own part of the organisation (``qaf.programme.lines``).
    """

    __tablename__ = "qa_work_audit"

    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), primary_key=True)
    audit: Mapped[Audit] = relationship()
    work_id: Mapped[int] = mapped_column(ForeignKey("qa_work.id"), index=True)
    work: Mapped[ActivityWork] = relationship(back_populates="audits")
    inside_line: Mapped[bool] = mapped_column()


class Case(db.Model):  # type: ignore[name-defined,misc]
    """A case as the case system exported it: a pseudonymous reference, never a name."""

    __tablename__ = "qa_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    team: Mapped[Team] = relationship()
    worker_email: Mapped[str] = mapped_column(String(254), default="")
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    supervisor_email: Mapped[str] = mapped_column(String(254), default="")
    opened_on: Mapped[date] = mapped_column()
    assessed_on: Mapped[date | None] = mapped_column()
    last_reviewed_on: Mapped[date | None] = mapped_column()
    closed_on: Mapped[date | None] = mapped_column()
    step_up: Mapped[bool] = mapped_column(default=False)
    step_down: Mapped[bool] = mapped_column(default=False)
    # "returning" is an SQL keyword: the column gets another name.
    returning: Mapped[bool] = mapped_column("returning_family", default=False)
    agency_type: Mapped[str] = mapped_column(String(120), default="")
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    # The latest uploaded file that listed the case (none: imported from the command line or before this was kept).
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("qa_case_import.id"), index=True)
    # The import whose file left the open case out, when the QA team closed it for that: no sample draws it.
    closed_by_import_id: Mapped[int | None] = mapped_column(ForeignKey("qa_case_import.id"))


CASE_IMPORT_STATUSES = {
    "queued": "Waiting to start",
    "checking": "Checking every line",
    "importing": "Importing",
    "done": "Imported",
    "refused": "Not imported: the file has problems",
    "failed": "Not imported: something went wrong",
}


class CaseImport(db.Model):  # type: ignore[name-defined,misc]
    """One case list uploaded for the worker to import: who, when, how far it got, and what it found.

    The file itself is deleted once the import finishes (it holds case data); this keeps counts and problems.
    """

    __tablename__ = "qa_case_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by: Mapped[User | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    filename: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    rows_checked: Mapped[int] = mapped_column(default=0)
    rows_imported: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    # The first problems found (as many as the page lists), and how many there were in all.
    problems: Mapped[list[str]] = mapped_column(JSON, default=list)
    problem_count: Mapped[int] = mapped_column(default=0)
    # The file's headings that are no column of QAF's, as written: read past, never stored.
    ignored_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The teams the file had cases for: only their open cases are looked for in it.
    team_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    finished_at: Mapped[datetime | None] = mapped_column()
    # Post-closure feedback: the share drawn (None: it was off) with its seed, the newly closed cases
    # found, those chosen, and of them those sent their link (the rest are listed for their workers).
    post_closure_percent: Mapped[int | None] = mapped_column()
    post_closure_seed: Mapped[int | None] = mapped_column()
    post_closure_found: Mapped[int] = mapped_column(default=0)
    post_closure_chosen: Mapped[int] = mapped_column(default=0)
    post_closure_sent: Mapped[int] = mapped_column(default=0)

    @property
    def finished(self) -> bool:
        return self.status in {"done", "refused", "failed"}

    @property
    def status_label(self) -> str:
        return CASE_IMPORT_STATUSES.get(self.status, self.status)


class CaseHeading(db.Model):  # type: ignore[name-defined,misc]
    """The heading the council's case system gives one of the case list's columns (EHM's "Case ID" for reference).

    Set once by a QA administrator; every later import reads a column under its name, its
    aliases, or this heading.
    """

    __tablename__ = "qa_case_heading"

    column: Mapped[str] = mapped_column(String(40), primary_key=True)
    heading: Mapped[str] = mapped_column(String(120))


class Sample(db.Model):  # type: ignore[name-defined,misc]
    """Cases drawn by a rule with a recorded seed: the same seed over the same cases draws the same sample."""

    __tablename__ = "qa_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("qa_activity.id"), index=True)
    activity: Mapped[Activity | None] = relationship()
    work_id: Mapped[int | None] = mapped_column(ForeignKey("qa_work.id"))
    work: Mapped[ActivityWork | None] = relationship()
    thematic_id: Mapped[int | None] = mapped_column(ForeignKey("qa_thematic.id"), index=True)
    thematic: Mapped["ThematicEvaluation | None"] = relationship(back_populates="samples")
    rule: Mapped[str] = mapped_column(String(30))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seed: Mapped[int] = mapped_column()
    as_of: Mapped[date] = mapped_column()
    due_date: Mapped[date] = mapped_column()
    form_key: Mapped[str] = mapped_column(String(60))
    candidates: Mapped[int] = mapped_column(default=0)
    excluded: Mapped[int] = mapped_column(default=0)
    drawn_at: Mapped[datetime] = mapped_column(default=utc_now)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    drawn_by: Mapped[User | None] = relationship()
    cases: Mapped[list["SampleCase"]] = relationship(back_populates="sample", order_by="SampleCase.position")


class SampleCase(db.Model):  # type: ignore[name-defined,misc]
    """One case in a sample, with why it was picked."""

    __tablename__ = "qa_sample_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("qa_sample.id"))
    sample: Mapped[Sample] = relationship(back_populates="cases")
    case_id: Mapped[int] = mapped_column(ForeignKey("qa_case.id"), index=True)
    case: Mapped[Case] = relationship()
    position: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(300))
    allocations: Mapped[list["Allocation"]] = relationship(back_populates="sample_case", order_by="Allocation.id")

    __table_args__ = (UniqueConstraint("sample_id", "case_id"),)

    @property
    def allocation(self) -> "Allocation | None":
        live = [allocation for allocation in self.allocations if allocation.cancelled_at is None]
        return live[-1] if live else None


class Allocation(db.Model):  # type: ignore[name-defined,misc]
    """A case given to an auditor to audit by a date: from a sample, or a second audit for a peer review."""

    __tablename__ = "qa_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="audit")
    sample_case_id: Mapped[int | None] = mapped_column(ForeignKey("qa_sample_case.id"), index=True)
    sample_case: Mapped[SampleCase | None] = relationship(back_populates="allocations")
    case_reference: Mapped[str] = mapped_column(String(40))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    team: Mapped[Team] = relationship()
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    practitioner: Mapped[User | None] = relationship(foreign_keys=[practitioner_id])
    auditor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])
    form_key: Mapped[str] = mapped_column(String(60))
    due_date: Mapped[date] = mapped_column(index=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"), unique=True)
    audit: Mapped[Audit | None] = relationship()
    cancelled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def status(self) -> str:
        if self.cancelled_at is not None:
            return "cancelled"
        if self.audit is None:
            return "not_started"
        return "in_progress" if self.audit.is_draft else "submitted"

    def is_overdue(self, today: date) -> bool:
        return self.status in ("not_started", "in_progress") and self.due_date < today


ALLOCATION_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "cancelled": "Cancelled",
}


class PeerReview(db.Model):  # type: ignore[name-defined,misc]
    """A submitted audit graded again, blind, by a second auditor from another team; a moderator settles the grade."""

    __tablename__ = "qa_peer_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id"), unique=True)
    first_audit: Mapped[Audit] = relationship()
    allocation_id: Mapped[int] = mapped_column(ForeignKey("qa_allocation.id"), unique=True)
    allocation: Mapped[Allocation] = relationship()
    seed: Mapped[int] = mapped_column()
    share: Mapped[int] = mapped_column()
    drawn_at: Mapped[datetime] = mapped_column(default=utc_now)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    settled_grade: Mapped[str | None] = mapped_column(String(40))
    settled_comment: Mapped[str] = mapped_column(Text, default="")
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    settled_by: Mapped[User | None] = relationship(foreign_keys=[settled_by_id])
    settled_at: Mapped[datetime | None] = mapped_column()

    @property
    def second_audit(self) -> Audit | None:
        return self.allocation.audit

    @property
    def both_submitted(self) -> bool:
        second = self.second_audit
        return second is not None and not second.is_draft


class ThematicEvaluation(db.Model):  # type: ignore[name-defined,misc]
    """A thematic practice evaluation with its terms of reference (seed 004, 5.4 to 5.6)."""

    __tablename__ = "qa_thematic"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    why: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    # Who undertakes it, in words; ``people`` are the staff named to do it, the only ones given its cases.
    who: Mapped[str] = mapped_column(Text, default="")
    people: Mapped[list[User]] = relationship(secondary=thematic_person, order_by=User.name)
    how: Mapped[str] = mapped_column(Text)
    timescale: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column()
    form_key: Mapped[str] = mapped_column(String(60))
    findings: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    samples: Mapped[list[Sample]] = relationship(back_populates="thematic", order_by=Sample.id)
    actions: Mapped[list[AuditAction]] = relationship(back_populates="thematic", order_by=AuditAction.id)


class AuditorQuota(db.Model):  # type: ignore[name-defined,misc]
    """How many sampled cases an auditor is given a month at most (seed 004: one a month)."""

    __tablename__ = "qa_auditor_quota"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    per_month: Mapped[int] = mapped_column()


class ReminderSent(db.Model):  # type: ignore[name-defined,misc]
    """A reminder written to one person about one piece of work: never written twice."""

    __tablename__ = "qa_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utc_now)
    outbox_message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_message.id"))

    __table_args__ = (UniqueConstraint("subject", "subject_id", "kind", "user_id"),)
