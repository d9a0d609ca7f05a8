"""Answers typed into a staff form as its session ended, held for the same person to sign in again."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from qaf.extensions import db
from qaf.models.common import ANSWERS_JSON, utc_now


class HeldAnswers(db.Model):  # type: ignore[name-defined,misc]
    """What one post carried (every field but the CSRF token), for one person's return to one page.

    Only a hash of the token is kept; the token itself is in that browser's session alone.
    """

    __tablename__ = "held_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # The page the post was sent to, which shows them again: /audits/12/edit.
    path: Mapped[str] = mapped_column(String(500))
    # Why the post was not taken: "idle", "absolute limit" (the session ended) or "page" (its token was old).
    reason: Mapped[str] = mapped_column(String(20))
    # The posted fields as [name, value] pairs, in order (a question with checkboxes sends several).
    fields: Mapped[list[Any]] = mapped_column(ANSWERS_JSON)
    created_at: Mapped[datetime] = mapped_column(default=utc_now, index=True)
