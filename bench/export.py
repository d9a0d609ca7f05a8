"""Benchmark the quarterly export and the dashboard on a county-sized year, against bare xlsxwriter.

For each database: a fresh database holding 100,000 responses across every public form and
5,000 submitted audits (with their actions, and one graded audit in 20 peer reviewed by a
second auditor), all in 2026-27 Q3. Then, each in a fresh process:
QAF's export of the quarter (time and peak memory), bare xlsxwriter in constant-memory mode
writing exactly the cells QAF wrote (read back from QAF's file beforehand), and the dashboard
for the quarter. Ours and the baseline alternate, --repeat times each, in the same run.

Run from the project root: ``.venv/bin/python bench/export.py [--databases sqlite,postgresql]``.
See bench/README.md.
"""

import argparse
import contextlib
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(PROJECT_ROOT))

from answers import PASSWORD, add_action, add_county, answers_for, make_app, response_row  # noqa: E402 (bench/ is on the path as the script's folder)

BENCH_DATABASE = "qaf_bench_export"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PERIOD = "2026-27 Q3"
DISTRICTS = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Folkestone",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge",
    "Tunbridge Wells",
)
# How a year's feedback splits across the forms (any form not named gets the last share).
FORM_WEIGHTS = {
    "family": 35,
    "child": 10,
    "closure": 10,
    "cp-conference": 5,
    "partner": 10,
    "triage-notifier": 5,
    "staff-survey": 10,
    "supervision": 8,
    "training": 7,
}
PEER_REVIEW_EVERY = 20  # one graded audit in 20 is peer reviewed


# --- Making a county's year ------------------------------------------------------------------


def populate(database_url: str, responses: int, audits: int, seed: int) -> dict[str, int]:
    """A county: 4 services in 12 districts, staff, a quarter's responses, audits and actions."""
    from sqlalchemy import insert

    from qaf.extensions import db
    from qaf.forms_registry import all_forms
    from qaf.models import Audit, Response
    from qaf.reports.periods import parse_period
    from qaf.responses import ensure_form_version, register_form_versions

    rng = random.Random(seed)
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        forms = all_forms()
        register_form_versions(forms)
        versions = {key: ensure_form_version(spec) for key, spec in forms.items()}
        county = add_county(DISTRICTS)
        auditors = county.auditors

        period = parse_period(PERIOD)
        start, end = period.utc_bounds()
        seconds = int((end - start).total_seconds())
        public = [key for key, spec in forms.items() if spec.audience != "auditor"]
        weights = [FORM_WEIGHTS.get(key, 5) for key in public]
        rows = []
        for _ in range(responses):
            key = rng.choices(public, weights)[0]
            submitted = start + timedelta(seconds=rng.randrange(seconds))
            rows.append(response_row(key, forms[key], versions[key], submitted, county, rng))
            if len(rows) == 5000:
                db.session.execute(insert(Response), rows)
                rows = []
        if rows:
            db.session.execute(insert(Response), rows)
        db.session.commit()

        templates = [key for key, spec in forms.items() if spec.audience == "auditor"]
        actions = 0
        for number in range(audits):
            key = rng.choice(templates)
            spec = forms[key]
            answers = answers_for(spec, rng)
            submitted = start + timedelta(seconds=rng.randrange(seconds))
            grade = answers.get(spec.grade_question) if spec.grade_question else None
            moderated = rng.random() < 0.3
            record = Audit(
                form_key=key,
                form_version_id=versions[key],
                case_reference=f"EH-{number:05d}",
                team_id=rng.choice(county.team_ids),
                practitioner_id=rng.choice(county.workers),
                auditor_id=rng.choice(auditors),
                status="submitted",
                answers=answers,
                grade=grade,
                scaling=int(answers[spec.scaling_question]) if spec.scaling_question in answers else None,
                created_at=submitted,
                updated_at=submitted,
                submitted_at=submitted,
                moderated_at=submitted + timedelta(days=3) if moderated else None,
                moderator_id=auditors[0] if moderated else None,
                moderated_grade=(
                    rng.choice([option.value for option in spec.grade.options])
                    if moderated and spec.grade and rng.random() < 0.2
                    else None
                ),
            )
            db.session.add(record)
            if number % 2 == 0:
                db.session.flush()
                add_action(record, county, submitted, rng)
                actions += 1
            if number % 1000 == 999:
                db.session.commit()
        db.session.commit()
        reviews = peer_reviews(rng, forms, auditors)
    return {
        "responses": responses,
        "audits": audits,
        "actions": actions,
        "peer_reviews": reviews,
        "teams": len(county.team_ids),
    }


def peer_reviews(rng: random.Random, forms: dict[str, Any], auditors: list[int]) -> int:
    """One graded audit in PEER_REVIEW_EVERY gets a blind second audit, agreeing about 70% of the time."""
    from sqlalchemy import select

    from qaf.extensions import db
    from qaf.models import Allocation, Audit, PeerReview

    firsts = db.session.scalars(select(Audit).where(Audit.grade.is_not(None)).order_by(Audit.id)).all()
    made = 0
    for first in firsts[::PEER_REVIEW_EVERY]:
        grade_options = [option.value for option in forms[first.form_key].grade.options]
        grade = first.grade if rng.random() < 0.7 else rng.choice(grade_options)
        reviewer = rng.choice([person for person in auditors if person != first.auditor_id])
        second = Audit(
            form_key=first.form_key,
            form_version_id=first.form_version_id,
            case_reference=first.case_reference,
            team_id=first.team_id,
            practitioner_id=first.practitioner_id,
            auditor_id=reviewer,
            status="submitted",
            answers=dict(first.answers) | {forms[first.form_key].grade_question: grade},
            grade=grade,
            created_at=first.submitted_at,
            updated_at=first.submitted_at,
            submitted_at=first.submitted_at + timedelta(days=7),
        )
        db.session.add(second)
        db.session.flush()
        allocation = Allocation(
            kind="peer_review",
            case_reference=first.case_reference,
            team_id=first.team_id,
            practitioner_id=first.practitioner_id,
            auditor_id=reviewer,
            form_key=first.form_key,
            due_date=(first.submitted_at + timedelta(days=14)).date(),
            audit_id=second.id,
        )
        db.session.add(allocation)
        db.session.flush()
        db.session.add(PeerReview(first_audit_id=first.id, allocation_id=allocation.id, seed=1, share=5))
        made += 1
    db.session.commit()
    return made


# --- The measured steps, each in a fresh process -----------------------------------------------


def memory_mb(field: str) -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM), from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start the peak (VmHWM) again from now, so start-up (imports, the app) is not counted as the export's."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def child_export(database_url: str, out: str) -> dict[str, Any]:
    from qaf.reports.exports import export_workbook_file
    from qaf.reports.periods import parse_period

    app = make_app(database_url)
    with app.app_context():
        before = memory_mb("VmRSS")
        reset_peak()
        started = time.perf_counter()
        export_workbook_file(parse_period(PERIOD), Path(out), made_by="bench", today=date(2027, 1, 5))
        seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM")
    return {"seconds": seconds, "peak_mb": peak, "before_mb": before, "bytes": Path(out).stat().st_size}


def child_baseline(source: str, out: str) -> dict[str, Any]:
    """Bare xlsxwriter, constant memory: the same cells, read from QAF's file first (not timed)."""
    import openpyxl
    from xlsxwriter import Workbook

    book = openpyxl.load_workbook(source, read_only=True)
    sheets = [(sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book.worksheets]
    book.close()
    cells = sum(sum(value is not None for value in row) for _name, rows in sheets for row in rows)
    # Millions of cells held in memory would make every garbage collection walk them all, a cost a
    # writer streaming its rows never pays: keep the collector off them.
    gc.collect()
    gc.freeze()
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "d mmm yyyy hh:mm",
    }
    started = time.perf_counter()
    workbook = Workbook(out, options)
    for name, rows in sheets:
        sheet = workbook.add_worksheet(name)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    workbook.close()
    return {"seconds": time.perf_counter() - started, "cells": cells, "bytes": Path(out).stat().st_size}


def child_dashboard(database_url: str, requests: int) -> dict[str, Any]:
    from qaf.forms_registry import all_forms
    from qaf.reports.collect import measure
    from qaf.reports.periods import parse_period
    from qaf.responses import store_response

    app = make_app(database_url, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "qa@bench.test", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    # Warm the process (templates compiled, form versions read) on a quarter with nothing in it.
    assert client.get("/reports?period=2020-21+Q1").status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(f"/reports?period={urllib.parse.quote(PERIOD)}")
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with app.app_context():
        started = time.perf_counter()
        measure(parse_period(PERIOD), by_team=False, side_by_side=True).measures()
        counting = time.perf_counter() - started
    # A family answers between two looks, as on any busy day: only the new response is counted.
    after_new = []
    for _ in range(requests):
        with app.app_context():
            spec = all_forms()["family"]
            store_response(spec, answers_for(spec, random.Random(1)), team_id=1, stage="closure")
        started = time.perf_counter()
        response = client.get(f"/reports?period={urllib.parse.quote(PERIOD)}")
        after_new.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    # The first request for the quarter counts it (cold); the rest find the counts kept (warm).
    return {
        "first": timings[0],
        "median": statistics.median(timings[1:] or timings),
        "counting": counting,
        "after_new_response": statistics.median(after_new),
    }


def run_child(mode: str, *args: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), mode, *args]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- The run -----------------------------------------------------------------------------------


@contextlib.contextmanager
def database(kind: str, workdir: Path, admin_url: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(admin_url)

    def recreate(create: bool) -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            if create:
                connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")

    recreate(True)
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}", scheme="postgresql+psycopg"))
    finally:
        recreate(False)


def bench(kind: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with database(kind, workdir, args.postgres_url) as url:
        started = time.perf_counter()
        made = populate(url, args.responses, args.audits, args.seed)
        print(f"{kind}: {made} made in {time.perf_counter() - started:.0f} s", flush=True)
        ours, bare = [], []
        for round_number in range(args.repeat):
            out = workdir / f"{kind}-qaf-{round_number}.xlsx"
            ours.append(run_child("_export", url, str(out)))
            bare.append(run_child("_baseline", str(out), str(workdir / f"{kind}-bare-{round_number}.xlsx")))
            qaf, baseline = ours[-1], bare[-1]
            print(
                f"{kind} round {round_number + 1}: QAF {qaf['seconds']:.1f} s (peak {qaf['peak_mb']:.0f} MB), "
                f"bare xlsxwriter {baseline['seconds']:.1f} s for {baseline['cells']:,} cells",
                flush=True,
            )
        dashboard = run_child("_dashboard", url, str(args.dashboard_requests))
    qaf_seconds = statistics.median(run["seconds"] for run in ours)
    bare_seconds = statistics.median(run["seconds"] for run in bare)
    return {
        "database": kind,
        "made": made,
        "qaf_seconds": qaf_seconds,
        "bare_seconds": bare_seconds,
        "ratio": qaf_seconds / bare_seconds,
        "peak_mb": max(run["peak_mb"] for run in ours),
        "before_mb": ours[0]["before_mb"],
        "cells": bare[0]["cells"],
        "qaf_bytes": ours[0]["bytes"],
        "bare_bytes": bare[0]["bytes"],
        "dashboard": dashboard,
        "rounds": {"qaf": ours, "bare": bare},
    }


def report(results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'database':<11}{'cells':>11}{'QAF s':>9}{'bare s':>9}{'QAF/bare':>10}{'peak MB':>9}{'(+MB)':>7}"
        f"{'dash cold s':>13}{'dash warm s':>13}{'count s':>9}{'+1 resp s':>11}"
    )
    for result in results:
        dashboard = result["dashboard"]
        added = result["peak_mb"] - result["before_mb"]
        print(
            f"{result['database']:<11}{result['cells']:>11,}{result['qaf_seconds']:>9.1f}{result['bare_seconds']:>9.1f}"
            f"{result['ratio']:>10.2f}{result['peak_mb']:>9.0f}{added:>+7.0f}"
            f"{dashboard['first']:>13.3f}{dashboard['median']:>13.3f}{dashboard['counting']:>9.3f}"
            f"{dashboard['after_new_response']:>11.3f}"
        )
    print("Targets: QAF/bare <= 1.5, peak under 500 MB, dashboard under 0.5 s.")


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        mode, rest = sys.argv[1], sys.argv[2:]
        result = {"_export": child_export, "_baseline": child_baseline}.get(mode)
        if result is not None:
            print(json.dumps(result(*rest)))
        else:
            print(json.dumps(child_dashboard(rest[0], int(rest[1]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--audits", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=2, help="rounds of QAF and bare xlsxwriter, alternating")
    parser.add_argument("--dashboard-requests", type=int, default=6)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="qaf-bench-export-") as folder:
        for kind in args.databases.split(","):
            workdir = Path(folder) / kind.strip()
            workdir.mkdir()
            results.append(bench(kind.strip(), args, workdir))
    report(results)
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"export-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"args": vars(args), "results": results}, indent=2, default=str))
    print(f"Saved {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
