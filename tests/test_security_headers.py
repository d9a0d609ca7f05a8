"""Security headers on every page, and a CSP the page's only inline script satisfies."""

import re

import pytest


@pytest.mark.parametrize("url", ["/", "/feedback/family", "/privacy", "/no-such-page"])
def test_every_page_sends_the_security_headers(app, url):
    response = app.test_client().get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_inline_script_carries_the_nonce_of_its_response(app):
    client = app.test_client()
    first, second = client.get("/"), client.get("/")
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in first.get_data(as_text=True)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_scripts_and_styles_load_only_from_files(app):
    html = app.test_client().get("/feedback/family").get_data(as_text=True)
    assert 'type="module" src="/assets/application.mjs"' in html
    assert "style=" not in html
