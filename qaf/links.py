"""Full addresses of pages, for links people open from an email, a printed slip or a QR code."""

from flask import current_app, has_request_context, url_for


def public_url(endpoint: str, **values: object) -> str:
    """``PUBLIC_URL`` plus the page's path; works in a request and from the CLI alike."""
    if has_request_context():
        path = url_for(endpoint, **values)  # type: ignore[arg-type]
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)  # type: ignore[arg-type]
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + path
