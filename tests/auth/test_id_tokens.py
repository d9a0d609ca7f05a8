"""The ID token's checks, on tokens the real provider issued and on tokens signed with its own key.

A callback checks the token it is sent with the same function (``verified_claims`` is
Authlib's check with QAF's options), so each refusal here is one a callback would make.
"""

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qaf.auth.council_sign_in import CouncilSignInFailed, verified_claims
from tests.auth.oidc import OTHER_CLIENT, QAF_CLIENT, Provider, council_settings
from tests.conftest import empty_database, make_app

NONCE = "the-nonce-qaf-sent"


@pytest.fixture
def app(tmp_path: Path, oidc_provider: Provider) -> Iterator[Flask]:
    app = make_app(tmp_path, **council_settings(oidc_provider))
    yield app
    empty_database(app)


def check(app, token: dict) -> dict:
    with app.app_context():
        return verified_claims(token, NONCE)


def refused(app, token: dict) -> str:
    with pytest.raises(CouncilSignInFailed) as refusal:
        check(app, token)
    return str(refusal.value)


def test_a_token_the_provider_issued_to_qaf_is_accepted(app, oidc_provider):
    tokens = oidc_provider.tokens(QAF_CLIENT, "priya", NONCE)
    claims = check(app, tokens)
    assert (claims["iss"], claims["sub"], claims["aud"]) == (oidc_provider.issuer, "priya", "qaf")


def test_a_token_the_provider_issued_to_another_service_is_refused(app, oidc_provider):
    tokens = oidc_provider.tokens(OTHER_CLIENT, "priya", NONCE)
    assert "aud" in refused(app, tokens)


def test_a_token_naming_qaf_only_as_its_authorised_party_is_refused(app, oidc_provider):
    token = oidc_provider.signed_token(aud="another-service", azp="qaf", nonce=NONCE)
    assert "aud" in refused(app, {"id_token": token})


def test_a_token_signed_with_the_providers_key_is_accepted(app, oidc_provider):
    token = oidc_provider.signed_token(nonce=NONCE)
    assert check(app, {"id_token": token})["sub"] == "priya"


def test_an_expired_token_is_refused(app, oidc_provider):
    an_hour_ago = int(time.time()) - 3600
    token = oidc_provider.signed_token(iat=an_hour_ago - 600, exp=an_hour_ago, nonce=NONCE)
    assert "expired" in refused(app, {"id_token": token}).lower()


@pytest.mark.parametrize(
    ("claims", "why"),
    [
        ({"iss": "https://login.example.test/someone-else"}, "iss"),
        ({"nonce": "a-nonce-qaf-never-sent"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"exp": None}, "exp"),
        ({"aud": None}, "aud"),
    ],
)
def test_a_token_with_a_wrong_or_missing_claim_is_refused(app, oidc_provider, claims, why):
    token = oidc_provider.signed_token(**{"nonce": NONCE} | claims)
    assert why in refused(app, {"id_token": token})


def _with_payload(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed = base64.urlsafe_b64encode(json.dumps(claims | changes).encode()).rstrip(b"=").decode()
    return f"{header}.{changed}.{signature}"


def test_a_token_whose_claims_were_changed_after_signing_is_refused(app, oidc_provider):
    tokens = oidc_provider.tokens(QAF_CLIENT, "priya", NONCE)
    tokens["id_token"] = _with_payload(tokens["id_token"], sub="quinn")
    assert "signature" in refused(app, tokens).lower()


def test_a_token_signed_with_another_key_is_refused(app, oidc_provider):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    impostor = RSAKey.generate_key(2048, parameters={"kid": oidc_provider.key.kid})
    now = int(time.time())
    claims = {"iss": oidc_provider.issuer, "sub": "priya", "aud": "qaf", "iat": now, "exp": now + 600, "nonce": NONCE}
    token = jwt.encode({"alg": "RS256", "kid": oidc_provider.key.kid}, claims, impostor)
    assert "signature" in refused(app, {"id_token": token}).lower()


def test_an_unsigned_token_is_refused(app, oidc_provider):
    signed = oidc_provider.signed_token(nonce=NONCE)
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=").decode()
    assert refused(app, {"id_token": f"{header}.{signed.split('.')[1]}."})
