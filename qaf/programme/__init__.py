"""The QA programme: the schedule and its due work, cases and samples, allocation, peer review, thematic work."""

from flask import Blueprint

bp = Blueprint("programme", __name__, url_prefix="/programme")

from qaf.programme import allocation_views as allocation_views  # noqa: E402  (the views register themselves on bp)
from qaf.programme import case_views as case_views  # noqa: E402
from qaf.programme import group_moderation_views as group_moderation_views  # noqa: E402
from qaf.programme import peer_views as peer_views  # noqa: E402
from qaf.programme import post_closure_views as post_closure_views  # noqa: E402
from qaf.programme import thematic_views as thematic_views  # noqa: E402
from qaf.programme import views as views  # noqa: E402
