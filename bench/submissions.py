"""Benchmark family form submissions: QAF against a bare Flask app, on SQLite and on PostgreSQL.

For each database and each app: a fresh database, gunicorn with 2 sync workers on a free loopback port,
one checked submission, then wrk with N clients (one connection each) doing GET form + POST answers for
--seconds. Afterwards the rows stored are counted and must equal the 302s the clients saw.

Run from the project root: ``.venv/bin/python bench/submissions.py [--seconds N] [--databases sqlite,postgresql]``.
See bench/README.md.
"""

import argparse
import contextlib
import ctypes
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import bare_app

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
LUA_SCRIPT = BENCH_DIR / "submissions.lua"
RESULTS_DIR = BENCH_DIR / "results"

FORM_PATH = "/feedback/family?team=ashford-ehu&stage=closure"
# A valid answer to every question of forms/feedback/family.yaml (the team and stage come from the link).
ANSWERS = {
    "who_is_answering": "parent_carer",
    "help_helped": "yes_a_little",
    "what_helped": "Our worker came when she said she would and helped us with a routine at bedtime.",
    "could_be_better": "It took a long time before anyone came to see us.",
    "listened_to": "agree",
    "involved_in_plan": "strongly_agree",
    "treated_with_respect": "agree",
    "help_at_right_time": "neither",
    "things_at_start": "3",
    "things_now": "7",
    "going_well": "Things are calmer at home now.",
    "would_like_to_change": "I would have liked more help with housing.",
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" value="([^"]+)"')

WORKERS = 2
DRAIN_SECONDS = 5  # wrk runs this much longer than --seconds, so submissions in flight at the end finish
START_TIMEOUT = 30
BENCH_DATABASE = "qaf_bench"
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Result:
    app: str
    database: str
    seconds: float  # the measured window
    submitted: int  # 302s to the thank-you page, the window's and the drain's
    in_window: int  # of which answered inside the window: the rate and latencies count these
    stored: int
    errors: int
    submissions_per_second: float
    post_p50_ms: float
    post_p99_ms: float
    submission_p50_ms: float
    submission_p99_ms: float
    error_detail: dict[str, int] = field(default_factory=dict)

    @property
    def stored_matches(self) -> bool:
        return self.stored == self.submitted


@dataclass
class App:
    name: str
    gunicorn_app: list[str]  # the app argument, with any option it needs
    table: str

    def prepare(self, database_url: str, env: dict[str, str], workdir: Path) -> None:
        if self.name == "QAF":
            for command in (["qaf", "init-db"], ["qaf", "demo-data", "--responses", "0"]):
                _run([sys.executable, "-m", "flask", "--app", "app", *command], env, workdir / "prepare.log")
        else:
            bare_app.init_db(database_url)


APPS = [
    App("QAF", ["app:app"], "response"),
    App("bare", ["--pythonpath", str(BENCH_DIR), "bare_app:app"], "bare_response"),
]


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{log.read_text()[-3000:]}")


def _die_with_parent() -> None:
    """In a child before exec: get SIGTERM if this script dies, even by SIGKILL (Linux only)."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[Any], name: str) -> None:
    """Stop a process started in its own session, then anything left in that session's process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            print(f"  {name} did not stop on SIGTERM: killing it", file=sys.stderr)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the group is this child's own session (start_new_session)
    process.wait()


@contextlib.contextmanager
def gunicorn(app: App, env: dict[str, str], log: Path) -> Iterator[int]:
    """Serve ``app`` with gunicorn on a free loopback port until the block ends; yields the port."""
    port = _free_port()
    command = [
        *(sys.executable, "-m", "gunicorn"),
        *("--workers", str(WORKERS), "--worker-class", "sync"),
        *("--bind", f"127.0.0.1:{port}", "--no-control-socket"),
        *("--error-logfile", str(log), "--log-level", "warning"),
        *app.gunicorn_app,
    ]
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        _wait_until_serving(process, port, log)
        yield port
    finally:
        _stop(process, f"gunicorn ({app.name})")


def _wait_until_serving(process: subprocess.Popen[Any], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {START_TIMEOUT} s")


def _request(
    port: int, method: str, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, Any, str]:
    """One request on its own connection: (status, headers, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, FORM_PATH, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


def submit_once(port: int) -> None:
    """One submission by hand, so a broken form or token fails here with a readable message."""
    status, headers, text = _request(port, "GET")
    token = TOKEN.search(text)
    cookie = (headers.get("Set-Cookie") or "").split(";")[0]
    if status != 200 or token is None or not cookie:
        raise RuntimeError(f"GET {FORM_PATH}: {status}, token or cookie missing:\n{text[:2000]}")
    submission = SUBMISSION.search(text)
    extra = {"submission": submission.group(1)} if submission else {}
    body = urllib.parse.urlencode({"csrf_token": token.group(1), **ANSWERS, **extra})
    form_headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    status, headers, text = _request(port, "POST", form_headers, body)
    if status != 302 or "/thank-you" not in (headers.get("Location") or ""):
        raise RuntimeError(f"POST {FORM_PATH}: {status}, expected 302 to the thank-you page:\n{text[:3000]}")


def run_wrk(port: int, seconds: int, clients: int, workdir: Path) -> dict[str, Any]:
    """Run the load and return the counters and latencies the Lua script wrote."""
    out = workdir / "wrk.out"
    env = {
        **os.environ,
        "BENCH_PATH": FORM_PATH,
        "BENCH_BODY": urllib.parse.urlencode(ANSWERS),
        "BENCH_SECONDS": str(seconds),
        "BENCH_FILLER_PATH": "/",
        "BENCH_OUT": str(out),
    }
    command = [
        *("wrk", "--threads", str(clients), "--connections", str(clients)),
        *("--duration", f"{seconds + DRAIN_SECONDS}s", "--timeout", "10s"),
        *("--script", str(LUA_SCRIPT), f"http://127.0.0.1:{port}"),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_die_with_parent
    )
    try:
        output, _ = process.communicate(timeout=seconds + DRAIN_SECONDS + 60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    (workdir / "wrk.log").write_text(output)
    if process.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{output}")
    return _parse_wrk_output(out.read_text())


def _parse_wrk_output(text: str) -> dict[str, Any]:
    figures: dict[str, Any] = {"stats": {}, "errors": {}, "post_ms": [], "submission_ms": [], "first": []}
    for line in text.splitlines():
        kind, *rest = line.split()
        if kind in ("post_ms", "submission_ms"):
            figures[kind].append(float(rest[0]))
        elif kind == "deadline":
            figures["deadline"] = float(rest[0])
        elif kind == "stat" and rest[0] == "first":
            if float(rest[1]) > 0:
                figures["first"].append(float(rest[1]))
        elif kind == "stat":
            figures["stats"][rest[0]] = figures["stats"].get(rest[0], 0) + round(float(rest[1]))
        elif kind in ("wrk_error", "status"):
            name = rest[0] if kind == "wrk_error" else rest[0].replace("_", " ")
            figures["errors"][name] = figures["errors"].get(name, 0) + int(rest[1])
    return figures


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN when there are no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def count_rows(database_url: str, table: str) -> int:
    connection = bare_app.connect(database_url)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed names
    finally:
        connection.close()


@contextlib.contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """Yield the URL of database qaf_bench (dropped first if a past run left it) and drop it afterwards."""
    import psycopg

    parts = urllib.parse.urlsplit(admin_url)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))

    def recreate(create: bool) -> None:
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
                if create:
                    connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        except psycopg.Error as error:
            where = f"{parts.hostname}:{parts.port or 5432}"  # not the URL: it may hold a password
            raise RuntimeError(f"PostgreSQL at {where}: {error} (see --postgres-url)") from error

    recreate(True)
    try:
        yield url
    finally:
        recreate(False)


@contextlib.contextmanager
def fresh_database(database: str, app: App, workdir: Path, postgres_url: str) -> Iterator[str]:
    if database == "sqlite":
        yield f"sqlite:///{workdir / (app.name.lower() + '.sqlite')}"
    else:
        with postgres_database(postgres_url) as url:
            yield url


def bench_one(app: App, database: str, args: argparse.Namespace, workdir: Path) -> Result:
    workdir.mkdir(parents=True)
    with fresh_database(database, app, workdir, args.postgres_url) as database_url:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BARE_DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_hex(32),
            # gunicorn.conf.py would make it production: Secure cookies, which wrk's plain http never sends back.
            "QAF_ENV": "development",
            # The load comes from one address as fast as it can: the limits stay on (their cost is
            # measured) but high enough not to refuse it, and the minimum fill time is off.
            "PUBLIC_LIMIT_PER_ADDRESS": "10000000 per hour",
            "PUBLIC_LIMIT_PER_LINK": "10000000 per hour",
            "PUBLIC_MIN_FILL_SECONDS": "0",
        }
        print(f"{app.name} on {database}: preparing the database", flush=True)
        app.prepare(database_url, env, workdir)
        with gunicorn(app, env, workdir / "gunicorn.log") as port:
            submit_once(port)
            before = count_rows(database_url, app.table)
            print(f"{app.name} on {database}: {args.clients} clients for {args.seconds} s on port {port}", flush=True)
            figures = run_wrk(port, args.seconds, args.clients, workdir)
        stored = count_rows(database_url, app.table) - before
    stats = figures["stats"]
    # The window: from the first GET sent to the deadline; submissions answered after it only count as stored.
    elapsed = figures["deadline"] - min(figures["first"], default=figures["deadline"])
    errors = {name: count for name, count in figures["errors"].items() if count and name != "status"}
    errors |= {name: stats[name] for name in ("no_token", "lost_get", "lost_post") if stats.get(name)}
    return Result(
        app=app.name,
        database=database,
        seconds=round(elapsed, 3),
        submitted=stats.get("submitted", 0),
        in_window=stats.get("in_window", 0),
        stored=stored,
        errors=sum(errors.values()),
        submissions_per_second=stats.get("in_window", 0) / elapsed if elapsed > 0 else 0.0,
        post_p50_ms=percentile(figures["post_ms"], 0.50),
        post_p99_ms=percentile(figures["post_ms"], 0.99),
        submission_p50_ms=percentile(figures["submission_ms"], 0.50),
        submission_p99_ms=percentile(figures["submission_ms"], 0.99),
        error_detail=errors,
    )


COLUMNS = (
    *("app", "database", "subs/s", "POST p50", "POST p99", "sub p50", "sub p99"),
    *("errors", "stored", "302s", "stored==successful"),
)


def _row(r: Result) -> tuple[str, ...]:
    figures = (r.post_p50_ms, r.post_p99_ms, r.submission_p50_ms, r.submission_p99_ms)
    return (
        r.app,
        r.database,
        f"{r.submissions_per_second:.1f}",
        *(f"{ms:.1f} ms" for ms in figures),
        str(r.errors),
        str(r.stored),
        str(r.submitted),
        "yes" if r.stored_matches else "NO",
    )


def print_table(results: list[Result]) -> None:
    rows = [COLUMNS, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.ljust(w) if i in (0, 1, len(row) - 1) else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    print("\n" + lines[0] + "\n" + "-" * len(lines[0]) + "\n" + "\n".join(lines[1:]))
    print("POST = the answers' POST alone; sub = GET form + POST answers, one whole submission; 302s = successful")
    for r in results:
        if r.error_detail:
            print(f"errors, {r.app} on {r.database}: {r.error_detail}")
    by_key = {(r.app, r.database): r for r in results}
    for database in dict.fromkeys(r.database for r in results):
        qaf, bare = by_key.get(("QAF", database)), by_key.get(("bare", database))
        if qaf is None or bare is None or not bare.submitted or not qaf.submitted:
            continue
        throughput = qaf.submissions_per_second / bare.submissions_per_second
        p50, p99 = qaf.post_p50_ms / bare.post_p50_ms, qaf.post_p99_ms / bare.post_p99_ms
        print(f"QAF/bare on {database}: submissions/s {throughput:.2f}, POST p50 {p50:.1f}x, POST p99 {p99:.1f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="how long each load runs (default 30)")
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql (default both)"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients, one connection each (16)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help=f"an existing database to connect to while creating and dropping {BENCH_DATABASE} "
        f"(default $BENCH_POSTGRES_URL or {DEFAULT_POSTGRES_URL})",
    )
    args = parser.parse_args()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - {"sqlite", "postgresql"}
    if unknown or not databases:
        parser.error(f"unknown database(s): {', '.join(sorted(unknown))}; use sqlite and/or postgresql")
    if args.seconds < 1 or args.clients < 1:
        parser.error("--seconds and --clients must be at least 1")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")

    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so every server started is stopped.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="qaf-bench-") as tmp:
            for database in databases:
                for app in APPS:
                    results.append(bench_one(app, database, args, Path(tmp) / f"{database}-{app.name.lower()}"))
    except RuntimeError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted: servers stopped, benchmark database dropped", file=sys.stderr)
        return 130
    print_table(results)

    RESULTS_DIR.mkdir(exist_ok=True)
    saved = RESULTS_DIR / f"submissions-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    settings = {"seconds": args.seconds, "clients": args.clients, "workers": WORKERS, "cpus": os.cpu_count()}
    saved.write_text(json.dumps({"settings": settings, "results": [asdict(r) for r in results]}, indent=2) + "\n")
    print(f"\nSaved to {saved.relative_to(PROJECT_ROOT)}")
    return 0 if all(r.stored_matches for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
