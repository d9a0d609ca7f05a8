"""Complaints and compliments: logged by teams and the QA team as feedback, with what was learnt."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)

from qaf.complaints import views as views  # noqa: E402  (the views register themselves on bp)
