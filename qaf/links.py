"""Full addresses of pages, for links people open from an email, a printed slip or a QR code."""

from flask import current_app, has_request_context, request, url_for

# Where commands with no request (the CLI, the worker) point their links when PUBLIC_URL is unset:
# flask run's own default address, right only for a development server on its default port.
COMMAND_FALLBACK_URL = "http://127.0.0.1:5000"


def site_address() -> str:
    """The site's public address, without a trailing slash.

    ``PUBLIC_URL`` when it is set. Otherwise, in a request, the scheme and host the request
    came to (through a proxy trusted with ``TRUSTED_PROXIES``, the ones it forwards), so a link
    made on a site served on any port opens on that port; with no request, the fallback.
    """
    configured = str(current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return COMMAND_FALLBACK_URL


def public_url(endpoint: str, **values: object) -> str:
    """The page's full address on :func:`site_address`; works in a request and from the CLI alike."""
    if has_request_context():
        path = url_for(endpoint, **values)  # type: ignore[arg-type]
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)  # type: ignore[arg-type]
    return site_address() + path
