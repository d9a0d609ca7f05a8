"""A stand-in for GOV.UK Notify's API for tests, a real HTTP server in a thread (the real one is out of reach).

It answers the v2 endpoints Notify's Python client uses to send and to look up (POST
/v2/notifications/email and /sms, GET /v2/notifications/{id} and ?reference=), as Notify
documents them: each request must carry the client's JWT (HS256 with the secret part of the
API key, ``iss`` the service id, ``iat`` within 30 seconds), and errors come back in Notify's
shape, ``{"status_code": ..., "errors": [{"error": ..., "message": ...}]}``. Every request is
recorded; ``fail_next`` makes the next ones fail; ``set_status`` moves a message along
(created, sending, delivered, permanent-failure, temporary-failure).
"""

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from flask import Flask

SERVICE_ID = "6f1c3c1e-5a57-4b0e-9d3e-3a8c1d2f7b01"
SECRET = "0d9b1f5e-2c4a-4e8b-b7a6-5f3e9c1d2a40"
API_KEY = f"qaf_tests-{SERVICE_ID}-{SECRET}"
TEMPLATE_EMAIL = "a1b2c3d4-0000-4000-8000-00000000e0a1"
TEMPLATE_SMS = "a1b2c3d4-0000-4000-8000-000000005a15"
TEMPLATES = {"email": TEMPLATE_EMAIL, "sms": TEMPLATE_SMS}
_UK_MOBILE = re.compile(r"(?:\+44|0044|44|0)7\d{9}")

# Notify's own answers for each way a request can fail.
FAILURES = {
    "bad_phone_number": (400, "ValidationError", "phone_number Not a UK mobile number"),
    "bad_key": (403, "AuthError", "Invalid token: API key not found"),
    "rate_limit": (429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    "daily_limit": (429, "TooManyRequestsError", "Exceeded send limits (250000) for today"),
    "server_error": (500, "Exception", "Internal server error"),
}


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any]
    status: int


@dataclass
class StandIn:
    """What the stand-in was asked and holds; change it between requests from the test."""

    requests: list[Request] = field(default_factory=list)
    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""
    # Seconds each sending request takes before it is answered (a slower Notify, to stop a worker mid-run).
    delay: float = 0.0

    def fail_next(self, count: int, failure: str) -> None:
        """The next ``count`` sending requests fail as ``failure`` (a key of FAILURES) instead of being taken."""
        assert failure in FAILURES
        with self.lock:
            self.failures += [failure] * count

    def set_status(self, notification_id: str, status: str) -> None:
        with self.lock:
            self.notifications[notification_id]["status"] = status

    def sent(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The messages taken, oldest first (their request bodies plus the id Notify gave)."""
        with self.lock:
            return [
                notification
                for notification in self.notifications.values()
                if channel is None or notification["type"] == channel
            ]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  # the base class's name
        pass

    def _answer(self, status: int, body: dict[str, Any], request_body: dict[str, Any]) -> None:
        with self.server.state.lock:
            self.server.state.requests.append(Request(self.command, self.path, request_body, status))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: int, error: str, message: str, request_body: dict[str, Any]) -> None:
        self._answer(status, {"status_code": status, "errors": [{"error": error, "message": message}]}, request_body)

    def _authorised(self, request_body: dict[str, Any]) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            self._error(401, "AuthError", "Unauthorized: authentication token must be provided", request_body)
            return False
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.InvalidTokenError:
            self._error(403, "AuthError", "Invalid token: signature, api token not found", request_body)
            return False
        if claims.get("iss") != SERVICE_ID:
            self._error(403, "AuthError", "Invalid token: service not found", request_body)
            return False
        if not isinstance(claims.get("iat"), int) or abs(time.time() - claims["iat"]) > 30:
            clock = "Error: Your system clock must be accurate to within 30 seconds"
            self._error(403, "AuthError", clock, request_body)
            return False
        return True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if not self._authorised(body):
            return
        channel = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}.get(self.path)
        if channel is None:
            self._error(404, "BadRequestError", "Resource not found", body)
            return
        if self.server.state.delay:
            time.sleep(self.server.state.delay)
        with self.server.state.lock:
            failure = self.server.state.failures.pop(0) if self.server.state.failures else None
        if failure is not None:
            self._error(*FAILURES[failure], body)
            return
        if body.get("template_id") != TEMPLATES[channel]:
            self._error(400, "BadRequestError", "Template not found", body)
            return
        recipient = body.get("phone_number" if channel == "sms" else "email_address", "")
        if channel == "sms" and not _UK_MOBILE.fullmatch(re.sub(r"[\s\-()]", "", recipient)):
            self._error(*FAILURES["bad_phone_number"], body)
            return
        notification_id = str(uuid.uuid4())
        personalisation = body.get("personalisation") or {}
        content = {"body": personalisation.get("body", "")}
        if channel == "email":
            content |= {"subject": personalisation.get("subject", ""), "from_email": "qaf@notifications.service.gov.uk"}
        else:
            content["from_number"] = "GOVUK"
        with self.server.state.lock:
            self.server.state.notifications[notification_id] = body | {
                "id": notification_id,
                "type": channel,
                "status": "created",
                "content": content,
            }
        self._answer(
            201,
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": content,
                "uri": f"{self.server.state.base_url}/v2/notifications/{notification_id}",
                "template": {"id": body["template_id"], "version": 1, "uri": ""},
            },
            body,
        )

    def do_GET(self) -> None:
        if not self._authorised({}):
            return
        url = urlparse(self.path)
        with self.server.state.lock:
            notifications = list(self.server.state.notifications.values())
        if url.path == "/v2/notifications":
            reference = parse_qs(url.query).get("reference", [None])[0]
            found = [_described(item) for item in notifications if reference in (None, item.get("reference"))]
            self._answer(200, {"notifications": found[::-1], "links": {"current": self.path}}, {})
            return
        found_one = [item for item in notifications if url.path == f"/v2/notifications/{item['id']}"]
        if not found_one:
            self._error(404, "NoResultFound", "No result found", {})
            return
        self._answer(200, _described(found_one[0]), {})


def _described(notification: dict[str, Any]) -> dict[str, Any]:
    """A notification as Notify's GET answers it."""
    return {
        "id": notification["id"],
        "reference": notification.get("reference"),
        "type": notification["type"],
        "status": notification["status"],
        "email_address": notification.get("email_address"),
        "phone_number": notification.get("phone_number"),
        "body": notification["content"]["body"],
        "subject": notification["content"].get("subject"),
        "template": {"id": notification["template_id"], "version": 1, "uri": ""},
        "created_at": "2026-12-01T10:00:00.000000Z",
    }


class _Server(ThreadingHTTPServer):
    state: StandIn


@contextmanager
def notify_stand_in() -> Iterator[StandIn]:
    """A Notify on a free local port for the length of the block; ``.base_url`` is where it answers."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = StandIn(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def use_notify(app: Flask, stand_in: StandIn, *, api_key: str = API_KEY, sms: bool = True) -> None:
    """Send the app's email (and text messages, with ``sms``) through the stand-in."""
    app.config |= {
        "NOTIFY_API_KEY": api_key,
        "NOTIFY_BASE_URL": stand_in.base_url,
        "NOTIFY_TEMPLATE_EMAIL": TEMPLATE_EMAIL,
        "NOTIFY_TEMPLATE_SMS": TEMPLATE_SMS if sms else "",
        "NOTIFY_TIMEOUT_SECONDS": 2,
    }
