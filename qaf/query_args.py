"""Record ids and filters read from a page's address, each checked before it reaches a query.

One rule for every page: a value the page itself could never have sent is a bad request
(the GOV.UK 400 page for a query-string filter, 404 for an id in the path), never a
database error. Such values are ids that are not plain whole numbers from 1 to
2,147,483,647 (``²`` passes ``str.isdigit`` but not ``int``; a 25-digit number overflows
SQLite's and PostgreSQL's integers in the driver) and text holding control characters
(PostgreSQL refuses NUL in a query). A well-formed value that matches nothing (a team that
has gone) just finds nothing, as it always did.
"""

import re

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# PostgreSQL's integer, the type of every id column.
MOST_ID = 2**31 - 1
_ID = re.compile(r"[0-9]{1,10}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def record_id(text: str) -> int | None:
    """``text`` as a record id, or None if it cannot be one."""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MOST_ID else None


def id_arg(name: str) -> int | None:
    """The id filter ``name`` from the query string; None when not given; 400 when it cannot be an id."""
    text = request.args.get(name, "").strip()
    if not text:
        return None
    number = record_id(text)
    if number is None:
        abort(400)
    return number


def text_arg(name: str, most_chars: int) -> str:
    """The free-text filter ``name``, trimmed and cut to ``most_chars``; 400 when it holds control characters."""
    text = request.args.get(name, "")
    if _CONTROL.search(text):
        abort(400)
    return text.strip()[:most_chars]


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in a route: only ids a record could have, so anything else is a 404, not an overflow."""

    def __init__(self, map: object, **kwargs: object) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MOST_ID)
        super().__init__(map, **kwargs)  # type: ignore[arg-type]


def bound_path_ids(app: Flask) -> None:
    """Make every ``<int:...>`` route converter a record id (call before the blueprints are registered)."""
    app.url_map.converters["int"] = RecordIdConverter
