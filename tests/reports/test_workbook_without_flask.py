"""The workbook builder is plain Python: it runs with Flask, Werkzeug and SQLAlchemy unimportable."""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).parents[2]

SCRIPT = r"""
import importlib.abc, io, sys, types
from datetime import datetime

class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {"flask", "flask_wtf", "flask_login", "flask_sqlalchemy", "werkzeug", "sqlalchemy"}:
            raise ImportError(f"{name} is blocked in this test")
        return None

sys.meta_path.insert(0, Blocked())
# qaf/__init__.py builds the Flask app and qaf/formspec/__init__.py the WTForms classes: skip both,
# as a script that only writes workbooks would.
for package in ("qaf", "qaf.formspec"):
    module = types.ModuleType(package)
    module.__path__ = [str(PROJECT / package.replace(".", "/"))]
    sys.modules[package] = module

from qaf.formspec.loader import parse_spec
from qaf.reports.periods import parse_period
from qaf.reports.report import Column, FormData, MeasureValue, ReportData, ScopeMeasures, Table, VersionInfo
from qaf.reports.workbook import build_workbook

spec = parse_spec(
    "key: note\nversion: 1\ntitle: A note\naudience: staff\nsections:\n  - title: Note\n    questions:\n"
    "      - {id: text, type: long_text, label: Your note, thing: your note}\n",
    "note.yaml",
)
version = VersionInfo(1, "note", "1", "1", "A note", "staff", datetime(2026, 10, 1), spec)
rows = [(1, {"text": "=1+1"}, 10, datetime(2026, 11, 1, 9), "Team", "Service", None, None, "1")]
form = FormData("note", "A note", "staff", (version,), 1, (Column("Stage"), Column("Respondent"), Column("Version")),
                lambda: iter(rows))
measure = MeasureValue("feedback_responses", "Feedback responses", "count", "Activity", 1.0, 0.0, 1, 0)
empty = Table("Audits", "Audits", (Column("Audit ID", "int"),), [], "None.")
period = parse_period("2026-27 Q3")
data = ReportData(period, period.previous(), datetime(2027, 1, 1), "A script", [form],
                  ScopeMeasures("All", "", "", (measure,)), [], [], [], empty, empty, empty, [], [version])
content = build_workbook(period, data)
assert content[:2] == b"PK", content[:2]
assert not any(name.split(".")[0] in {"flask", "sqlalchemy", "werkzeug"} for name in sys.modules)
print("built", len(content))
"""


def test_the_workbook_builds_with_flask_blocked():
    code = f"from pathlib import Path\nPROJECT = Path({str(PROJECT)!r})\n" + SCRIPT
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built ")
