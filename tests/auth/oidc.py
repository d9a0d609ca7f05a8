"""A real OpenID Connect provider for the tests (tests/oidc_provider.mjs, the `oidc-provider` package), and a
person's browser at it: its login and consent pages are followed by posting their forms."""

import base64
import hashlib
import json
import os
import secrets
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from bs4 import BeautifulSoup
from joserfc import jwt
from joserfc.jwk import RSAKey

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "tests" / "oidc_provider.mjs"
STEPS = 10  # redirects and forms between the authorization request and the answer: 5 or so

QAF_CLIENT = {
    "client_id": "qaf",
    "client_secret": "qaf-client-secret",
    "redirect_uris": ["http://localhost/sign-in/oidc/callback"],
}
OTHER_CLIENT = {
    "client_id": "another-service",
    "client_secret": "its-own-secret",
    "redirect_uris": ["http://other.test/cb"],
}

# The people who can sign in at the provider: their login there, and the claims it gives for them.
ACCOUNTS = {
    "priya": {"email": "worker@example.gov.uk", "email_verified": True, "name": "Priya Worker"},
    "quinn": {"email": "QA@Example.gov.uk", "email_verified": True},
    "alex": {"email": "auditor@example.gov.uk", "email_verified": True},
    "stranger": {"email": "nobody@example.gov.uk", "email_verified": True},
    "unverified": {"email": "sm@example.gov.uk", "email_verified": False},
    "no-email": {},
    "olu": {"email": "other@example.gov.uk", "email_verified": True},
    "new-olu": {"email": "other@example.gov.uk", "email_verified": True},
}


def council_settings(provider: "Provider") -> dict[str, str]:
    """The settings of a QAF that signs in with ``provider``, as QAF's registered client there."""
    return {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": QAF_CLIENT["client_id"],
        "OIDC_CLIENT_SECRET": QAF_CLIENT["client_secret"],
    }


def _pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class Provider:
    issuer: str
    key: RSAKey
    process: subprocess.Popen[bytes] = field(repr=False)

    def sign_in(self, authorization_url: str, login: str, redirect_uri: str = QAF_CLIENT["redirect_uris"][0]) -> str:
        """Follow ``authorization_url`` as ``login``'s browser would; the address the provider sends them back to."""
        browser = requests.Session()
        response = browser.get(authorization_url, allow_redirects=False, timeout=10)
        for _step in range(STEPS):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(redirect_uri):
                    return location
                response = browser.get(location, allow_redirects=False, timeout=10)
                continue
            assert response.status_code == 200, response.text[:2000]
            form = BeautifulSoup(response.text, "html.parser").find("form")
            assert form is not None, response.text[:2000]
            answers = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
            if "login" in answers:
                answers |= {"login": login, "password": "any password: the provider's test login takes any"}
            response = browser.post(
                urljoin(response.url, form["action"]), data=answers, allow_redirects=False, timeout=10
            )
        raise AssertionError(f"the provider did not send {login} back after {STEPS} steps")

    def tokens(self, client: dict[str, Any], login: str, nonce: str) -> dict[str, Any]:
        """The tokens ``client`` gets for ``login`` by the code flow with PKCE, as the provider issues them."""
        verifier, challenge = _pkce_pair()
        redirect_uri = client["redirect_uris"][0]
        query = {
            "client_id": client["client_id"],
            "response_type": "code",
            "scope": "openid email",
            "redirect_uri": redirect_uri,
            "state": secrets.token_urlsafe(16),
            "nonce": nonce,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        back = self.sign_in(f"{self.issuer}/auth?{urlencode(query)}", login, redirect_uri)
        code = parse_qs(urlsplit(back).query)["code"][0]
        response = requests.post(
            f"{self.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            auth=(client["client_id"], client["client_secret"]),
            timeout=10,
        )
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    def signed_token(self, **claims: Any) -> str:
        """An ID token with these claims, signed with the provider's own key (so its published keys verify it)."""
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": "priya", "aud": "qaf", "iat": now, "exp": now + 600} | claims
        header = {"alg": "RS256", "kid": self.key.kid}
        return jwt.encode(header, {name: value for name, value in claims.items() if value is not None}, self.key)


def start_provider() -> Provider:
    """Start the provider on a free port of 127.0.0.1 and wait for its discovery document."""
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("node_modules/oidc-provider is missing: run `make setup` (npm ci)")
    key = RSAKey.generate_key(2048, parameters={"kid": "test-signing-key", "use": "sig", "alg": "RS256"})
    environment = os.environ | {
        "OIDC_TEST_CLIENTS": json.dumps([QAF_CLIENT, OTHER_CLIENT]),
        "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
        "OIDC_TEST_JWKS": json.dumps({"keys": [key.as_dict(private=True)]}),
    }
    process = subprocess.Popen(
        ["node", str(SCRIPT)],  # noqa: S607 (node from PATH, as make setup's npm)
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment,
        cwd=ROOT,
    )
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    line = process.stdout.readline().decode() if ready else ""
    if not line.startswith("listening "):
        process.kill()
        process.wait()
        raise RuntimeError(f"the OIDC provider did not start: {line!r}")
    issuer = line.split()[1]
    for _attempt in range(50):
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                return Provider(issuer=issuer, key=key, process=process)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the OIDC provider never served its discovery document")


def stop_provider(provider: Provider) -> None:
    assert provider.process.stdin is not None
    provider.process.stdin.close()  # the script stops when its standard input closes
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()
        provider.process.wait()
    if provider.process.stdout is not None:
        provider.process.stdout.close()
