"""Sign-in with the council's OpenID Connect provider (Microsoft Entra ID, or any other), through Authlib.

The authorization code flow with PKCE (S256). Between the redirect to the provider and its
answer, Authlib keeps the state, the nonce and the code verifier in the session under the
state's name, and takes them out as the answer is read: a state it does not hold (a
callback address used a second time, or one from another browser) is refused. The ID
token is verified here: its signature against the keys the provider publishes (JWKS), its
issuer (the configured one, exactly), its audience (QAF's client id), its expiry and its
nonce. Who the person is in QAF is decided apart, by qaf.auth.council_accounts.
"""

from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, session
from joserfc.errors import JoseError
from werkzeug import Response

from qaf.auth.throttling import normalise_email
from qaf.deployment import DeploymentError
from qaf.links import public_url

CLIENT_NAME = "council"
# Each app has an OAuth registry of its own: its client keeps the provider's metadata and keys.
EXTENSION = "qaf_council_sign_in"
SCOPE = "openid email profile"
# Seconds either way the provider's clock and ours may differ when checking the token's times.
LEEWAY_SECONDS = 120


@dataclass(frozen=True)
class CouncilIdentity:
    """Who the provider says signed in: its issuer and their subject there, and the email address it vouches for."""

    issuer: str
    subject: str
    email: str
    # False only when the provider said the address is not verified; None when it says nothing (Entra ID).
    email_verified: bool | None


class CouncilSignInFailed(Exception):
    """The provider's answer was refused or could not be had; the message says why, for the log."""


def init_council_sign_in(app: Flask) -> None:
    """Register the provider's client when ``OIDC_ISSUER`` is set; refuse settings that would lock everyone out."""
    config = app.config
    if not config["OIDC_ISSUER"]:
        if not config["PASSWORD_SIGN_IN"]:
            raise DeploymentError(
                "PASSWORD_SIGN_IN is off but OIDC_ISSUER is not set: set the council's identity provider,"
                " or nobody but the break-glass administrators could sign in"
            )
        return
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not config[name]]
    if missing:
        raise DeploymentError(f"OIDC_ISSUER is set but {' and '.join(missing)} not: set QAF's client at the provider")
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=config["OIDC_CLIENT_ID"],
        client_secret=config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{config['OIDC_ISSUER']}/.well-known/openid-configuration",
        client_kwargs={
            "scope": SCOPE,
            "code_challenge_method": "S256",
            "default_timeout": config["OIDC_TIMEOUT_SECONDS"],
        },
    )
    app.extensions[EXTENSION] = oauth


def council_sign_in_on() -> bool:
    return EXTENSION in current_app.extensions


def _client() -> Any:
    return current_app.extensions[EXTENSION].create_client(CLIENT_NAME)


def _claims_options() -> dict[str, dict[str, Any]]:
    config = current_app.config
    return {
        "iss": {"essential": True, "value": config["OIDC_ISSUER"]},
        "sub": {"essential": True},
        # Authlib alone checks the audience only through azp; the ID token must name QAF's client itself.
        "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
        "exp": {"essential": True},
    }


def redirect_to_provider() -> Response:
    """Send the browser to the provider's sign-in, remembering the state, nonce and PKCE verifier in the session.

    Only the newest sign-in started in a browser can finish: the session cookie holds one state, not one a click.
    """
    for key in [key for key in session if key.startswith(f"_state_{CLIENT_NAME}_")]:
        session.pop(key)
    try:
        client = _client()
        _check_metadata(client)
        response: Response = client.authorize_redirect(public_url("auth.council_callback"))
    except (OAuthError, requests.RequestException, ValueError) as error:
        raise CouncilSignInFailed(f"the provider's settings could not be read: {error}") from error
    return response


def _check_metadata(client: Any) -> None:
    # OpenID Connect Discovery: the document's issuer must be the one it was fetched from (a tenant's, for Entra ID).
    issuer = client.load_server_metadata().get("issuer", "")
    if issuer.rstrip("/") != current_app.config["OIDC_ISSUER"]:
        raise ValueError(f"the discovery document names the issuer {issuer!r}, not OIDC_ISSUER")


def identity_from_callback() -> CouncilIdentity:
    """Who the provider's answer to this request names, once its state, code and ID token have all been checked."""
    client = _client()
    try:
        token = client.authorize_access_token(claims_options=_claims_options(), leeway=LEEWAY_SECONDS)
        if "userinfo" not in token:
            raise CouncilSignInFailed("the provider sent no ID token")
        claims = _with_userinfo(client, token, dict(token["userinfo"]))
    except (OAuthError, JoseError, requests.RequestException, ValueError) as error:
        raise CouncilSignInFailed(f"{type(error).__name__}: {error}") from error
    return identity_from_claims(claims)


def _with_userinfo(client: Any, token: dict[str, Any], claims: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims, and the email claims from the UserInfo endpoint when the ID token has none.

    In the code flow a provider may keep the scopes' claims for UserInfo (the specification's
    default, which ``oidc-provider`` follows); Entra ID puts ``email`` in the ID token.
    """
    names = current_app.config["OIDC_EMAIL_CLAIMS"]
    endpoint = client.load_server_metadata().get("userinfo_endpoint")
    if any(claims.get(name) for name in names) or not endpoint:
        return claims
    response = client.get(endpoint, token=token)
    response.raise_for_status()
    userinfo = response.json()
    # OpenID Connect Core 5.3.2: UserInfo's sub must be the ID token's, or its answer is about someone else.
    if userinfo.get("sub") != claims["sub"]:
        raise CouncilSignInFailed("the UserInfo endpoint answered about another subject")
    return {**userinfo, **claims}


def verified_claims(token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The claims of ``token``'s ID token, checked as a callback checks them; raises ``CouncilSignInFailed``.

    The callback's own check is Authlib's, given the same options: this is it without the
    state and the code exchange, for a token got some other way.
    """
    try:
        claims: dict[str, Any] = _client().parse_id_token(
            token, nonce=nonce, claims_options=_claims_options(), leeway=LEEWAY_SECONDS
        )
    except (JoseError, ValueError) as error:
        raise CouncilSignInFailed(f"{type(error).__name__}: {error}") from error
    return claims


def identity_from_claims(claims: dict[str, Any]) -> CouncilIdentity:
    """The identity in verified claims: the first of ``OIDC_EMAIL_CLAIMS`` that holds an address."""
    email = ""
    for name in current_app.config["OIDC_EMAIL_CLAIMS"]:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            email = normalise_email(value)
            break
    verified = claims.get("email_verified")
    return CouncilIdentity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=email,
        # Some providers send "true" and "false" as strings.
        email_verified=None if verified is None else verified in (True, "true"),
    )
