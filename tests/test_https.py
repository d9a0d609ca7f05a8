"""Over HTTPS, directly or behind a TLS-terminating proxy, families' answers and staff sign-in are accepted.

The requests are made the way Chromium makes them: an ``Origin`` and ``Sec-Fetch-Site`` on
every form post, and no ``Referer`` (a Referrer-Policy of ``no-referrer``, some privacy
settings and some proxies all leave it out). The site runs on a real server with CSRF on.
"""

import http.client
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from qaf.auth.passwords import hash_password
from qaf.extensions import db
from qaf.models import Response, Team, User
from tests.conftest import PASSWORD, add_teams, empty_database, make_app
from tests.https import Certificates, deployed, serve, tls_proxy
from tests.public.test_feedback_form import VALID_FAMILY


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


@dataclass
class Browserlike:
    """Requests with cookies, an Origin and Sec-Fetch-Site on posts, and never a Referer."""

    base_url: str
    tls: ssl.SSLContext | None
    cookies: dict[str, str] = field(default_factory=dict)

    def _connection(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.base_url)
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port, context=self.tls, timeout=30)
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def request(self, method: str, path: str, data: dict[str, Any] | None = None, **headers: str) -> Reply:
        send = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())} | headers
        body = None
        if data is not None:
            body = urlencode(data)
            send["Content-Type"] = "application/x-www-form-urlencoded"
        connection = self._connection()
        try:
            connection.request(method, path, body=body, headers=send)
            reply = connection.getresponse()
            result = Reply(reply.status, reply.headers, reply.read().decode())
        finally:
            connection.close()
        for header in result.set_cookies():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return result

    def get(self, path: str) -> Reply:
        return self.request("GET", path, **{"Sec-Fetch-Site": "none"})

    def post_form(self, path: str, data: dict[str, Any], origin: str | None = None, fetch_site: str = "same-origin"):
        """Post ``data`` with the CSRF token of the page at ``path``, as the page's own form would."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).body)
        assert token, "the page has no CSRF token"
        headers = {"Origin": origin or self.base_url, "Sec-Fetch-Site": fetch_site}
        return self.request("POST", path, data | {"csrf_token": token.group(1)}, **headers)


@dataclass(frozen=True)
class Deployment:
    app: Flask
    url: str
    tls: ssl.SSLContext | None

    def browser(self) -> Browserlike:
        return Browserlike(self.url, self.tls)

    def stored(self) -> int:
        with self.app.app_context():
            return db.session.scalar(select(func.count()).select_from(Response))


@pytest.fixture(scope="module")
def certificates() -> Certificates:
    return Certificates()


def _site(tmp_path: Path, **config: Any) -> Flask:
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, **config)
    add_teams(app)
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.slug == "ashford-ehu"))
        worker = User(email="worker@example.gov.uk", name="Priya Worker", role="practitioner", team=team)
        worker.password_hash = hash_password(PASSWORD)
        db.session.add(worker)
        db.session.commit()
    return app


@pytest.fixture(params=["served over TLS", "behind a TLS-terminating proxy"])
def https_site(request, tmp_path: Path, certificates: Certificates) -> Iterator[Deployment]:
    behind_proxy = request.param == "behind a TLS-terminating proxy"
    app = _site(tmp_path, TRUSTED_PROXIES=1 if behind_proxy else 0)
    with deployed(app, certificates, behind_proxy=behind_proxy) as url:
        yield Deployment(app, url, certificates.client_context())
    empty_database(app)


@pytest.fixture
def http_site(tmp_path: Path) -> Iterator[Deployment]:
    app = _site(tmp_path)
    with serve(app) as url:
        yield Deployment(app, url, None)
    empty_database(app)


def test_a_family_can_send_feedback_over_https_without_a_referer(https_site):
    reply = https_site.browser().post_form("/feedback/family", VALID_FAMILY)
    assert reply.status == 302, reply.body[:2000]
    assert reply.headers["Location"] == "/feedback/family/thank-you"
    assert https_site.stored() == 1


def test_staff_can_sign_in_over_https(https_site):
    browser = https_site.browser()
    reply = browser.post_form("/sign-in", {"email": "worker@example.gov.uk", "password": PASSWORD})
    assert reply.status == 302, reply.body[:2000]
    assert browser.get("/staff").status == 200


def test_over_https_the_session_cookie_is_secure_host_only_and_hsts_is_sent(https_site):
    reply = https_site.browser().get("/feedback/family")
    [cookie] = reply.set_cookies()
    assert cookie.startswith("__Host-qaf-session=")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "Domain" not in cookie
    assert "Path=/" in cookie
    assert reply.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert reply.headers["Referrer-Policy"] == "same-origin"


def test_over_plain_http_the_cookie_is_not_marked_secure_and_no_hsts_is_sent(http_site):
    reply = http_site.browser().get("/feedback/family")
    [cookie] = reply.set_cookies()
    assert cookie.startswith("qaf-session=")
    assert "Secure" not in cookie
    assert "Strict-Transport-Security" not in reply.headers


@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [
        ("https://attacker.example", "cross-site"),
        ("https://attacker.example", "same-origin"),
        (None, "cross-site"),
        (None, "same-site"),
    ],
)
def test_a_post_another_site_makes_stores_nothing_even_with_a_token(https_site, origin, fetch_site):
    browser = https_site.browser()
    reply = browser.post_form("/feedback/family", VALID_FAMILY, origin=origin or https_site.url, fetch_site=fetch_site)
    assert reply.status == 400
    assert https_site.stored() == 0


def test_a_post_with_a_null_origin_is_decided_by_its_token(https_site):
    browser = https_site.browser()
    assert browser.post_form("/feedback/family", VALID_FAMILY, origin="null").status == 302
    refused = browser.request("POST", "/feedback/family", VALID_FAMILY, Origin="null")
    assert refused.status == 400
    assert https_site.stored() == 1


def test_behind_a_proxy_that_is_not_trusted_the_public_address_still_counts_as_this_site(tmp_path, certificates):
    app = _site(tmp_path, TRUSTED_PROXIES=0)
    with serve(app) as backend, tls_proxy(backend, certificates.server_context()) as url:
        reply = Browserlike(url, certificates.client_context()).post_form("/feedback/family", VALID_FAMILY)
    assert reply.status == 302, reply.body[:2000]
    empty_database(app)
