"""Benchmark the reports dashboard on a demo-sized year, against another commit's code (main by default).

One SQLite database is made with this tree's code: a year of responses over every public form
(ending today, with equality answers, partner rounds and staff waves), invitations for the
response rates, audits and actions. Then, each in a fresh process on its own copy of the
database, the baseline's code and ours alternate ``--repeat`` times: signed in as a QA
administrator, the dashboard for this quarter cold, warm, and after one new response.

Run from the project root: ``.venv/bin/python bench/dashboard.py [--baseline main] [--profile]``.
See bench/README.md.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
# The code measured: this tree, or (in a child process) the baseline's tree named by QAF_TREE.
TREE = Path(os.environ.get("QAF_TREE", PROJECT_ROOT))
sys.path.insert(0, str(TREE))

from answers import PASSWORD, STAGES, add_action, add_county, answers_for, make_app, response_row  # noqa: E402 (bench/ is on the path as the script's folder)

DISTRICTS = ("Ashford", "Canterbury", "Dover", "Maidstone", "Swale", "Thanet")
FORM_WEIGHTS = {"family": 35, "child": 10, "closure": 10, "partner": 10, "staff-survey": 10}
INVITED_FORMS = ("family", "child", "closure")


# --- A demo-sized year ------------------------------------------------------------------------


def populate(database_url: str, responses: int, invitations: int, audits: int, seed: int) -> dict[str, int]:
    from sqlalchemy import insert

    from qaf.extensions import db
    from qaf.forms_registry import all_forms
    from qaf.models import Audit, FeedbackRound, Invitation, Response
    from qaf.models.common import utc_now
    from qaf.responses import ensure_form_version, register_form_versions

    rng = random.Random(seed)
    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        forms = all_forms()
        register_form_versions(forms)
        versions = {key: ensure_form_version(spec) for key, spec in forms.items()}
        county = add_county(DISTRICTS)
        team_ids = county.team_ids

        end = utc_now()
        start = end - timedelta(days=365)
        seconds = int((end - start).total_seconds())
        # A round or wave a quarter for every form collected in rounds.
        rounds: dict[str, list[FeedbackRound]] = {}
        for key, spec in forms.items():
            if not spec.rounds:
                continue
            for number in range(5):
                opens = (start + timedelta(days=91 * number)).date()
                made = FeedbackRound(
                    form_key=key,
                    name=f"{spec.title} {number + 1}",
                    opens_on=opens,
                    closes_on=opens + timedelta(days=60),
                    staff_count=150 if spec.audience == "staff" else None,
                )
                db.session.add(made)
                rounds.setdefault(key, []).append(made)
        db.session.flush()

        public = [key for key, spec in forms.items() if spec.audience != "auditor"]
        weights = [FORM_WEIGHTS.get(key, 3) for key in public]
        rows = []
        for _ in range(responses):
            key = rng.choices(public, weights)[0]
            spec = forms[key]
            submitted = start + timedelta(seconds=rng.randrange(seconds))
            open_round = next(
                (r.id for r in rounds.get(key, []) if r.opens_on <= submitted.date() <= r.closes_on), None
            )
            row = response_row(key, spec, versions[key], submitted, county, rng)
            rows.append({**row, "round_id": open_round if rng.random() < 0.8 else None})
        db.session.execute(insert(Response), rows)

        invited = []
        for number in range(invitations):
            created = start + timedelta(seconds=rng.randrange(seconds))
            invited.append(
                {
                    "token_hash": uuid.UUID(int=rng.getrandbits(128)).hex + f"{number:032x}",
                    "form_key": rng.choice(INVITED_FORMS),
                    "team_id": rng.choice(team_ids),
                    "stage": rng.choice(STAGES),
                    "case_reference": f"EH-{number:05d}",
                    "created_at": created,
                    "expires_at": created + timedelta(days=28),
                    "answered": rng.random() < 0.4,
                    "cancelled_at": created + timedelta(days=1) if rng.random() < 0.05 else None,
                }
            )
        db.session.execute(insert(Invitation), invited)

        templates = [key for key, spec in forms.items() if spec.audience == "auditor"]
        actions = 0
        for number in range(audits):
            key = rng.choice(templates)
            spec = forms[key]
            answers = answers_for(spec, rng)
            submitted = start + timedelta(seconds=rng.randrange(seconds))
            record = Audit(
                form_key=key,
                form_version_id=versions[key],
                case_reference=f"AU-{number:05d}",
                team_id=rng.choice(team_ids),
                practitioner_id=rng.choice(county.workers),
                auditor_id=rng.choice(county.auditors),
                status="submitted",
                answers=answers,
                grade=answers.get(spec.grade_question) if spec.grade_question else None,
                scaling=int(answers[spec.scaling_question]) if spec.scaling_question in answers else None,
                created_at=submitted,
                updated_at=submitted,
                submitted_at=submitted,
            )
            db.session.add(record)
            if number % 2 == 0:
                db.session.flush()
                add_action(record, county, submitted, rng)
                actions += 1
        db.session.commit()
        # Every connection closed: SQLite then moves its write-ahead log into the file, which is copied next.
        db.engine.dispose()
    return {
        "responses": responses,
        "invitations": invitations,
        "audits": audits,
        "actions": actions,
        "teams": len(team_ids),
        "rounds": sum(len(found) for found in rounds.values()),
    }


# --- The measured requests, in a fresh process ------------------------------------------------


def child_dashboard(database_url: str, requests: int, profile: bool) -> dict[str, Any]:
    from sqlalchemy import event

    from qaf.extensions import db
    from qaf.forms_registry import all_forms
    from qaf.responses import store_response

    app = make_app(database_url, WTF_CSRF_ENABLED=False)
    statements = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *_args: statements.__setitem__(0, statements[0] + 1))
    client = app.test_client()
    response = client.post("/sign-in", data={"email": "qa@bench.test", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    # Warm the process (templates compiled, form versions read) on a quarter with nothing in it.
    assert client.get("/reports?period=2020-21+Q1").status_code == 200
    cpu_seconds: list[float] = []  # the process's CPU time (every thread) for each request, in order
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()

    def timed(label: str) -> tuple[float, int]:
        before = statements[0]
        if profiler is not None and label in ("cold", "after new response"):
            profiler.start()
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get("/reports")  # this quarter, against the one before
        seconds = time.perf_counter() - started
        cpu_seconds.append(time.process_time() - cpu)
        if profiler is not None and profiler.is_running:
            profiler.stop()
            print(f"--- {label} ---", file=sys.stderr)
            print(profiler.output_text(unicode=True, color=False), file=sys.stderr)
            profiler.reset()  # type: ignore[no-untyped-call]
        assert response.status_code == 200, response.status_code
        return seconds, statements[0] - before

    cold, cold_statements = timed("cold")
    warm = [timed("warm")[0] for _ in range(requests)]
    after_new, after_statements = [], 0
    for number in range(requests):
        with app.app_context():
            spec = all_forms()["family"]
            store_response(spec, answers_for(spec, random.Random(number)), team_id=1, stage="closure")
        seconds, after_statements = timed("after new response" if number == 0 else "")
        after_new.append(seconds)
    return {
        "cold": cold,
        "warm": statistics.median(warm),
        "after_new_response": statistics.median(after_new),
        "cold_cpu": cpu_seconds[0],
        "warm_cpu": statistics.median(cpu_seconds[1 : 1 + requests]),
        "after_new_response_cpu": statistics.median(cpu_seconds[1 + requests :]),
        "cold_statements": cold_statements,
        "after_new_statements": after_statements,
    }


def run_child(tree: Path, database: Path, requests: int, profile: bool) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "_dashboard", f"sqlite:///{database}", str(requests)]
    env = {**os.environ, "QAF_TREE": str(tree)}
    if profile:
        command.append("profile")
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"dashboard in {tree} failed:\n{result.stderr[-4000:]}")
    if profile:
        print(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- The run -----------------------------------------------------------------------------------


def median_of(runs: list[dict[str, Any]], field: str) -> float:
    return float(statistics.median(run[field] for run in runs))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_dashboard":
        print(json.dumps(child_dashboard(sys.argv[2], int(sys.argv[3]), len(sys.argv) > 4)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="main", help="the commit to compare with (git archive of it)")
    parser.add_argument("--responses", type=int, default=6_000)
    parser.add_argument("--invitations", type=int, default=3_000)
    parser.add_argument("--audits", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of baseline and ours, alternating")
    parser.add_argument("--requests", type=int, default=5, help="warm requests, and requests after a new response")
    parser.add_argument("--profile", action="store_true", help="pyinstrument on ours: cold and after a new response")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qaf-bench-dashboard-") as folder:
        workdir = Path(folder)
        baseline_tree = workdir / "baseline"
        baseline_tree.mkdir()
        archive = subprocess.run(["git", "archive", args.baseline], cwd=PROJECT_ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(baseline_tree)], input=archive.stdout, check=True)
        source = workdir / "bench.sqlite"
        started = time.perf_counter()
        made = populate(f"sqlite:///{source}", args.responses, args.invitations, args.audits, args.seed)
        print(f"made {made} in {time.perf_counter() - started:.0f} s", flush=True)
        runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "ours": []}
        for number in range(args.repeat):
            for name, tree in (("baseline", baseline_tree), ("ours", PROJECT_ROOT)):
                copy = workdir / f"{name}-{number}.sqlite"
                shutil.copyfile(source, copy)
                runs[name].append(run_child(tree, copy, args.requests, args.profile and name == "ours"))
                run = runs[name][-1]
                print(
                    f"round {number + 1} {name:<8}: cold {run['cold']:.3f} s, CPU {run['cold_cpu']:.3f} s "
                    f"({run['cold_statements']} statements), "
                    f"warm {run['warm']:.3f} s, after a new response {run['after_new_response']:.3f} s "
                    f"({run['after_new_statements']} statements)",
                    flush=True,
                )
    print()
    fields = ("cold", "warm", "after_new_response", "cold_cpu", "warm_cpu", "after_new_response_cpu")
    headings = ("cold s", "warm s", "+1 resp s", "cold CPU", "warm CPU", "+1 CPU")
    print(f"{'code (medians)':<24}" + "".join(f"{heading:>10}" for heading in headings))
    for name, label in (("baseline", f"baseline ({args.baseline})"), ("ours", "ours")):
        print(f"{label:<24}" + "".join(f"{median_of(runs[name], field):>10.3f}" for field in fields))
    ratios = [median_of(runs["baseline"], field) / median_of(runs["ours"], field) for field in fields]
    print(f"{'baseline / ours':<24}" + "".join(f"{ratio:>10.2f}" for ratio in ratios))
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"dashboard-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"made": made, "baseline": args.baseline, "runs": runs}, indent=2, default=str))
    print(f"Saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
