"""The Summary sheet's two charts, read back from the file's drawing: they never overlap."""

import io
import re
from datetime import date
from zipfile import ZipFile

from qaf.reports.collect import collect_report
from qaf.reports.periods import parse_period
from qaf.reports.workbook import build_workbook
from tests.reports.conftest import FAMILY_ANSWERS, IN_Q3, TODAY, action, audit, respond
from tests.reports.test_workbook import EHAT, STAFF_ANSWERS

ANCHOR = re.compile(
    rb"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?</xdr:from>"
    rb"<xdr:to><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>",
    re.DOTALL,
)


def chart_anchors(app) -> list[tuple[int, int, int, int]]:
    """(first column, first row, last column, last row) of every chart in the workbook."""
    with app.app_context():
        period = parse_period("2026-27 Q3")
        content = build_workbook(period, collect_report(period, made_by="Test Runner", today=TODAY))
    assert content is not None
    anchors = []
    with ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/drawings/drawing") and name.endswith(".xml"):
                anchors += [tuple(int(n) for n in found) for found in ANCHOR.findall(archive.read(name))]
    return anchors


def test_the_two_summary_charts_do_not_overlap_however_many_measures_are_charted(app, staff):
    respond(app, FAMILY_ANSWERS)
    respond(app, {"overall_satisfaction": "satisfied"}, form="partner", stage=None)
    for _ in range(5):
        respond(app, STAFF_ANSWERS, form="staff-survey", stage=None)
    first = audit(app, staff, EHAT)
    action(app, staff, first, raised=IN_Q3, due=date(2026, 12, 1))
    anchors = chart_anchors(app)
    assert len(anchors) == 2
    (_c1, top1, _c2, bottom1), (_c3, top2, _c4, bottom2) = sorted(anchors, key=lambda anchor: anchor[1])
    assert bottom1 - top1 >= 12  # seven shares charted: a tall chart
    assert top2 > bottom1


def test_the_actions_chart_sits_below_a_short_shares_chart_too(app, staff):
    first = audit(app, staff, EHAT)
    action(app, staff, first, raised=IN_Q3, due=date(2026, 12, 1))
    (_c1, top1, _c2, bottom1), (_c3, top2, _c4, _bottom2) = sorted(chart_anchors(app), key=lambda anchor: anchor[1])
    assert top2 > bottom1
