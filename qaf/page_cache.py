"""Blank form pages rendered once and reused.

Rendering a long form with the GOV.UK macros costs far more than storing its answers, yet
for everyone who opens the same link the page differs only in its CSRF token and its CSP
nonce (and whatever else the caller names as fresh for each visitor, such as a form's
submission token). So the page is rendered once with markers in their place, and each
visitor gets a copy with their own values put in.
"""

import secrets
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from flask import current_app, g, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

CSRF_MARK = f"csrf-{secrets.token_hex(16)}"
NONCE_MARK = f"nonce-{secrets.token_hex(16)}"
MOST_PAGES = 500


def can_share_page() -> bool:
    """Only a page nobody has personalised: no one signed in, no message waiting to be shown."""
    return not current_user.is_authenticated and not session.get("_flashes")


def _returning(value: str) -> Callable[[], str]:
    return lambda: value


def _mark(name: str) -> str:
    marks: dict[str, str] = current_app.extensions.setdefault("qaf_shared_page_marks", {})
    return marks.get(name) or marks.setdefault(name, f"{name}-{secrets.token_hex(16)}")


def shared_page(
    key: Hashable, render: Callable[[dict[str, Any]], str], fresh: Mapping[str, Callable[[], str]] | None = None
) -> str:
    """The page for ``key``, rendered by ``render(extra_context)`` the first time only.

    Each name in ``fresh`` is a function the template calls; every visitor gets its own value.
    """
    fresh = fresh or {}
    pages: dict[Hashable, str] = current_app.extensions.setdefault("qaf_shared_pages", {})
    page = pages.get(key)
    if page is None:
        marks = {name: _returning(_mark(name)) for name in fresh}
        page = render({"csrf_token": lambda: CSRF_MARK, "cspNonce": NONCE_MARK, **marks})
        if len(pages) >= MOST_PAGES:
            pages.clear()
        pages[key] = page
    page = page.replace(CSRF_MARK, generate_csrf()).replace(NONCE_MARK, g.csp_nonce)
    for name, value in fresh.items():
        page = page.replace(_mark(name), value())
    return page
