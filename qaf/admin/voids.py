"""Voiding bursts of fake responses: found, chosen, voided with a reason, and undone if need be.

A voided response is kept but counts in no figure (the reports read only responses with no
void). Who voided what, when and why is in the void itself and in the audit log.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select, update

from qaf.admin import bp
from qaf.audit_log import record_event
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.forms_registry import all_forms
from qaf.models import Response, ResponseVoid, User, utc_now
from qaf.organisation import team_choices
from qaf.policy import Action, requires
from qaf.query_args import record_id
from qaf.reports.periods import UK

# A burst: this many responses or more through one link, each within BURST_GAP of the one before.
BURST_SIZE = 10
BURST_GAP = timedelta(minutes=2)
SHOWN = 500
DEFAULT_DAYS = 7
TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Filter:
    form_key: str
    team_id: int | None
    since: datetime  # UTC
    until: datetime  # UTC

    def conditions(self) -> list[ColumnElement[bool]]:
        found = [Response.void_id.is_(None), Response.submitted_at >= self.since, Response.submitted_at < self.until]
        if self.form_key:
            found.append(Response.form_key == self.form_key)
        if self.team_id is not None:
            found.append(Response.team_id == self.team_id)
        return found


@dataclass(frozen=True)
class Burst:
    form_key: str
    team_id: int | None
    stage: str | None
    round_id: int | None
    first: datetime
    last: datetime
    count: int


def _local_text(moment: datetime) -> str:
    return moment.replace(tzinfo=UTC).astimezone(UK).strftime(TIME_FORMAT)


def _utc(text: str) -> datetime | None:
    """A time as people in England type it (YYYY-MM-DD HH:MM, or a day), as stored (naive UTC)."""
    for pattern in (TIME_FORMAT, "%Y-%m-%d"):
        try:
            local = datetime.strptime(text.strip(), pattern).replace(tzinfo=UK)  # noqa: DTZ007  (zone just after)
        except ValueError:
            continue
        return local.astimezone(UTC).replace(tzinfo=None)
    return None


def _filter(args: Any) -> Filter:
    now = utc_now()
    team = args.get("team", "")
    return Filter(
        form_key=args.get("form", "") if args.get("form", "") in all_forms() else "",
        team_id=record_id(team),
        since=_utc(args.get("from", "")) or now - timedelta(days=DEFAULT_DAYS),
        until=_utc(args.get("to", "")) or now + timedelta(minutes=1),
    )


def _time_problems(args: Any) -> list[dict[str, str]]:
    """A time typed that cannot be read is said so (the default range is shown meanwhile)."""
    labels = {"from": "the time to search from", "to": "the time to search before"}
    return [
        {"text": f"Enter {label} as YYYY-MM-DD HH:MM, like 2026-11-30 14:05", "href": f"#{name}"}
        for name, label in labels.items()
        if args.get(name, "").strip() and _utc(args.get(name, "")) is None
    ]


def find_bursts(chosen: Filter) -> list[Burst]:
    """Runs of at least BURST_SIZE responses through one link (form, team, stage, round), close together."""
    query = (
        select(Response.form_key, Response.team_id, Response.stage, Response.round_id, Response.submitted_at)
        .where(*chosen.conditions())
        .order_by(Response.submitted_at)
    )
    times: dict[tuple[str, int | None, str | None, int | None], list[datetime]] = defaultdict(list)
    for form_key, team_id, stage, round_id, submitted_at in db.session.execute(query):
        times[(form_key, team_id, stage, round_id)].append(submitted_at)
    found = []
    for link, moments in times.items():
        run = [moments[0]]
        for moment in [*moments[1:], None]:
            if moment is not None and moment - run[-1] <= BURST_GAP:
                run.append(moment)
                continue
            if len(run) >= BURST_SIZE:
                found.append(Burst(*link, run[0], run[-1], len(run)))
            if moment is not None:
                run = [moment]
    return sorted(found, key=lambda burst: -burst.count)


def _burst_link(burst: Burst) -> str:
    """The page filtered to the burst's form, team and minutes, its responses ticked."""
    args: dict[str, Any] = {
        "form": burst.form_key,
        "team": burst.team_id or "",
        "from": _local_text(burst.first),
        # The minute after the last response, so that it is found too.
        "to": _local_text(burst.last + timedelta(minutes=1)),
        "burst": "1",
    }
    return url_for("admin.voids", **args)


def _preview(answers: dict[str, Any], equality: set[str]) -> str:
    """The answers in a line; equality monitoring answers (ids in ``equality``) never beside comments."""
    text = "; ".join(
        str(value) for key, value in answers.items() if value not in (None, "", []) and key not in equality
    )
    return text if len(text) <= 80 else text[:79] + "…"


def _page(
    chosen: Filter,
    *,
    errors: list[dict[str, str]] | None = None,
    reason: str = "",
    ticked: frozenset[int] = frozenset(),
    which: str = "ticked",
    status: int = 200,
) -> Any:
    rows = db.session.execute(
        select(
            Response.id, Response.submitted_at, Response.form_key, Response.team_id, Response.stage, Response.answers
        )
        .where(*chosen.conditions())
        .order_by(Response.submitted_at, Response.id)
        .limit(SHOWN)
    ).all()
    matching = db.session.scalar(select(func.count()).select_from(Response).where(*chosen.conditions())) or 0
    voids = db.session.execute(
        select(ResponseVoid, User.email)
        .outerjoin(User, User.id == ResponseVoid.voided_by_id)
        .order_by(ResponseVoid.id.desc())
        .limit(100)
    ).all()
    voided_now = db.session.scalar(select(func.count()).select_from(Response).where(Response.void_id.is_not(None)))
    teams = {team.id: team.label for team in team_choices()}
    forms = {key: spec.title for key, spec in all_forms().items()}
    equality = {question.id for spec in all_forms().values() for question in spec.questions if question.equality}
    return (
        render_template(
            "admin/voids.html",
            bursts=[(burst, _burst_link(burst)) for burst in find_bursts(chosen)],
            rows=[(row, _preview(row.answers or {}, equality)) for row in rows],
            matching=matching,
            shown=SHOWN,
            voids=voids,
            voided_now=voided_now or 0,
            teams=teams,
            forms=forms,
            filters={
                "form": chosen.form_key,
                "team": "" if chosen.team_id is None else str(chosen.team_id),
                # A time that could not be read is shown as typed, beside its error.
                **{name: _local_text(moment) for name, moment in (("from", chosen.since), ("to", chosen.until))},
                **{
                    name: request.values.get(name, "")
                    for name in ("from", "to")
                    if any(error.get("href") == f"#{name}" for error in errors or [])
                },
            },
            ticked_by_default=request.args.get("burst") == "1",
            # After a mistake the page comes back as it was sent: the same boxes ticked.
            ticked=ticked,
            which=which,
            page_errors=errors or [],
            reason=reason,
            burst_size=BURST_SIZE,
        ),
        status,
    )


def _void(chosen: Filter, ids: list[int], every: bool, reason: str) -> int:
    def work() -> int:
        void = ResponseVoid(voided_by_id=current_user.id, reason=reason)
        db.session.add(void)
        db.session.flush()
        which = chosen.conditions() if every else [Response.id.in_(ids), Response.void_id.is_(None)]
        result = db.session.execute(update(Response).where(*which).values(void_id=void.id))
        void.responses = result.rowcount  # type: ignore[attr-defined]
        record_event("responses_voided", f"Void {void.id}: {void.responses} responses. Reason: {reason}")
        return void.responses

    return run_write_transaction(work)


def _undo(void_id: int) -> bool:
    def work() -> bool:
        void = db.session.get(ResponseVoid, void_id)
        if void is None or void.undone_at is not None:
            return False
        void.undone_at, void.undone_by_id = utc_now(), current_user.id
        db.session.execute(update(Response).where(Response.void_id == void.id).values(void_id=None))
        record_event("void_undone", f"Void {void.id} undone: its {void.responses} responses count again")
        return True

    return run_write_transaction(work)


@bp.route("/voids", methods=["GET", "POST"])
@requires(Action.VOID_RESPONSES)
def voids() -> Any:
    if request.method == "GET":
        return _page(_filter(request.args), errors=_time_problems(request.args))
    chosen = _filter(request.form)
    if request.form.get("undo", "").isdigit():
        if _undo(int(request.form["undo"])):
            flash("Void undone: its responses count again")
        return redirect(url_for("admin.voids"))
    reason = request.form.get("reason", "").strip()
    every = request.form.get("which") == "all"
    ids = [number for value in request.form.getlist("response") if (number := record_id(value)) is not None]
    errors = []
    if not every and not ids:
        errors.append({"text": "Select the responses to void", "href": "#which-ticked"})
    if not reason:
        errors.append({"text": "Enter why these responses are being voided", "href": "#reason"})
    elif len(reason) > 500:
        errors.append({"text": "The reason must be 500 characters or less", "href": "#reason"})
    if errors:
        return _page(chosen, errors=errors, reason=reason, ticked=frozenset(ids), which="all" if every else "ticked")
    count = _void(chosen, ids, every, reason)
    flash(f"{count} response{'' if count == 1 else 's'} voided: they no longer count in any figure")
    return redirect(url_for("admin.voids"))
