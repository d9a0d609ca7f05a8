"""Entry point: ``flask --app app run`` or ``gunicorn app:app``."""

import sys

from qaf import create_app
from qaf.deployment import DeploymentError
from qaf.formspec import SpecError

try:
    app = create_app()
except SpecError as error:
    sys.exit(f"QAF cannot start: the form definitions have {len(error.problems)} problem(s):\n{error}")
except DeploymentError as error:
    sys.exit(f"QAF cannot start: {error}")
