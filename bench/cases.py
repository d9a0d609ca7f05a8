"""Benchmark the QA programme: importing a county's case list, drawing every sample rule over it, and the
schedule page with two years of due work.

Each figure is shown beside a baseline measured in the same run: pandas reading the same CSV for the
import and the sample rules, and the lightest signed-in page (the staff home page) for the schedule page.

Run from the project root: ``.venv/bin/python bench/cases.py [--rows 50000] [--databases sqlite,postgresql]``.
The figures and how to read them are in the README ("QA programme").
"""

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(PROJECT_ROOT))

import pandas  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from qaf import create_app  # noqa: E402
from qaf.database import run_write_transaction  # noqa: E402
from qaf.extensions import db  # noqa: E402
from qaf.models import Activity, ActivityWork, Service, Team, User  # noqa: E402
from qaf.programme.casefile import COLUMNS  # noqa: E402
from qaf.programme.cases import case_rows, import_cases  # noqa: E402
from qaf.programme.demo import DEMO_SCHEDULE, add_schedule_row  # noqa: E402
from qaf.programme.samples import draw_sample  # noqa: E402
from qaf.programme.sampling import draw  # noqa: E402

BENCH_DATABASE = "qaf_bench_cases"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench password for the schedule page"  # noqa: S105 (a throwaway account in a throwaway database)
TEAMS = {
    "Early Help Units": ["ashford-ehu", "canterbury-ehu", "dover-ehu", "thanet-ehu"],
    "Children's Centres": ["ashford-cc", "thanet-cc"],
    "Youth Hubs": ["canterbury-youth", "dover-youth"],
}
AGENCY_TYPES = ["Early Help Unit", "Health visiting", "School", "Children's centre", "Youth hub", "Police"]
RULES: list[tuple[str, dict[str, Any]]] = [
    ("percentage_active", {"percent": 10, "months": 6}),
    ("fixed_count", {"count": 8, "months": 1}),
    ("fixed_count", {"count": 8, "months": 1, "theme": "open_longer_than", "theme_months": 24}),
    ("fixed_count", {"count": 8, "months": 1, "theme": "agency_type", "agency_type": "Health visiting"}),
    ("fixed_count", {"count": 8, "months": 1, "theme": "step_down"}),
    ("fixed_count", {"count": 8, "months": 1, "theme": "plan_open_longer_than", "theme_months": 9}),
    ("fixed_count", {"count": 8, "months": 1, "theme": "drifting", "theme_months": 3}),
    ("flagged_previous_month", {"flags": ["step_up", "step_down", "returning"]}),
    ("per_supervisor", {"per_supervisor": 1, "months": 6}),
]


def write_case_file(path: Path, rows: int, today: date, workers: list[str], supervisors: list[str]) -> None:
    """A county's case list: ``rows`` cases over five years, about a third still open. Seeded: the same every run."""
    rng = random.Random(50_000)  # noqa: S311 (benchmark data)
    teams = [slug for slugs in TEAMS.values() for slug in slugs]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.name for column in COLUMNS])
        for number in range(rows):
            opened = today - timedelta(days=rng.randint(0, 5 * 365))
            closed = opened + timedelta(days=rng.randint(20, 700))
            worker = rng.randrange(len(workers))
            writer.writerow(
                [
                    f"EH-{number + 100000}",
                    rng.choice(teams),
                    "",
                    workers[worker],
                    supervisors[worker % len(supervisors)],
                    opened.isoformat(),
                    (opened + timedelta(days=rng.randint(5, 45))).isoformat(),
                    (opened + timedelta(days=rng.randint(50, 300))).isoformat() if rng.random() < 0.7 else "",
                    closed.isoformat() if closed <= today and rng.random() < 0.65 else "",
                    "yes" if rng.random() < 0.05 else "no",
                    "yes" if rng.random() < 0.1 else "no",
                    "yes" if rng.random() < 0.08 else "no",
                    rng.choice(AGENCY_TYPES),
                ]
            )


def timed(work: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The median wall time of ``repeat`` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def make_app(url: str) -> Any:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 32, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.create_all()
    return app


def add_organisation(rows: int) -> tuple[list[str], list[str]]:
    from qaf.auth.passwords import hash_password

    workers, supervisors = [], []
    password_hash = hash_password(PASSWORD)
    db.session.add(User(email="qa@bench.test", name="QA Admin", role="qa_admin", password_hash=password_hash))
    for service_name, slugs in TEAMS.items():
        service = Service(name=service_name, slug=service_name.lower().replace(" ", "-").replace("'", ""))
        db.session.add(service)
        for slug in slugs:
            team = Team(slug=slug, name=slug.replace("-", " ").title(), service=service)
            db.session.add(team)
            for number in range(3):
                manager = User(
                    email=f"manager{number}.{slug}@bench.test", name=f"Manager {number}", role="auditor", team=team
                )
                db.session.add(manager)
                supervisors.append(manager.email)
            for number in range(max(1, rows // 2000)):
                worker = User(
                    email=f"worker{number}.{slug}@bench.test", name=f"Worker {number}", role="practitioner", team=team
                )
                db.session.add(worker)
                workers.append(worker.email)
    db.session.commit()
    return workers, supervisors


def add_two_years_of_schedule(today: date) -> int:
    """The demo schedule plus two weekly activities done by every team, from two years ago, most work done."""
    rng = random.Random(2)  # noqa: S311 (benchmark data)
    starts_on = today.replace(day=1) - timedelta(days=2 * 365)
    schedule = [*DEMO_SCHEDULE]
    for name in ("Weekly caseload and allocations monitoring", "Weekly timescales compliance monitoring"):
        schedule.append((name, "Camden, Appendix 1", "weekly", None, "team", "auditor", None, None, {}, "any"))

    def work() -> int:
        for row in schedule:
            add_schedule_row(row, starts_on, today)
        for item in db.session.scalars(select(ActivityWork).where(ActivityWork.due_date < today)):
            if rng.random() < 0.9:
                item.completed_on = item.due_date - timedelta(days=rng.randint(-5, 10))
        return db.session.scalar(select(func.count()).select_from(ActivityWork)) or 0

    return run_write_transaction(work)


def draw_and_store(rule: str, parameters: dict[str, Any], today: date) -> int:
    """What the Draw a sample page does: read the cases, apply the rule, store the sample, in one transaction."""

    def work() -> int:
        sample = draw_sample(
            rule=rule,
            parameters=parameters,
            seed=7,
            as_of=today,
            due_date=today,
            form_key="ehat-quality-audit",
            by=None,
        )
        return sample.id

    return run_write_transaction(work)


def run(url: str, label: str, rows: int, repeat: int, folder: Path) -> list[dict[str, Any]]:
    today = date.today()
    app = make_app(url)
    results: list[dict[str, Any]] = []

    def record(what: str, seconds: float, baseline: float, baseline_name: str, note: str = "") -> None:
        results.append(
            {
                "database": label,
                "what": what,
                "seconds": seconds,
                "baseline": baseline_name,
                "baseline_seconds": baseline,
                "ratio": seconds / baseline,
                "note": note,
            }
        )
        ratio = seconds / baseline
        print(
            f"{label:<10} {what:<62} {seconds * 1000:8.1f} ms  {baseline_name} {baseline * 1000:6.1f} ms  x{ratio:5.1f}"
        )
        print(f"{'':<10} {note}")

    with app.app_context():
        workers, supervisors = add_organisation(rows)
        path = folder / "cases.csv"
        write_case_file(path, rows, today, workers, supervisors)
        data = path.read_bytes()
        pandas_seconds, frame = timed(lambda: pandas.read_csv(path), repeat)
        assert len(frame) == rows
        size = f"{rows:,} cases, {len(data) / 1e6:.1f} MB"
        print(f"{label}: {size}; pandas.read_csv of the same file: {pandas_seconds * 1000:.1f} ms (the baseline)")

        first, result = timed(lambda: import_cases(data, "cases.csv"))
        assert result.added == rows, result
        record("import, first time (all new)", first, pandas_seconds, "pandas", str(result))
        again, result = timed(lambda: import_cases(data, "cases.csv"), repeat)
        assert result.unchanged == rows, result
        record("import, same file again (nothing changes)", again, pandas_seconds, "pandas", str(result))
        changed = data.replace(b",no,no,no,", b",no,yes,no,", rows // 10)
        update, result = timed(lambda: import_cases(changed, "cases.csv"))
        record("import, a later file changing some cases", update, pandas_seconds, "pandas", str(result))

        load, loaded = timed(case_rows, repeat)
        record("read every case for the rules (case_rows)", load, pandas_seconds, "pandas", f"{len(loaded):,} cases")
        for rule, parameters in RULES:
            name = f"{rule} {json.dumps(parameters)[:40]}"
            pure, outcome = timed(partial(draw, rule, parameters, loaded, seed=7, as_of=today), repeat)
            whole, _sample = timed(partial(draw_and_store, rule, parameters, today), repeat)
            note = f"{len(outcome.picked)} of {outcome.candidates} cases; the rule alone {pure * 1000:.1f} ms"
            record(f"draw + store {name}", whole, pandas_seconds, "pandas", note)

        work_rows = add_two_years_of_schedule(today)
        activities = db.session.scalar(select(func.count()).select_from(Activity))

    client = app.test_client()
    response = client.post("/sign-in", data={"email": "qa@bench.test", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    for path_ in ("/programme", "/staff"):
        assert client.get(path_).status_code == 200
    home, _ = timed(lambda: client.get("/staff"), repeat * 5)
    schedule, page = timed(lambda: client.get("/programme"), repeat * 5)
    assert page.status_code == 200
    record(
        "schedule page (GET /programme)",
        schedule,
        home,
        "GET /staff",
        f"{activities} activities, {work_rows:,} pieces of due work over three years; target < 500 ms",
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step (the median is shown)")
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgresql or both (comma-separated)")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="a server to create qaf_bench_cases on")
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for database in arguments.databases.split(","):
            if database == "sqlite":
                url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
                results += run(url, "sqlite", arguments.rows, arguments.repeat, Path(folder))
            elif database == "postgresql":
                import psycopg

                admin_url = arguments.postgres_url
                with psycopg.connect(admin_url, autocommit=True) as connection:
                    connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
                    connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
                base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
                try:
                    results += run(
                        f"{base}/{BENCH_DATABASE}", "postgresql", arguments.rows, arguments.repeat, Path(folder)
                    )
                finally:
                    with psycopg.connect(admin_url, autocommit=True) as connection:
                        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            else:
                parser.error(f"unknown database {database!r}")
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"cases-{datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"saved {out}")
    slow = [row for row in results if row["what"].startswith("schedule page") and row["seconds"] >= 0.5]
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
