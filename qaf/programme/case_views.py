"""Cases and samples: importing the case list, drawing samples, allocating them, and auditors' quotas."""

import math
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug import Response as HTTPResponse

from qaf.audits.workflow import start_audit
from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.forms_registry import all_forms, template_title
from qaf.formspec import SpecForm, build_form_class
from qaf.models import (
    ALLOCATION_STATUSES,
    Activity,
    ActivityWork,
    Allocation,
    AuditorQuota,
    Case,
    CaseHeading,
    CaseImport,
    Sample,
    User,
)
from qaf.policy import Action, requires
from qaf.programme import bp
from qaf.programme.allocation_messages import flash_allocation
from qaf.programme.auditor_load import allocating_people, auditor_options, loads, month_words
from qaf.programme.case_imports import has_content, queue_case_import, rows_imported
from qaf.programme.casefile import COLUMNS
from qaf.programme.cases import heading_problems, save_headings
from qaf.programme.forms import (
    CASE_HEADINGS,
    CHANGE_ALLOCATION,
    CLOSE_LEFT_OUT,
    DRAW_SAMPLE,
    DRAW_SAMPLE_AGAIN,
    QUOTA,
)
from qaf.programme.left_out import (
    PAGE_SIZE,
    close_left_out,
    closing_date,
    covered_teams,
    left_out_cases,
    left_out_count,
)
from qaf.programme.lookups import get_or_404
from qaf.programme.post_closure import current_setting
from qaf.programme.samples import (
    SampleError,
    allocate_sample,
    audits_in_month,
    change_allocation,
    change_problem,
    draw_sample,
    may_be_given,
    rule_parameters,
    rule_problems,
    sample_cases,
    sample_pool,
    sample_progress,
    samples_for_period,
)
from qaf.programme.sampling import BY_HAND, describe, new_seed
from qaf.programme.schedule import current_work
from qaf.query_args import id_arg, text_arg
from qaf.uploads import accepts_upload, problems_as_errors

# A county's case list is bigger than any form post.
CASE_FILE_MOST_BYTES = 20 * 1024 * 1024


@bp.get("/cases")
@requires(Action.MANAGE_PROGRAMME)
def cases() -> str:
    reference = text_arg("reference", 40).upper()
    query = select(Case).options(selectinload(Case.team)).order_by(Case.updated_at.desc(), Case.reference).limit(100)
    if reference:
        query = query.where(Case.reference.startswith(reference, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(Case)) or 0
    imports = db.session.scalars(select(CaseImport).order_by(CaseImport.id.desc()).limit(5)).all()
    return render_template(
        "programme/cases.html",
        cases=db.session.scalars(query).all(),
        total=total,
        reference=reference,
        imports=imports,
        post_closure=current_setting(),
    )


@bp.route("/cases/import", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
@accepts_upload(CASE_FILE_MOST_BYTES)
def import_case_file():  # type: ignore[no-untyped-def]
    problems: list[str] = []
    if request.method == "POST":
        upload = request.files.get("case_file")
        if upload is None or not has_content(upload):
            problems = ["Select the CSV file of cases"]
        else:
            import_id = queue_case_import(upload, current_user)
            return redirect(url_for("programme.case_import", import_id=import_id))
    page_errors = problems_as_errors(problems, "case_file")
    return render_template(
        "programme/import-cases.html",
        problems=problems,
        page_errors=page_errors,
        columns=COLUMNS,
        headings=_headings(),
    )


def _headings() -> dict[str, str]:
    return dict(db.session.execute(select(CaseHeading.column, CaseHeading.heading)).all())


@bp.route("/cases/headings", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def case_headings():  # type: ignore[no-untyped-def]
    form = build_form_class(CASE_HEADINGS)(data=_headings() if request.method == "GET" else None)
    if form.validate_on_submit():
        headings = {column.name: (getattr(form, column.name).data or "").strip() for column in COLUMNS}
        problems = heading_problems(headings)
        for name, message in problems:
            form.add_error(name, message)
        if not problems:
            run_write_transaction(lambda: save_headings(headings))
            flash("The headings have been saved. Every import from now on reads the columns under them.")
            return redirect(url_for("programme.import_case_file"))
    return render_template("programme/case-headings.html", form=form)


@bp.get("/cases/imports/<int:import_id>")
@requires(Action.MANAGE_PROGRAMME)
def case_import(import_id: int) -> str:
    found = get_or_404(CaseImport, import_id)
    page_errors = problems_as_errors(found.problems, "case_file") if found.status == "refused" else []
    if page_errors and found.problem_count > len(found.problems):
        more = found.problem_count - len(found.problems)
        page_errors.append({"text": f"and {more:,} more problem{'' if more == 1 else 's'}", "href": "#case_file"})
    left_out = left_out_count(found)
    page = min(id_arg("page") or 1, max(1, math.ceil(left_out / PAGE_SIZE)))
    return render_template(
        "programme/case-import.html",
        case_import=found,
        rows_imported=rows_imported(found),
        page_errors=page_errors,
        left_out=left_out,
        left_out_cases=left_out_cases(found, page) if left_out else [],
        page=page,
        pages=math.ceil(left_out / PAGE_SIZE),
        page_size=PAGE_SIZE,
        teams=covered_teams(found),
        closed=_closed_by(found),
        closing_date=closing_date(found),
    )


def _closed_by(record: CaseImport) -> int:
    """How many cases are closed because this import's file left them out (and no later file took them back)."""
    return db.session.scalar(select(func.count()).select_from(Case).where(Case.closed_by_import_id == record.id)) or 0


@bp.route("/cases/imports/<int:import_id>/close-left-out", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def close_left_out_cases(import_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(CaseImport, import_id)
    count = left_out_count(found)
    if not count:
        flash("There are no open cases left out of this file to close.")
        return redirect(url_for("programme.case_import", import_id=import_id))
    form = build_form_class(CLOSE_LEFT_OUT)()
    if form.validate_on_submit():
        if form.close.data != "yes":
            flash("Nothing was changed: the cases stay open.")
        else:
            closed = run_write_transaction(lambda: close_left_out(get_or_404(CaseImport, import_id)))
            flash(
                f"{closed:,} case{'' if closed == 1 else 's'} closed on {closing_date(found):%-d %B %Y}. "
                "No sample draws them; a later file that lists one takes it back."
            )
        return redirect(url_for("programme.case_import", import_id=import_id))
    return render_template(
        "programme/close-left-out.html",
        form=form,
        case_import=found,
        count=count,
        teams=covered_teams(found),
        closing_date=closing_date(found),
    )


def draw_form(defaults: dict[str, object], *, again: bool = False) -> SpecForm:
    """The draw form; ``again``: with the confirmation a second sample for the same work needs."""
    spec = DRAW_SAMPLE_AGAIN if again else DRAW_SAMPLE
    return build_form_class(spec)(data=defaults if request.method == "GET" else None)


def _references(text: str) -> list[str]:
    return [part.strip().upper() for part in text.replace(",", "\n").splitlines() if part.strip()]


def drawn_sample(
    form: SpecForm,
    *,
    form_key: str,
    activity: Activity | None = None,
    work: ActivityWork | None = None,
    thematic_id: int | None = None,
) -> int | None:
    """Draw and store the sample the valid form asks for; None after adding the problems to the form."""
    answers = form.answers()
    references = _references(answers.get("references", ""))
    rule = BY_HAND if references else answers.get("sample_rule")
    if rule is None:
        form.add_error("sample_rule", "Select how cases are chosen, or enter case references")
        return None
    parameters = rule_parameters(rule, answers | {"references": references})
    problems = rule_problems(rule, parameters)
    for name, message in problems:
        form.add_error(name, message)
    if problems:
        return None
    seed = answers["seed"] if answers.get("seed") is not None else new_seed()
    as_of = form.as_of.data or date.today()
    due_date = form.due_date.data

    def work_() -> int:
        return draw_sample(
            rule=rule,
            parameters=parameters,
            seed=seed,
            as_of=as_of,
            due_date=due_date,
            form_key=form_key,
            by=current_user,
            activity=activity,
            work=work,
            thematic_id=thematic_id,
        ).id

    try:
        return run_write_transaction(work_)
    except SampleError as error:
        for problem in error.problems:
            form.add_error("references", problem)
        return None


def rule_defaults(rule: str | None, parameters: dict[str, object]) -> dict[str, object]:
    return {"sample_rule": rule or "", **{name: value for name, value in parameters.items() if name != "references"}}


@bp.route("/activities/<int:activity_id>/samples/new", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def draw_activity_sample(activity_id: int):  # type: ignore[no-untyped-def]
    activity = get_or_404(Activity, activity_id)
    work = current_work(activity, date.today())
    defaults = rule_defaults(activity.sample_rule, activity.sample_parameters or {})
    if work is not None:
        defaults["due_date"] = work.due_date.isoformat()
    drawn = samples_for_period(activity, work, date.today())
    form = draw_form(defaults, again=bool(drawn))
    if form.validate_on_submit():
        if not activity.form_key or all_forms().get(activity.form_key) is None:
            form.add_error("sample_rule", "Choose the activity's audit template first")
        elif drawn and "yes" not in (form.answers().get("another") or []):
            form.add_error("another", "Select ‘Draw another sample anyway’ to draw a second sample for this work")
        elif (sample_id := drawn_sample(form, form_key=activity.form_key, activity=activity, work=work)) is not None:
            flash("Sample drawn. Allocate its cases to auditors below.")
            return redirect(url_for("programme.sample", sample_id=sample_id))
    return render_template(
        "programme/draw-sample.html",
        form=form,
        activity=activity,
        work=work,
        thematic=None,
        drawn=drawn,
        sizes=sample_progress([sample.id for sample in drawn]),
    )


@bp.get("/samples/<int:sample_id>")
@requires(Action.MANAGE_PROGRAMME)
def sample(sample_id: int) -> str:
    found = get_or_404(Sample, sample_id)
    return render_template(
        "programme/sample.html",
        sample=found,
        cases=sample_cases(sample_id),
        description=describe(found.rule, found.parameters),
        template=template_title(found.form_key),
        statuses=ALLOCATION_STATUSES,
        loads=loads(sample_pool(found), found.due_date),
        load_month=month_words(found.due_date, date.today()),
        today=date.today(),
    )


@bp.post("/samples/<int:sample_id>/allocate")
@requires(Action.MANAGE_PROGRAMME)
def allocate(sample_id: int) -> HTTPResponse:
    get_or_404(Sample, sample_id)
    outcome = run_write_transaction(lambda: allocate_sample(get_or_404(Sample, sample_id), current_user))
    flash_allocation(outcome)
    return redirect(url_for("programme.sample", sample_id=sample_id))


@bp.route("/allocations/<int:allocation_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def allocation(allocation_id: int):  # type: ignore[no-untyped-def]
    found = get_or_404(Allocation, allocation_id)
    data = {"auditor": str(found.auditor_id), "due_date": found.due_date.isoformat(), "cancel": "no"}
    form = build_form_class(CHANGE_ALLOCATION)(data=data if request.method == "GET" else None)
    people = allocating_people()
    if found.status == "cancelled" or found.audit is not None:
        return render_template("programme/allocation.html", form=None, allocation=found, statuses=ALLOCATION_STATUSES)
    # Anyone who receives work is accepted, so that choosing someone the checks refuse says why;
    # only those the checks allow are offered.
    form.set_options("auditor", [(str(person.id), person.name) for person in people])
    if form.validate_on_submit():
        auditor = db.session.get(User, int(form.auditor.data))
        assert auditor is not None
        problem = change_problem(found, auditor, form.due_date.data) if form.cancel.data == "no" else ""
        if problem:
            form.add_error("auditor", problem)
        else:
            cancel, due_date = form.cancel.data == "yes", form.due_date.data
            run_write_transaction(
                lambda: change_allocation(get_or_404(Allocation, allocation_id), auditor.id, due_date, cancel=cancel)
            )
            flash("The allocation has been cancelled." if cancel else "The allocation has been changed.")
            return redirect(url_for("programme.allocation", allocation_id=allocation_id))
    form.set_options("auditor", auditor_options(found.due_date, date.today(), may_be_given(found, people)))
    return render_template("programme/allocation.html", form=form, allocation=found, statuses=ALLOCATION_STATUSES)


@bp.post("/allocations/<int:allocation_id>/start")
@requires(Action.START_ALLOCATED_AUDIT)
def start_allocated_audit(allocation_id: int) -> HTTPResponse:
    found = get_or_404(Allocation, allocation_id, Action.START_ALLOCATED_AUDIT)
    if found.audit is not None:
        endpoint = "audits.edit_audit" if found.audit.is_draft else "audits.view_audit"
        return redirect(url_for(endpoint, audit_id=found.audit_id))
    spec = all_forms().get(found.form_key)
    if spec is None or spec.audience != "auditor":
        flash(f"The template ‘{found.form_key}’ is no longer available. Ask your QA team to allocate the case again.")
        return redirect(url_for("programme.assigned"))

    def work() -> int:
        allocation = get_or_404(Allocation, allocation_id, Action.START_ALLOCATED_AUDIT)
        audit = start_audit(
            spec,
            case_reference=allocation.case_reference,
            team_id=allocation.team_id,
            practitioner_id=allocation.practitioner_id,
            auditor=current_user,
        )
        allocation.audit_id = audit.id
        return audit.id

    return redirect(url_for("audits.edit_audit", audit_id=run_write_transaction(work)))


@bp.get("/auditors")
@requires(Action.MANAGE_PROGRAMME)
def auditors() -> str:
    people = allocating_people()
    limits = dict(db.session.execute(select(AuditorQuota.user_id, AuditorQuota.per_month)).all())
    this_month = audits_in_month(date.today())
    return render_template(
        "programme/auditors.html", people=people, limits=limits, this_month=this_month, today=date.today()
    )


@bp.route("/auditors/<int:user_id>", methods=["GET", "POST"])
@requires(Action.MANAGE_PROGRAMME)
def auditor_quota(user_id: int):  # type: ignore[no-untyped-def]
    person = get_or_404(User, user_id)
    quota = db.session.get(AuditorQuota, user_id)
    form = build_form_class(QUOTA)(
        data={"per_month": quota.per_month if quota else ""} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        per_month = form.answers().get("per_month")
        run_write_transaction(lambda: _set_quota(user_id, per_month))
        flash(f"{person.name}'s monthly quota has been saved.")
        return redirect(url_for("programme.auditors"))
    return render_template("programme/auditor-quota.html", form=form, person=person)


def _set_quota(user_id: int, per_month: int | None) -> None:
    quota = db.session.get(AuditorQuota, user_id)
    if per_month is None:
        if quota is not None:
            db.session.delete(quota)
    elif quota is None:
        db.session.add(AuditorQuota(user_id=user_id, per_month=per_month))
    else:
        quota.per_month = per_month
