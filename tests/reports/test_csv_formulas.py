"""A downloaded CSV file never starts a text cell the way a spreadsheet formula starts, full-width forms included."""

import csv
import io

import pytest

from tests.reports.conftest import FAMILY_ANSWERS, respond

DANGEROUS = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    '\uff1dHYPERLINK("http://evil.example")',  # ＝
    "\uff0b1",  # ＋
    "\uff0d1",  # －
    "\uff20SUM(A1)",  # ＠
    " =1+1",
    "  \uff1d1+1",
    "\u3000\uff1d1+1",  # an ideographic space first
    "\n=1+1",
]
HARMLESS = ["Calmer mornings", "1+1=2", "a=b", "x \uff1d y", " kind words"]


def _downloaded_rows(app, staff, client_request, answer: str) -> list[dict[str, str]]:
    respond(app, FAMILY_ANSWERS | {"what_helped": answer})
    client_request.login(staff["qa_admin"]["email"])
    response = client_request.client.post("/reports/download/family", data={"period": "2026-27 Q3"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("answer", DANGEROUS)
def test_an_answer_a_spreadsheet_could_run_starts_with_an_apostrophe(app, staff, client_request, answer):
    (row,) = _downloaded_rows(app, staff, client_request, answer)
    assert row["What was helpful?"] == "'" + answer


@pytest.mark.parametrize("answer", HARMLESS)
def test_other_answers_are_written_as_they_were_given(app, staff, client_request, answer):
    (row,) = _downloaded_rows(app, staff, client_request, answer)
    assert row["What was helpful?"] == answer
