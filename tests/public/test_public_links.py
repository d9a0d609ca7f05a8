"""Links on slips, QR codes and emails open on the address the site really runs on, whatever its port."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qaf.feedback.qr import qr_svg
from tests.conftest import PASSWORD, empty_database, make_app

INVITATION = {"form": "family", "case_reference": "eh-55501", "team": "1", "stage": "closure"}
COUNCIL = "https://feedback.council.example"


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The app, with the settings a test gives through ``indirect`` parametrization."""
    app = make_app(tmp_path, **getattr(request, "param", {}))
    yield app
    empty_database(app)


def slip(app: Flask, email: str, base_url: str, **headers: str) -> tuple[str, str]:
    """The link printed on a new invitation's slip made at ``base_url``, and the slip's QR code."""
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": email, "password": PASSWORD}, base_url=base_url, headers=headers)
    assert signed_in.status_code == 302
    response = client.post("/invitations/new", data=INVITATION, base_url=base_url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    html = response.get_data(as_text=True)
    link = re.search(r'<p class="govuk-body qaf-slip__link">([^<]+)</p>', html).group(1)
    qr = re.search(r"<svg .*?</svg>", html, re.DOTALL).group(0)
    return link, qr


def test_a_site_on_another_host_and_port_puts_that_address_on_the_slip_and_in_the_qr_code(app, staff):
    link, qr = slip(app, staff["practitioner"]["email"], "http://qaf.example:5110")
    assert re.fullmatch(r"http://qaf\.example:5110/i/[\w-]{43}", link)
    assert qr == qr_svg(link, "QR code for the feedback link for case EH-55501")
    assert app.test_client().get(link).status_code == 200


@pytest.mark.parametrize("app", [{"TRUSTED_PROXIES": 1}], indirect=True)
def test_behind_a_trusted_proxy_links_use_the_scheme_and_host_the_proxy_was_asked_for(app, staff):
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "feedback.council.example"}
    link, _qr = slip(app, staff["practitioner"]["email"], "http://127.0.0.1:8000", **forwarded)
    assert re.fullmatch(re.escape(COUNCIL) + r"/i/[\w-]{43}", link)


@pytest.mark.parametrize("app", [{"PUBLIC_URL": COUNCIL}, {"PUBLIC_URL": COUNCIL + "/"}], indirect=True)
def test_a_configured_public_url_wins_over_the_address_of_the_request(app, staff):
    link, _qr = slip(app, staff["practitioner"]["email"], "http://10.0.0.5:5110")
    assert re.fullmatch(re.escape(COUNCIL) + r"/i/[\w-]{43}", link)


@pytest.mark.parametrize(
    ("app", "address"), [({"PUBLIC_URL": COUNCIL}, COUNCIL), ({}, "http://127.0.0.1:5000")], indirect=["app"]
)
def test_a_command_with_no_request_uses_public_url_or_else_the_development_address(app, address):
    result = app.test_cli_runner().invoke(
        args=["qaf", "create-user", "--email", "nia@example.gov.uk", "--name", "Nia", "--role", "qa_admin", "--link"]
    )
    assert result.exit_code == 0, result.output
    assert re.search(re.escape(address) + r"/set-password/[\w-]{43}\b", result.output), result.output
