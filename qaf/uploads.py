"""Pages that take a CSV file larger than a form post may be."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request

from qaf.extensions import csrf

F = TypeVar("F", bound=Callable[..., Any])
PROBLEMS_SHOWN = 200


def accepts_upload(most_bytes: int) -> Callable[[F], F]:
    """Allow this page alone bodies up to ``most_bytes``, then check the CSRF token as every POST is.

    The app-wide CSRF check reads the body before any view runs, under the small global limit
    (MAX_CONTENT_LENGTH), so it would refuse the file: this page does the same check itself,
    once its larger limit is set.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if request.method == "POST":
                request.max_content_length = most_bytes
                if current_app.config["WTF_CSRF_ENABLED"]:
                    csrf.protect()
            return view(*args, **kwargs)

        csrf.exempt(checked)
        return checked  # type: ignore[return-value]

    return decorate


def posted_file(most_bytes: int, missing: str) -> tuple[bytes, list[str]]:
    """The bytes of the file posted as ``file``, or the problem with it: none chosen (``missing``), or too big."""
    upload = request.files.get("file")
    data = upload.read(most_bytes + 1) if upload else b""
    if not data:
        return b"", [missing]
    if len(data) > most_bytes:
        return b"", [f"The file must be smaller than {max(1, most_bytes // (1024 * 1024))} MB"]
    return data, []


def problems_as_errors(problems: list[str], field_id: str) -> list[dict[str, str]]:
    """A file's problems as error summary items pointing at the file box, the first few hundred of them."""
    items = [{"text": problem, "href": f"#{field_id}"} for problem in problems[:PROBLEMS_SHOWN]]
    if len(problems) > PROBLEMS_SHOWN:
        items.append({"text": f"and {len(problems) - PROBLEMS_SHOWN:,} more problems", "href": f"#{field_id}"})
    return items
