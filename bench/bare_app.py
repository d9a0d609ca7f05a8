"""The baseline for bench/submissions.py: the family form's submission done as plainly as Flask allows.

One GET serves a minimal HTML form with a signed token (the token's key in a cookie, like Flask-WTF's
session-bound CSRF token); one POST checks the token and the required answers, then inserts the answers
as JSON with plain SQL, one transaction each. No ORM, no templates, no form library.

Serve it with ``gunicorn --pythonpath bench bare_app:app`` and ``BARE_DATABASE_URL`` set to
``sqlite:////path/to/file.sqlite`` or ``postgresql://user@host:port/db``; create the table first with
``init_db(url)``.
"""

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, abort, redirect, request

CHOICES = {
    "who_is_answering": ("parent_carer", "child_under_11", "young_person_11_15", "young_person_16_plus", "other"),
    "help_helped": ("yes_a_lot", "yes_a_little", "no_change", "worse", "not_sure"),
    **{
        question: ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree")
        for question in ("listened_to", "involved_in_plan", "treated_with_respect", "help_at_right_time")
    },
    **{question: tuple(str(number) for number in range(11)) for question in ("things_at_start", "things_now")},
}
TEXTS = ("what_helped", "could_be_better", "going_well", "would_like_to_change")
TEXT_MAX_LENGTH = 1200

SCHEMA = """
CREATE TABLE IF NOT EXISTS bare_response (
    id {id_type},
    team VARCHAR(60),
    stage VARCHAR(20),
    respondent_type VARCHAR(40),
    answers TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL
)
"""
INSERT = (
    "INSERT INTO bare_response (team, stage, respondent_type, answers, submitted_at) VALUES ({p}, {p}, {p}, {p}, {p})"
)

app = Flask(__name__)
_connection: Any = None


def _secret() -> bytes:
    return os.environ.get("SECRET_KEY", "bare-app-benchmark-only").encode()


def _sign(key: str) -> str:
    return hmac.new(_secret(), key.encode(), hashlib.sha256).hexdigest()


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:///")


def connect(url: str) -> Any:
    """A DB-API connection in autocommit mode: SQLite in WAL with QAF's pragmas, or psycopg."""
    if _is_sqlite(url):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=5)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA busy_timeout=5000")
        return connection
    import psycopg

    return psycopg.connect(url, autocommit=True)


def init_db(url: str) -> None:
    """Create the one table the bare app writes to."""
    connection = connect(url)
    try:
        id_type = "INTEGER PRIMARY KEY" if _is_sqlite(url) else "SERIAL PRIMARY KEY"
        connection.execute(SCHEMA.format(id_type=id_type))
    finally:
        connection.close()


def _insert(row: tuple[Any, ...]) -> None:
    global _connection
    url = os.environ["BARE_DATABASE_URL"]
    if _connection is None:  # one connection per worker process, opened after the fork
        _connection = connect(url)
    if _is_sqlite(url):
        # BEGIN IMMEDIATE, as QAF does: take the write lock at once rather than fail on upgrade.
        *values, submitted_at = row
        _connection.execute("BEGIN IMMEDIATE")
        try:
            _connection.execute(INSERT.format(p="?"), (*values, submitted_at.isoformat(sep=" ")))
        except BaseException:
            _connection.execute("ROLLBACK")
            raise
        _connection.execute("COMMIT")
    else:
        _connection.execute(INSERT.format(p="%s"), row)


def _radios(name: str, values: tuple[str, ...]) -> str:
    return "".join(f'<label><input type="radio" name="{name}" value="{value}"> {value}</label>' for value in values)


FORM_FIELDS = "".join(
    [f"<fieldset><legend>{name}</legend>{_radios(name, values)}</fieldset>" for name, values in CHOICES.items()]
    + [f'<label>{name}<textarea name="{name}"></textarea></label>' for name in TEXTS]
)


@app.get("/feedback/family")
def form() -> Response:
    key = secrets.token_urlsafe(32)
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Feedback</title></head><body>'
        '<form method="post" novalidate>'
        f'<input type="hidden" name="csrf_token" value="{_sign(key)}">{FORM_FIELDS}'
        "<button>Send</button></form></body></html>"
    )
    response = Response(page, mimetype="text/html")
    response.set_cookie("session", key, httponly=True, samesite="Lax")
    return response


@app.post("/feedback/family")
def submit() -> Response:
    key = request.cookies.get("session", "")
    if not key or not hmac.compare_digest(_sign(key), request.form.get("csrf_token", "")):
        abort(400)
    answers: dict[str, Any] = {}
    for name, values in CHOICES.items():
        value = request.form.get(name, "")
        if value not in values:
            abort(400)
        answers[name] = int(value) if name.startswith("things_") else value
    for name in TEXTS:
        text = request.form.get(name, "").replace("\x00", "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            abort(400)
        if text:
            answers[name] = text
    submitted_at = datetime.now(UTC).replace(tzinfo=None)
    row = (
        request.args.get("team"),
        request.args.get("stage"),
        answers["who_is_answering"],
        json.dumps(answers),
        submitted_at,
    )
    _insert(row)
    return redirect("/feedback/family/thank-you")  # type: ignore[return-value]


@app.get("/")
def index() -> str:
    return "ok"
