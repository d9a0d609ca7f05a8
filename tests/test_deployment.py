"""A deployment's gates: production refuses to start without its settings, health checks for load
balancers, a request id on every response and JSON log line, and init-db run by several servers at once."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from qaf.config import load_config
from qaf.deployment import DeploymentError, check_deployment
from qaf.request_logs import json_handler
from tests.conftest import empty_database, make_app

ROOT = Path(__file__).parents[1]
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/qaf"
KEY = "k" * 64


@pytest.fixture
def new_app(tmp_path):
    """Apps made by the test, each closed at its end (a PostgreSQL connection left open warns in a later test)."""
    made = []

    def make(**config: object):  # type: ignore[no-untyped-def]
        made.append(make_app(tmp_path, **config))
        return made[-1]

    yield make
    for app in made:
        empty_database(app)


def production(**settings: object) -> dict[str, object]:
    config: dict[str, object] = {
        "QAF_ENV": "production",
        "QAF_INSTANCES": 1,
        "SQLALCHEMY_DATABASE_URI": POSTGRES,
        "RATELIMIT_STORAGE_URI": "memory://",
        "JOBS_URL": "sqlite:///instance/jobs.sqlite",
    }
    return config | settings


def refusal(config: dict[str, object], environ: dict[str, str]) -> str:
    with pytest.raises(DeploymentError) as refused:
        check_deployment(config, environ)
    return str(refused.value)


def test_production_needs_its_own_secret_key_and_postgresql():
    assert refusal(production(), {}).startswith("SECRET_KEY is not set")
    assert refusal(production(), {"SECRET_KEY": "short"}).startswith("SECRET_KEY is too short")
    sqlite = production(SQLALCHEMY_DATABASE_URI="sqlite:////srv/qaf/qaf.sqlite")
    assert refusal(sqlite, {"SECRET_KEY": KEY}).startswith("DATABASE_URL must be a PostgreSQL database")
    check_deployment(production(), {"SECRET_KEY": KEY})


def test_several_servers_need_redis_for_the_throttle_and_the_queue():
    several = production(QAF_INSTANCES=2)
    assert refusal(several, {"SECRET_KEY": KEY}).startswith("RATELIMIT_STORAGE_URI must be a Redis URL")
    shared_throttle = production(QAF_INSTANCES=2, RATELIMIT_STORAGE_URI="redis://redis:6379/0")
    assert refusal(shared_throttle, {"SECRET_KEY": KEY}).startswith("JOBS_URL must be a Redis URL")
    check_deployment(
        production(QAF_INSTANCES=2, RATELIMIT_STORAGE_URI="redis://r/0", JOBS_URL="redis://r/1"), {"SECRET_KEY": KEY}
    )


def test_development_needs_nothing():
    check_deployment(production(QAF_ENV="development", SQLALCHEMY_DATABASE_URI="sqlite:///x"), {})


def test_production_makes_no_key_of_its_own_and_its_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("QAF_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    config = load_config(tmp_path)
    assert config["SECRET_KEY"] == ""
    assert not (tmp_path / "secret_key").exists()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["LOG_FORMAT"] == "json"


def test_the_command_line_refuses_with_one_line_and_a_non_zero_exit(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DATABASE_URL"}} | {
        "QAF_ENV": "production"
    }
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "qaf", "init-db"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("QAF cannot start: SECRET_KEY is not set: set it to the same long random value")


def test_healthz_answers_and_readyz_checks_the_database(client_request):
    client = client_request.client
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ok", "checks": {"database": "ok"}}
    assert "Set-Cookie" not in ready.headers


def test_readyz_says_which_redis_did_not_answer(new_app):
    app = new_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"] == {"database": "ok", "sign_in_throttle": "unreachable"}


def test_readyz_checks_the_local_redis_when_the_queue_is_there(new_app):
    app = new_app(JOBS_URL="redis://127.0.0.1:6379/0", JOBS_NAME="qaf-readyz-test")
    ready = app.test_client().get("/readyz")
    assert ready.get_json()["checks"] == {"database": "ok", "job_queue": "ok"}


def test_every_response_has_a_request_id_and_only_a_trusted_proxy_can_give_it(new_app):
    untrusted = new_app()
    response = untrusted.test_client().get("/healthz", headers={"X-Request-Id": "from-the-internet-1234"})
    assert len(response.headers["X-Request-Id"]) == 32
    assert response.headers["X-Request-Id"] != "from-the-internet-1234"
    trusted = new_app(TRUSTED_PROXIES=1)
    response = trusted.test_client().get("/healthz", headers={"X-Request-Id": "proxy-given-id-1234"})
    assert response.headers["X-Request-Id"] == "proxy-given-id-1234"


def test_json_logs_name_each_request_by_its_route_never_a_link_token(new_app):
    app = new_app(LOG_FORMAT="json")
    stream = io.StringIO()
    handler = json_handler(stream)
    logging.getLogger().addHandler(handler)
    try:
        response = app.test_client().get("/i/secret-token-of-a-family-AAAAAAAAAAAAAAAAAAAAAAAAAA")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [request] = [line for line in lines if line["message"] == "request"]
    assert request["route"] == "/i/<token>"
    assert request["status"] == response.status_code
    assert request["request_id"] == response.headers["X-Request-Id"]
    assert {"time", "level", "logger", "method", "duration_ms"} <= set(request)
    assert "secret-token" not in stream.getvalue()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="the advisory lock is PostgreSQL's")
def test_init_db_run_by_two_servers_at_once_migrates_once(tmp_path):
    server = os.environ["TEST_DATABASE_URL"]
    name = f"qaf_init_db_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = server.rsplit("/", 1)[0] + "/" + name
    environment = os.environ | {"DATABASE_URL": url, "SECRET_KEY": KEY, "JOBS_URL": f"sqlite:///{tmp_path}/j.sqlite"}
    command = [sys.executable, "-m", "flask", "--app", "app", "qaf", "init-db"]
    try:
        both = [
            subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = [(process.wait(timeout=180), *process.communicate()) for process in both]
        assert [code for code, _out, _err in results] == [0, 0], results
        assert all("Database ready" in out for _code, out, _err in results)
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
