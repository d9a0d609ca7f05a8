"""Staff pages for reaching people: invitation links for families, and partner rounds and staff survey waves."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)

from qaf.feedback import invitations as invitations  # noqa: E402  (the views register themselves on bp)
from qaf.feedback import partner_pages as partner_pages  # noqa: E402
from qaf.feedback import round_email_pages as round_email_pages  # noqa: E402
from qaf.feedback import rounds as rounds  # noqa: E402
