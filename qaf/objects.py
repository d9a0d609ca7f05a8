"""Loading a record for a view: 404 if it is not there, 403 if the policy says no."""

from typing import TypeVar

from flask import abort

from qaf.extensions import db
from qaf.policy import Action, allowed_or_403

T = TypeVar("T")


def get_or_404(model: type[T], object_id: int, action: Action | None = None) -> T:
    """The ``model`` row with ``object_id``; with ``action``, only if the signed-in person may do it."""
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    if action is not None:
        allowed_or_403(action, found)
    return found
