"""The forms answered now, looked up by key: the files in forms/ and, over them, the newest
version of each form published in the browser (qaf.editor).

Every app server reads the newest publication's id once a request (one small query) and builds
the published definitions again only when it has changed, so a publish is answered from the
next page load everywhere, without a restart.
"""

from typing import Any

from flask import abort, current_app, g
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.formspec import FormSpec, SpecError
from qaf.formspec.loader import check_definition, check_links
from qaf.models import FormPublication

PUBLIC_AUDIENCES = ("family", "child", "partner", "staff")


def file_forms() -> dict[str, FormSpec]:
    """The definitions in the forms folder, checked at start-up: the versions a new install starts with."""
    return current_app.extensions["qaf_forms"]  # type: ignore[no-any-return]


def all_forms() -> dict[str, FormSpec]:
    """Every form answered now: the file's definition unless a newer one has been published."""
    if "qaf_forms" not in g:
        g.qaf_forms = _published_over_files()
    return g.qaf_forms  # type: ignore[no-any-return]


def publication_spec(publication: FormPublication) -> FormSpec:
    """A published version as the loader checks it; raises ``SpecError`` if it no longer passes."""
    return check_definition(publication.definition, publication_name(publication.form_key, publication.number))


def publication_name(form_key: str, number: int) -> str:
    """How messages and ``check-forms`` name a published version (in place of a file name)."""
    return f"{form_key} version {number} (published in the browser)"


def _published_over_files() -> dict[str, FormSpec]:
    newest = db.session.scalar(select(func.max(FormPublication.id)))
    if newest is None:
        return file_forms()
    # Per app (so per app server), remembered by the newest publication: it changes with every publish.
    built: dict[str, Any] = current_app.extensions.setdefault("qaf_published_forms", {})
    if built.get("newest") != newest:
        built["forms"] = _build_published()
        built["newest"] = newest
    return built["forms"]  # type: ignore[no-any-return]


def _build_published() -> dict[str, FormSpec]:
    latest = (
        select(FormPublication.form_key, func.max(FormPublication.number).label("number"))
        .group_by(FormPublication.form_key)
        .subquery()
    )
    publications = db.session.scalars(
        select(FormPublication).join(
            latest, (FormPublication.form_key == latest.c.form_key) & (FormPublication.number == latest.c.number)
        )
    )
    forms = dict(file_forms())
    for publication in publications:
        try:
            forms[publication.form_key] = publication_spec(publication)
        except SpecError as error:
            # Checked when published: only a later, stricter loader can refuse it. The older version stays.
            current_app.logger.error("A published form no longer passes the checks, so it is not used:\n%s", error)
    for problem in check_links(forms):
        current_app.logger.error("A published form names a form no one has: %s", problem)
    return forms


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
