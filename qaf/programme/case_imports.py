"""Case lists imported by the worker: the upload kept in a file, its record, and the job that imports it.

The upload is written to CASE_IMPORT_FOLDER as it arrives (never held in memory), the job checks
and imports it (qaf/programme/cases.py) and deletes it: the record keeps only counts and problems.
"""

import logging
import os
from pathlib import Path
from typing import Any

from flask import current_app
from werkzeug.datastructures import FileStorage

from qaf.database import run_write_transaction
from qaf.extensions import db
from qaf.jobs import enqueue, job_queue
from qaf.models import CaseImport, User, utc_now
from qaf.programme.cases import CaseFileError, import_cases
from qaf.programme.post_closure import PostClosureDraw

logger = logging.getLogger(__name__)


def upload_path(import_id: int) -> Path:
    return Path(current_app.config["CASE_IMPORT_FOLDER"]) / f"case-import-{import_id}.csv"


def _progress_key(import_id: int) -> str:
    return f"case-import-{import_id}-rows-imported"


def has_content(upload: FileStorage | None) -> bool:
    """Whether a file was chosen and is not empty (without reading it into memory)."""
    if upload is None or not upload.filename:
        return False
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size > 0


def queue_case_import(upload: FileStorage, by: User) -> int:
    """Keep the uploaded file, record the import as queued and put it on the job queue; its id."""
    folder = Path(current_app.config["CASE_IMPORT_FOLDER"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def work() -> int:
        record = CaseImport(created_by_id=by.id, filename=(upload.filename or "upload")[:200])
        db.session.add(record)
        db.session.flush()
        path = upload_path(record.id)
        upload.stream.seek(0)
        with path.open("wb") as handle:
            os.chmod(path, 0o600)  # case data: readable by QAF alone
            upload.save(handle)
        return record.id

    import_id = run_write_transaction(work)
    try:
        enqueue("import_cases", import_id)
    except Exception:
        _finish(import_id, status="failed")
        upload_path(import_id).unlink(missing_ok=True)
        raise
    return import_id


def rows_imported(record: CaseImport) -> int:
    """How many rows an import has stored so far (noted outside its transaction while it runs)."""
    if record.status != "importing":
        return record.rows_imported
    return int(job_queue().get(_progress_key(record.id), peek=True) or 0)


def _set(import_id: int, **values: Any) -> None:
    def work() -> None:
        record = db.session.get(CaseImport, import_id)
        assert record is not None
        for name, value in values.items():
            setattr(record, name, value)

    run_write_transaction(work)


def _finish(import_id: int, **values: Any) -> None:
    _set(import_id, finished_at=utc_now(), **values)


def _draw_columns(draw: PostClosureDraw | None) -> dict[str, int | None]:
    if draw is None:
        return {"post_closure_percent": None, "post_closure_seed": None}
    return {
        "post_closure_percent": draw.percent,
        "post_closure_seed": draw.seed,
        "post_closure_found": draw.found,
        "post_closure_chosen": draw.chosen,
        "post_closure_sent": draw.sent,
    }


def run_case_import(import_id: int) -> None:
    """The job: check and import the file kept for ``import_id``, note how far it got, then delete the file."""
    record = db.session.get(CaseImport, import_id)
    if record is None or record.status != "queued":
        return  # already run: a job delivered twice imports once
    filename, actor_id = record.filename, record.created_by_id
    path = upload_path(import_id)
    queue = job_queue()
    _set(import_id, status="checking")

    def progress(stage: str, rows: int) -> None:
        if stage == "checking":
            _set(import_id, rows_checked=rows)
        elif rows == 0:
            _set(import_id, status="importing")
        else:  # inside the import's transaction: noted in the job queue's store, not the database
            queue.put(_progress_key(import_id), rows)

    try:
        with path.open("rb") as stream:
            actor = db.session.get(User, actor_id) if actor_id else None
            result = import_cases(stream, filename, progress=progress, actor=actor, import_id=import_id)
    except CaseFileError as error:
        _finish(import_id, status="refused", problems=error.problems, problem_count=error.count)
    except Exception:
        logger.exception("Case list import %s failed", import_id)
        _finish(import_id, status="failed")
        raise
    else:
        _finish(
            import_id,
            status="done",
            rows_imported=result.added + result.updated + result.unchanged,
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
            ignored_columns=list(result.ignored),
            team_ids=list(result.team_ids),
            **_draw_columns(result.post_closure),
        )
        if result.post_closure and result.post_closure.sent:
            # A job has no response to wait for: the links go now, not at the outbox's next sweep.
            enqueue("deliver_outbox", None)
    finally:
        path.unlink(missing_ok=True)
        queue.delete(_progress_key(import_id))
