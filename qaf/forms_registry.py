"""The form definitions loaded at start-up, looked up by key."""

from flask import abort, current_app

from qaf.formspec import FormSpec

PUBLIC_AUDIENCES = ("family", "child", "partner", "staff")


def all_forms() -> dict[str, FormSpec]:
    return current_app.extensions["qaf_forms"]  # type: ignore[no-any-return]


def public_form_or_404(form_key: str) -> FormSpec:
    """A form anyone may open by link; audit templates and unknown keys are not found."""
    spec = all_forms().get(form_key)
    if spec is None or spec.audience not in PUBLIC_AUDIENCES:
        abort(404)
    return spec


def template_title(form_key: str | None) -> str:
    """A form's title by its key, the key itself if no form has it any more, or nothing."""
    if not form_key:
        return ""
    spec = all_forms().get(form_key)
    return spec.title if spec else form_key
