"""GOV.UK-style error pages for every HTTP error the site can answer with."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def _render(code: int) -> tuple[str, int]:
    title, message = PAGES.get(code, PAGES[400])
    return render_template("errors/error.html", title=title, message=message), code


def init_error_pages(app: Flask) -> None:
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
