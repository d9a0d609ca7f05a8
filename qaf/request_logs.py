"""Logs for a deployment: one JSON object a line on stdout, each with the request's id.

Every request gets an id (the proxy's ``X-Request-Id`` when QAF trusts a proxy and the id looks
like one, otherwise a new one), sent back in ``X-Request-Id`` and put on every line logged while it
runs. Each request is logged once, by its route's pattern (``/i/<token>``), never its path: an
invitation link's token, or a reset link's, must not reach the logs. For the same reason
gunicorn.conf.py turns gunicorn's own access log off.
"""

import logging
import re
import sys
import time
import uuid
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
log = logging.getLogger("qaf.requests")


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "") if has_request_context() else ""
        return True


def init_request_logs(app: Flask) -> None:
    """Give each request an id; with LOG_FORMAT=json, log every line as JSON and each request once."""

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-Id", "") if app.config["TRUSTED_PROXIES"] else ""
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if app.config["LOG_FORMAT"] == "json":
            took = time.perf_counter() - g.get("request_started", time.perf_counter())
            route = request.url_rule.rule if request.url_rule is not None else "(no route)"
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(took * 1000, 1),
                },
            )
        return response

    if app.config["LOG_FORMAT"] == "json":
        log.setLevel(logging.INFO)
        if not app.testing:
            use_json_logs()


def use_json_logs() -> None:
    """Every logger's lines to stdout as JSON objects, in place of any other handler."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(json_handler(sys.stdout))
    root.setLevel(logging.INFO)


def json_handler(stream: TextIO) -> logging.Handler:
    """A handler writing each line to ``stream`` as a JSON object: time, level, logger, message, request id, extras."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_RequestId())
    return handler
