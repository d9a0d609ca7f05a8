"""Random peer review: a share of submitted audits graded again, blind, by an auditor from another team;
then settled side by side by a moderator; and how often the two agree."""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from qaf.audit_log import record_event
from qaf.audits.workflow import moderate_audit
from qaf.extensions import db
from qaf.formspec.conditions import hidden_questions, marks_not_applicable
from qaf.formspec.display import shown_answer
from qaf.models import Alert, AlertRecipient, Allocation, Audit, Case, GroupModeration, PeerReview, User, utc_now
from qaf.policy import Action, can
from qaf.programme.agreement import AgreementRow, agreement_by_template_and_period
from qaf.programme.blind import REVIEWER_ROLES
from qaf.programme.periods import financial_quarter
from qaf.reports.periods import uk_date


@dataclass
class PeerReviewDraw:
    candidates: int = 0
    drawn: int = 0
    not_allocated: list[str] = field(default_factory=list)


def candidate_audits(form_key: str, start: date, end: date) -> list[Audit]:
    """Submitted, not yet moderated, neither audit of an earlier peer review, and not drawn for a group moderation."""
    firsts = select(PeerReview.first_audit_id)
    seconds = select(Allocation.audit_id).where(Allocation.kind == "peer_review", Allocation.audit_id.is_not(None))
    query = (
        select(Audit)
        .where(
            Audit.form_key == form_key,
            Audit.status == "submitted",
            Audit.moderated_at.is_(None),
            Audit.submitted_at >= datetime.combine(start, datetime.min.time()),
            Audit.submitted_at < datetime.combine(end + timedelta(days=1), datetime.min.time()),
            Audit.id.not_in(firsts),
            Audit.id.not_in(seconds),
            Audit.id.not_in(select(GroupModeration.audit_id)),
        )
        .order_by(Audit.id)
    )
    return list(db.session.scalars(query))


def _told_about(audit: Audit) -> set[int]:
    """Everyone an alert about the audit went to: they know its grade already."""
    query = select(AlertRecipient.user_id).join(Alert).where(Alert.audit_id == audit.id)
    return set(db.session.scalars(query))


def _case_worker(audit: Audit) -> tuple[int | None, str]:
    found = db.session.execute(
        select(Case.worker_id, Case.worker_email).where(Case.reference == audit.case_reference)
    ).first()
    return (found[0], found[1]) if found else (None, "")


def may_review(person: User, audit: Audit) -> bool:
    """A second auditor is from another team, did not do or receive the audit, and does not work the case."""
    worker_id, worker_email = _case_worker(audit)
    return (
        person.team_id != audit.team_id
        and person.id not in (audit.auditor_id, audit.practitioner_id, worker_id)
        and person.email.lower() != worker_email
        and person.id not in _told_about(audit)
    )


def open_reviews_by_reviewer() -> Counter[int]:
    query = (
        select(Allocation.auditor_id, func.count())
        .where(Allocation.kind == "peer_review", Allocation.cancelled_at.is_(None))
        .group_by(Allocation.auditor_id)
    )
    return Counter(dict(db.session.execute(query).all()))


def draw_peer_reviews(
    *, form_key: str, start: date, end: date, share: int, seed: int, due_date: date, by: User | None
) -> PeerReviewDraw:
    """Pick ``share`` percent of the template's audits submitted from ``start`` to ``end`` at random with
    ``seed``, and give each to a second auditor, in the caller's write transaction."""
    candidates = candidate_audits(form_key, start, end)
    rng = random.Random(seed)  # noqa: S311 (a draw must be reproducible from its seed; not for security)
    chosen = sorted(rng.sample(candidates, math.ceil(len(candidates) * share / 100)), key=lambda audit: audit.id)
    reviewers = list(
        db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(REVIEWER_ROLES)).order_by(User.id))
    )
    load = open_reviews_by_reviewer()
    outcome = PeerReviewDraw(candidates=len(candidates))
    for audit in chosen:
        eligible = [person for person in reviewers if may_review(person, audit)]
        if not eligible:
            outcome.not_allocated.append(
                f"Audit {audit.id} ({audit.case_reference}): nobody from another team may review it"
            )
            continue
        ties = {person.id: rng.random() for person in eligible}
        reviewer = min(eligible, key=lambda person: (load[person.id], ties[person.id]))
        load[reviewer.id] += 1
        allocation = Allocation(
            kind="peer_review",
            case_reference=audit.case_reference,
            team_id=audit.team_id,
            practitioner_id=audit.practitioner_id,
            auditor_id=reviewer.id,
            form_key=audit.form_key,
            due_date=due_date,
            created_by_id=by.id if by else None,
        )
        db.session.add(allocation)
        db.session.flush()
        db.session.add(
            PeerReview(
                first_audit_id=audit.id,
                allocation_id=allocation.id,
                seed=seed,
                share=share,
                drawn_by_id=by.id if by else None,
            )
        )
        outcome.drawn += 1
    record_event(
        "peer_reviews_drawn",
        f"{form_key}: {outcome.drawn} of {len(candidates)} audits ({share}%, seed {seed}), "
        f"{len(outcome.not_allocated)} not allocated",
    )
    return outcome


def settle_peer_review(review: PeerReview, moderator: User, *, grade: str, comment: str) -> None:
    """Record the final grade: it moderates the first audit (alerting if it calls for it) and closes the second."""
    first, second = review.first_audit, review.second_audit
    assert second is not None
    assert not second.is_draft
    assert review.settled_at is None
    review.settled_grade = grade
    review.settled_comment = comment
    review.settled_by_id = moderator.id
    review.settled_at = utc_now()
    settled = f"Settled by peer review {review.id}: {comment}"
    moderate_audit(first, first.form_version.as_spec(), moderator, grade=grade, comment=settled)
    # The second audit is a check on the first: it takes the same outcome without alerting anyone again.
    second.moderator_id = moderator.id
    second.moderated_at = review.settled_at
    second.moderation_comment = settled
    second.moderated_grade = grade if grade != second.grade else None
    record_event("peer_review_settled", f"peer review {review.id} of audit {first.id}")


def reviews_for(user: User) -> list[PeerReview]:
    """The peer reviews a person may open: never one they are an auditor in; their service's for a service manager."""
    query = (
        select(PeerReview)
        .options(
            selectinload(PeerReview.first_audit).selectinload(Audit.auditor),
            selectinload(PeerReview.first_audit).selectinload(Audit.team),
            selectinload(PeerReview.allocation).selectinload(Allocation.auditor),
            selectinload(PeerReview.allocation).selectinload(Allocation.audit),
        )
        .order_by(PeerReview.settled_at.is_not(None), PeerReview.id.desc())
        .limit(500)
    )
    return [review for review in db.session.scalars(query) if can(user, Action.SETTLE_PEER_REVIEW, review)]


def graded_pairs(first: Any, second: Any, *columns: Any) -> Select[Any]:
    """``columns`` over every peer review whose two audits are submitted with a grade. ``first`` and
    ``second`` are aliases of Audit: the audit reviewed and the blind second audit. The programme's
    agreement table and the reports' agreement measures both count these pairs."""
    return (
        select(*columns)
        .select_from(PeerReview)
        .join(first, PeerReview.first_audit_id == first.id)
        .join(Allocation, PeerReview.allocation_id == Allocation.id)
        .join(second, Allocation.audit_id == second.id)
        .where(
            first.status == "submitted",
            second.status == "submitted",
            first.grade.is_not(None),
            second.grade.is_not(None),
        )
    )


def agreement_rows(year_start_month: int = 4, form_keys: list[str] | None = None) -> list[AgreementRow]:
    """Agreement between first and second grades for every peer review with both audits submitted,
    by template and by the financial quarter (in England) the first audit was submitted in: the same
    pairs the reports count for that quarter."""
    first, second = aliased(Audit), aliased(Audit)
    query = graded_pairs(first, second, first.form_key, first.submitted_at, first.grade, second.grade)
    if form_keys:
        query = query.where(or_(*(first.form_key == key for key in form_keys)))
    rows = []
    for form_key, submitted_at, first_grade, second_grade in db.session.execute(query):
        assert submitted_at is not None  # a submitted audit has its time
        period = financial_quarter(uk_date(submitted_at), year_start_month)[0]
        rows.append((form_key, period, str(first_grade), str(second_grade)))
    return agreement_by_template_and_period(rows)


@dataclass(frozen=True)
class ComparedAnswer:
    label: str
    first: str
    second: str

    @property
    def same(self) -> bool:
        return self.first == self.second


def side_by_side(first: Audit, second: Audit) -> list[tuple[str, list[ComparedAnswer]]]:
    """Each section of the template with both auditors' answers to each question, for the moderator."""
    first_spec, second_spec = first.form_version.as_spec(), second.form_version.as_spec()
    second_questions = {question.id: question for question in second_spec.questions}
    first_hidden = hidden_questions(first_spec, first.answers, None)
    second_hidden = hidden_questions(second_spec, second.answers, None)
    sections = []
    for section in first_spec.sections:
        rows = []
        for question in section.questions:
            if marks_not_applicable(section, question):
                # Each of the section's rows says "Section not applicable" for the audit that marked it.
                continue
            other = second_questions.get(question.id)
            rows.append(
                ComparedAnswer(
                    question.label,
                    shown_answer(question, first.answers, first_hidden),
                    shown_answer(other, second.answers, second_hidden) if other else "",
                )
            )
        sections.append((section.title, rows))
    return sections
