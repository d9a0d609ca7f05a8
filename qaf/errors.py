"""GOV.UK-style error pages for every HTTP error the site can answer with."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from qaf.query_args import bound_path_ids

PAGES = {
    400: ("There is a problem with your request", "Go back, reload the page and try again."),
    403: ("You do not have permission to see this page", "If you think you should, contact your QA team."),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.",
    ),
    405: ("There is a problem with your request", "Go back, reload the page and try again."),
    413: ("What you sent is too large", "Shorten your answers and try again."),
    429: ("Too many attempts", "You have tried too many times. Wait 15 minutes, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Your answers have not been saved."),
}
# The most of a too-large body read (and thrown away) so that the 413 page reaches the sender.
DRAIN_MOST_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


def _drain_body() -> None:
    """Read the rest of a refused body, so the server can answer before it closes the connection.

    A server that closes a connection with unread data makes the kernel reset it: the browser
    then shows "connection reset" instead of the 413 page (gunicorn's sync workers do this).
    Werkzeug refuses a body by its Content-Length before reading any of it, or stops part way
    through a form; either way what is left is the Content-Length less what was read. Bodies
    larger than DRAIN_MOST_BYTES are not read: reading them would tie up a worker.
    """
    length = request.content_length
    if not length or length > DRAIN_MOST_BYTES:
        return
    started = request.__dict__.get("stream")  # request.stream, if it was ever opened
    remaining = length - (started.tell() if started is not None else 0)
    raw = request.environ["wsgi.input"]
    try:
        while remaining > 0:
            chunk = raw.read(min(_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
    except (OSError, ValueError):
        pass  # the sender went away: nobody is waiting for the page


def _too_large_message() -> str:
    most = request.max_content_length
    if request.mimetype == "multipart/form-data" and most:
        size = f"{most / (1024 * 1024):.0f} MB" if most >= 1024 * 1024 else f"{most // 1024:,} KB"
        return f"The file must be smaller than {size}. Split it into smaller files and try again."
    return PAGES[413][1]


def _render(code: int) -> tuple[str, int]:
    title, message = PAGES.get(code, PAGES[400])
    if code == 413:
        _drain_body()
        message = _too_large_message()
    return render_template("errors/error.html", title=title, message=message), code


def init_error_pages(app: Flask) -> None:
    """Error pages for every code in PAGES; ids in addresses bounded first, so that a huge one is a 404."""
    bound_path_ids(app)

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError) -> tuple[str, int]:
        return _render(400)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code in PAGES:
            return _render(error.code)
        return error

    @app.errorhandler(500)
    def _server_error(_error: Exception) -> tuple[str, int]:
        return _render(500)
