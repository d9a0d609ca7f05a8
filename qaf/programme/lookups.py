"""Loading the programme's records for a view: 404 if missing, 403 if the policy says no; and choices for forms."""

from qaf.audits.lookups import audit_templates
from qaf.forms_registry import all_forms
from qaf.objects import get_or_404 as get_or_404


def template_choices(graded_only: bool = False) -> list[tuple[str, str]]:
    """Audit templates first, then the other forms; with ``graded_only``, audit templates with an overall grade."""
    specs = sorted(all_forms().values(), key=lambda spec: (spec.audience != "auditor", spec.title))
    if graded_only:
        specs = [spec for spec in specs if spec.audience == "auditor" and spec.grade_question]
    return [(spec.key, spec.title) for spec in specs]


def audit_template_choices() -> list[tuple[str, str]]:
    return sorted(((spec.key, spec.title) for spec in audit_templates().values()), key=lambda choice: choice[1])
