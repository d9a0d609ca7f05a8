"""The draft as the people who answer it will see it, through the same pages; nothing sent is kept."""

from flask import render_template

from qaf.forms_registry import PUBLIC_AUDIENCES
from qaf.formspec import FormSpec, build_form_class
from qaf.public.views import preview_form


def preview_page(spec: FormSpec) -> tuple[str, int] | str:
    """A feedback form through the open link's page; an audit template as the auditor's draft audit shows it."""
    if spec.audience in PUBLIC_AUDIENCES:
        return preview_form(spec, "editor/preview-feedback.html")
    form = build_form_class(spec)()
    checked = form.validate_on_submit()
    return render_template("editor/preview-audit.html", spec=spec, form=form, preview_checked=checked)
