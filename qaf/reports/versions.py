"""The stored form versions and the organisation's teams, as the reports read them."""

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select

from qaf.extensions import db
from qaf.models import FormVersion, Service, Team
from qaf.reports.report import TeamInfo, VersionInfo
from qaf.reports.rows import local_time


def teams() -> dict[int, TeamInfo]:
    rows = db.session.execute(select(Team.id, Team.name, Team.service_id, Service.name, Team.district).join(Service))
    return {row[0]: TeamInfo(*row) for row in rows}


def versions(version_ids: Iterable[int] | None = None) -> dict[int, VersionInfo]:
    """Stored versions (all of them, or those named), each snapshot read once per process: a version never changes."""
    cache: dict[tuple[int, str], VersionInfo] = current_app.extensions.setdefault("qaf_report_versions", {})
    query = select(FormVersion.id, FormVersion.digest)
    if version_ids is not None:
        query = query.where(FormVersion.id.in_(sorted(set(version_ids))))
    rows = db.session.execute(query).all()
    missing = [row.id for row in rows if (row.id, row.digest) not in cache]
    if missing:
        same_version = _repeated_version_names()
        for version in db.session.scalars(select(FormVersion).where(FormVersion.id.in_(missing))):
            cache[(version.id, version.digest)] = _version_info(version, same_version)
    return {row.id: cache[(row.id, row.digest)] for row in rows}


def _repeated_version_names() -> set[tuple[str, str]]:
    query = (
        select(FormVersion.form_key, FormVersion.version)
        .group_by(FormVersion.form_key, FormVersion.version)
        .having(func.count() > 1)
    )
    return {(row[0], row[1]) for row in db.session.execute(query)}


def _version_info(version: FormVersion, same_version: set[tuple[str, str]]) -> VersionInfo:
    try:
        spec = version.as_spec()
    except (KeyError, TypeError, ValueError):
        spec = None
    label = version.version
    if (version.form_key, version.version) in same_version:
        # The YAML was edited without changing its version: tell the versions apart by date.
        label = f"{version.version} ({local_time(version.first_seen_at):%-d %b %Y %H:%M}, #{version.id})"
    audience = spec.audience if spec is not None else str(version.spec.get("audience", ""))
    return VersionInfo(
        version.id, version.form_key, version.version, label, version.title, audience, version.first_seen_at, spec
    )
