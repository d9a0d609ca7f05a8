"""Loading what the admin pages change, answering 404 for anything that is not there."""

from typing import TypeVar

from flask import abort

from qaf.extensions import db

T = TypeVar("T")


def get_or_404(model: type[T], object_id: int) -> T:
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def optional_id(value: str | None) -> int | None:
    return int(value) if value else None
