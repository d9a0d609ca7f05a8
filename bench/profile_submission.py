"""Profile QAF's family form submission in one process: where a GET of the form and a POST of answers spend time.

Run from the project root: ``.venv/bin/python bench/profile_submission.py [--submissions N] [--top N] [--postgresql]``.
It uses a fresh database (SQLite in a temporary folder, or with --postgresql the database qaf_bench, created
and dropped as bench/submissions.py does) and Flask's test client (no server, no network), warms up, then
profiles N GETs and N POSTs separately with cProfile and prints the SQL statements each runs and the
functions that take the most time, by cumulative time and by own time.
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from submissions import ANSWERS, DEFAULT_POSTGRES_URL, FORM_PATH, PROJECT_ROOT, SUBMISSION, TOKEN, postgres_database

# As in submissions.py: the limits stay on (their cost counts) but out of reach; no minimum fill time.
LOAD_SETTINGS = {
    "PUBLIC_LIMIT_PER_ADDRESS": "10000000 per hour",
    "PUBLIC_LIMIT_PER_LINK": "10000000 per hour",
    "PUBLIC_MIN_FILL_SECONDS": 0,
}


def _get(client: Any) -> dict[str, str]:
    page = client.get(FORM_PATH)
    assert page.status_code == 200, page.status_code
    text = page.get_data(as_text=True)
    match, submission = TOKEN.search(text), SUBMISSION.search(text)
    assert match, "no csrf_token in the form page"
    return {"csrf_token": match.group(1)} | ({"submission": submission.group(1)} if submission else {})


def _post(client: Any, tokens: dict[str, str]) -> None:
    sent = client.post(FORM_PATH, data={**tokens, **ANSWERS})
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]


def _report(name: str, profile: cProfile.Profile, count: int, seconds: float, statements: int, top: int) -> None:
    print(f"\n=== {name}: {count} requests, {seconds / count * 1000:.2f} ms each (profiled, so slower than real)")
    print(f"SQL statements per request: {statements / count:.1f}")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def _count_statements(engine: Any) -> list[int]:
    from sqlalchemy import event

    counter = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        counter[0] += 1

    return counter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200, help="how many GET + POST pairs to profile (200)")
    parser.add_argument("--top", type=int, default=30, help="how many functions to list per table (30)")
    parser.add_argument("--postgresql", action="store_true", help="use PostgreSQL (database qaf_bench), not SQLite")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        if args.postgresql:
            admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
            os.environ["DATABASE_URL"] = stack.enter_context(postgres_database(admin_url))
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="qaf-profile-"))
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'qaf.sqlite'}"
        os.environ["SECRET_KEY"] = secrets.token_hex(32)
        for command in (["qaf", "init-db"], ["qaf", "demo-data", "--responses", "0"]):
            subprocess.run(
                [sys.executable, "-m", "flask", "--app", "app", *command],
                cwd=PROJECT_ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        sys.path.insert(0, str(PROJECT_ROOT))
        from qaf import create_app
        from qaf.extensions import db

        app = create_app(LOAD_SETTINGS)
        client = app.test_client()
        with app.app_context():
            statements = _count_statements(db.engine)
        for _ in range(20):  # warm up: templates compiled, form class built, connections opened
            _post(client, _get(client))

        get_profile, post_profile = cProfile.Profile(), cProfile.Profile()
        get_seconds = post_seconds = 0.0
        get_statements = post_statements = 0
        for _ in range(args.submissions):
            started, before = time.perf_counter(), statements[0]
            get_profile.enable()
            token = _get(client)
            get_profile.disable()
            middle, between = time.perf_counter(), statements[0]
            post_profile.enable()
            _post(client, token)
            post_profile.disable()
            get_seconds += middle - started
            post_seconds += time.perf_counter() - middle
            get_statements += between - before
            post_statements += statements[0] - between
        _report("GET form", get_profile, args.submissions, get_seconds, get_statements, args.top)
        _report("POST answers", post_profile, args.submissions, post_seconds, post_statements, args.top)


if __name__ == "__main__":
    main()
