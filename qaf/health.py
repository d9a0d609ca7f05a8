"""Health checks for load balancers: ``/healthz`` (the process answers) and ``/readyz`` (it can work).

``/readyz`` asks the database for ``SELECT 1`` and, where they are configured, Redis (the job queue,
sign-in throttling) for a PING, each with a short timeout, and says which failed with a 503. Neither
page touches the session or sets a cookie, and neither is throttled.
"""

from typing import Any

import redis
from flask import Blueprint, current_app
from sqlalchemy import text

from qaf.extensions import db
from qaf.policy import Action, requires

bp = Blueprint("health", __name__)

REDIS_TIMEOUT_SECONDS = 1.0


@bp.get("/healthz")
@requires(Action.READ_PUBLIC_INFORMATION)
def healthz() -> tuple[dict[str, str], int]:
    return {"status": "ok"}, 200


@bp.get("/readyz")
@requires(Action.READ_PUBLIC_INFORMATION)
def readyz() -> tuple[dict[str, Any], int]:
    checks = {"database": _database()}
    for name, url in _redis_urls().items():
        checks[name] = _redis(url)
    ready = all(result == "ok" for result in checks.values())
    return {"status": "ok" if ready else "unavailable", "checks": checks}, 200 if ready else 503


def _redis_urls() -> dict[str, str]:
    config = current_app.config
    named = {"job_queue": config["JOBS_URL"], "sign_in_throttle": config["RATELIMIT_STORAGE_URI"]}
    return {name: url for name, url in named.items() if str(url).startswith(("redis://", "rediss://"))}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means not ready; its kind is what the operator needs
        current_app.logger.warning("readyz: the database did not answer: %s", type(error).__name__)
        return "unreachable"
    finally:
        db.session.rollback()
    return "ok"


def _redis(url: str) -> str:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except redis.RedisError as error:
        current_app.logger.warning("readyz: Redis did not answer: %s", type(error).__name__)
        return "unreachable"
    finally:
        client.close()
    return "ok"
