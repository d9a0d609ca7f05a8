"""Security headers, the CSP nonce, HTTPS-aware cookies and the same-origin check on every POST.

Over HTTPS, Flask-WTF's "SSL strict" mode demands a same-origin Referer on every POST.
Browsers leave the Referer out under many policies (and ours once said ``no-referrer``),
so that mode refused every answer sent over HTTPS. QAF checks the origin itself instead:
the CSRF token is still required on every POST, and a browser's ``Origin`` and
``Sec-Fetch-Site`` headers, where sent, must say the post came from this site.
"""

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Sec-Fetch-Site values a browser sends for a form on our own pages (or typed by hand).
OWN_SITE = {"same-origin", "none"}


def _policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def served_over_https() -> bool:
    """Whether this request reached us over HTTPS (directly, or through a trusted proxy), or the setting forces it."""
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        return True
    return has_request_context() and request.is_secure


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie session, made Secure and ``__Host-`` prefixed whenever the page came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return served_over_https()

    def get_cookie_name(self, app: Flask) -> str:
        name = str(app.config["SESSION_COOKIE_NAME"])
        # A __Host- cookie is only accepted over HTTPS, for this host alone, on the whole site.
        return f"__Host-{name}" if served_over_https() else name


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _from_this_site(origin: str) -> bool:
    """Whether a browser's Origin header names this site: the host asked for, or the configured PUBLIC_URL."""
    if origin.lower() == _origin(current_app.config["PUBLIC_URL"]):
        return True
    # A proxy without TRUSTED_PROXIES makes the scheme look like http: the host is what must match.
    return urlsplit(origin).netloc.lower() == request.host.lower()


def check_same_origin() -> None:
    """Refuse a POST that a browser says came from another site; the CSRF token is checked as well."""
    if request.method not in UNSAFE_METHODS:
        return
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in OWN_SITE:
        raise CSRFError("The form was sent from another site.")
    origin = request.headers.get("Origin")
    # "null" is what browsers send after some redirects and from privacy modes: the token decides then.
    if origin and origin != "null" and not _from_this_site(origin):
        raise CSRFError("The form was sent from another site.")


def init_security(app: Flask) -> None:
    # The origin check below replaces Flask-WTF's Referer check (see the module's docstring).
    app.config["WTF_CSRF_SSL_STRICT"] = False
    app.session_interface = SessionCookies()

    @app.before_request
    def _make_nonce() -> None:
        g.csp_nonce = secrets.token_urlsafe(16)
        if app.config.get("WTF_CSRF_ENABLED", True):
            check_same_origin()

    @app.context_processor
    def _nonce() -> dict[str, str]:
        return {"cspNonce": g.get("csp_nonce", "")}

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = _policy(g.get("csp_nonce", secrets.token_urlsafe(16)))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # Invitation links carry a token in the URL: the full address goes to our own pages only,
        # never to another site. Our own pages need it, or some browsers send no Origin either.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if served_over_https():
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
        return response
