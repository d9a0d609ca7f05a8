"""What a deployment must have before QAF serves anyone, checked as the app is made.

``QAF_ENV=production`` (gunicorn.conf.py sets it; a worker's service sets it too) turns the
development conveniences off: a ``SECRET_KEY`` generated into instance/ differs on every machine
(sessions break behind a load balancer) and SQLite cannot be shared by several servers. With
``QAF_INSTANCES`` above 1, the sign-in throttle and the job queue must be in Redis, or each server
would count guesses and keep jobs of its own.
"""

from collections.abc import Mapping
from typing import Any


class DeploymentError(Exception):
    """A setting a deployment needs is missing or wrong: one line saying which and what to do."""


def check_deployment(config: Mapping[str, Any], environ: Mapping[str, str]) -> None:
    """Raise ``DeploymentError`` for the first setting a production deployment lacks; nothing in development."""
    if config["QAF_ENV"] != "production" or config.get("TESTING"):
        return
    if not environ.get("SECRET_KEY"):
        raise DeploymentError(
            "SECRET_KEY is not set: set it to the same long random value on every server (e.g. `openssl rand -hex 32`)"
        )
    if len(environ["SECRET_KEY"]) < 32:
        raise DeploymentError("SECRET_KEY is too short: use at least 32 random characters (`openssl rand -hex 32`)")
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        raise DeploymentError(
            "DATABASE_URL must be a PostgreSQL database in production (postgresql://user:password@host:5432/qaf)"
        )
    if config["QAF_INSTANCES"] > 1:
        for name, what in (("RATELIMIT_STORAGE_URI", "sign-in throttling"), ("JOBS_URL", "the job queue")):
            if not str(config[name]).startswith(("redis://", "rediss://")):
                raise DeploymentError(
                    f"{name} must be a Redis URL (redis://host:6379/0) when QAF_INSTANCES is more than 1:"
                    f" {what} is shared by every server"
                )
