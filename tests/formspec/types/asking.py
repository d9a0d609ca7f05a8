"""One question of a type, defined, answered and exported, without an app: what each type's tests share."""

from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms import Form

from qaf.formspec import Question, parse_spec, staff_form_spec
from qaf.formspec.display import display_answer
from qaf.formspec.widgets import govuk_widget
from qaf.reports.columns import cell_plan, cell_value, merge_columns
from qaf.reports.report import VersionInfo


def define(question: str, audience: str = "staff") -> list[Question]:
    """The questions a one-question definition gives (a standard brings its evidence box)."""
    spec = parse_spec(
        f"key: one\nversion: 1\ntitle: One\naudience: {audience}\nsections:\n"
        f"  - title: Questions\n    questions:\n      - {question}\n",
        "one.yaml",
    )
    return list(spec.questions)


def answer(question: Question, *pairs: tuple[str, str]) -> tuple[Any, list[str], dict[str, Any]]:
    """What posting ``pairs`` stores for the question, its errors and the GOV.UK widget shown again."""
    form_class = type("OneForm", (Form,), {question.id: question.kind.field(question)})
    form = form_class(formdata=MultiDict(pairs))
    form.validate()
    field = form[question.id]
    return (None if field.errors else field.answer), list(field.errors), govuk_widget(field)


def cell(question: Question, value: Any) -> tuple[str, Any, float]:
    """The cell kind, the cell written for a stored answer, and the column's width."""
    spec = staff_form_spec("one", "One", question)
    version = VersionInfo(1, "one", "1", "1", "One", "staff", datetime(2026, 10, 1), spec)
    columns = merge_columns([version])
    [(_column, _id, kind, labels)] = cell_plan(version, columns, 0).positions
    return kind, cell_value(kind, labels, value), columns[0].width


__all__ = ["answer", "cell", "define", "display_answer"]
