"""Forms changed in the browser: the one draft of each form, and every version published from it.

A publication is immutable: its definition is the raw definition as a YAML file in forms/ holds
it, checked by the same loader. The newest publication of a key is the form answered from then on.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qaf.extensions import db
from qaf.models.accounts import User
from qaf.models.common import utc_now


class FormPublication(db.Model):  # type: ignore[name-defined,misc]
    """One published version of a form, numbered 1, 2, ... for its key; never changed once written."""

    __tablename__ = "form_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60), index=True)
    number: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The loader's digest of what the definition means (the FormVersion of its answers has the same).
    digest: Mapped[str] = mapped_column(String(64))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_by: Mapped[User | None] = relationship()
    published_at: Mapped[datetime] = mapped_column(default=utc_now)

    __table_args__ = (UniqueConstraint("form_key", "number"),)


class FormDraft(db.Model):  # type: ignore[name-defined,misc]
    """The changes being made to a form, not yet answered by anyone; one a form.

    ``revision`` goes up with every saved change: a change made on a page opened at an older
    revision is refused, so two administrators never overwrite each other's work.
    """

    __tablename__ = "form_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_key: Mapped[str] = mapped_column(String(60), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What it was made from: a publication, or (when none existed) the file's digest.
    based_on_publication_id: Mapped[int | None] = mapped_column(ForeignKey("form_publication.id"))
    based_on_digest: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_by: Mapped[User | None] = relationship()
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
