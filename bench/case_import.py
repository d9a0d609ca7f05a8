"""Benchmark a county-sized case list import end to end: time and peak memory, the job beside the old code.

Makes a 520,000-case CSV (about 18 MB: issue 12's file) and, each in a fresh process on a fresh
database, runs
- ``job``: what the upload page and the worker do now: the upload kept in a file, a CaseImport
  record, the job (run at once, huey's immediate mode) checking every line as a stream and then
  storing 5,000 rows a statement in one transaction;
- ``old``: the code before the job queue (git ``OLD_COMMIT``): the file read into memory as bytes,
  parsed into a list of dicts, then stored.
Peak memory is the process's peak resident set (``ru_maxrss``) after the import less the peak
before it (the app made, the organisation added).

Run from the project root: ``.venv/bin/python bench/case_import.py [--rows 520000] [--database URL]``.
"""

import argparse
import csv
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(BENCH_DIR))

# The last commit with the import that read the whole file into memory.
OLD_COMMIT = "0caa51b"


def write_case_file(path: Path, rows: int) -> None:
    """Issue 12's file: ``rows`` cases in the columns a case system exports at least, about 35 bytes a line.

    Seeded: the same every run. A fifth of the cases are closed.
    """
    from cases import TEAMS

    rng = random.Random(520_000)
    teams = [slug for slugs in TEAMS.values() for slug in slugs]
    today = date.today()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["reference", "team", "opened", "closed"])
        for number in range(rows):
            opened = today - timedelta(days=rng.randint(0, 5 * 365))
            closed = opened + timedelta(days=rng.randint(20, 700))
            shut = closed.isoformat() if closed <= today and rng.random() < 0.2 else ""
            writer.writerow([f"EH{number + 100_000}", rng.choice(teams), opened.isoformat(), shut])


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def old_import_cases(folder: Path):  # type: ignore[no-untyped-def]
    """The old ``import_cases``, loaded from git beside the new modules."""
    for name in ("casefile", "cases"):
        source = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:qaf/programme/{name}.py"],
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = source.replace("from qaf.programme.casefile import", "from old_casefile import")
        (folder / f"old_{name}.py").write_text(source)
    sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location("old_cases", folder / "old_cases.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.import_cases


def child(way: str, rows: int, database: str, folder: Path) -> None:
    from cases import add_organisation, make_app
    from werkzeug.datastructures import FileStorage

    from qaf.extensions import db
    from qaf.models import CaseImport, User
    from qaf.programme.case_imports import queue_case_import

    url = database or f"sqlite:///{folder / f'{way}.sqlite'}"
    app = make_app(url)
    app.config.update(JOBS_IMMEDIATE=True, CASE_IMPORT_FOLDER=str(folder / "uploads"))
    from qaf.jobs import init_jobs

    init_jobs(app)
    path = folder / "cases.csv"
    old = old_import_cases(folder) if way == "old" else None
    with app.app_context():
        add_organisation(rows)
        if not path.exists():
            write_case_file(path, rows)
        admin = db.session.query(User).filter_by(role="qa_admin").one()
        before = peak_mb()
        start = time.perf_counter()
        if old is not None:
            summary = str(old(path.read_bytes(), "cases.csv"))
        else:
            with path.open("rb") as stream:
                with app.test_request_context():
                    import_id = queue_case_import(FileStorage(stream, filename="cases.csv"), admin)
            record = db.session.get(CaseImport, import_id)
            assert record is not None
            assert record.status == "done", (record.status, record.problems)
            summary = f"{record.added:,} added, {record.updated:,} updated, {record.unchanged:,} unchanged"
        seconds = time.perf_counter() - start
        result = {"way": way, "seconds": seconds, "peak_before_mb": before, "peak_after_mb": peak_mb()}
        result |= {"summary": summary, "megabytes": path.stat().st_size / 1e6}
        print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=520_000)
    parser.add_argument("--database", default="", help="a PostgreSQL URL (emptied!); default a new SQLite file each")
    parser.add_argument("--ways", default="job,old")
    parser.add_argument("--child", default="")
    parser.add_argument("--folder", default="")
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.rows, arguments.database, Path(arguments.folder))
        return
    with tempfile.TemporaryDirectory() as folder:
        for way in arguments.ways.split(","):
            command = [sys.executable, __file__, "--child", way, "--rows", str(arguments.rows), "--folder", folder]
            output = subprocess.run(
                [*command, "--database", arguments.database], check=True, capture_output=True, text=True
            ).stdout
            found = json.loads(output.strip().splitlines()[-1])
            growth = found["peak_after_mb"] - found["peak_before_mb"]
            print(
                f"{way:<4} {arguments.rows:,} rows ({found['megabytes']:.1f} MB): {found['seconds']:6.1f} s, "
                f"peak memory +{growth:,.0f} MB (peak {found['peak_after_mb']:,.0f} MB); {found['summary']}"
            )


if __name__ == "__main__":
    main()
