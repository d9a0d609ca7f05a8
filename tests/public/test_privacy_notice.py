"""The privacy notice: for each form how long its answers are kept, the lawful basis, who sees them, rights."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qaf.config import PROJECT_ROOT
from qaf.formspec import Code, SpecError, load_forms, parse_spec
from tests.conftest import empty_database, make_app
from tests.formspec.test_loader import GOOD

PUBLIC_AUDIENCES = ("family", "child", "partner", "staff")


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    app = make_app(tmp_path, **getattr(request, "param", {}))
    yield app
    empty_database(app)


def words(page) -> str:
    return " ".join(page.get_text().split())


def test_a_definition_without_retention_months_keeps_answers_for_24_months():
    assert parse_spec(GOOD, "forms/sample.yaml").retention_months == 24


def test_retention_months_sets_the_period_and_leaves_the_stored_version_unchanged():
    default = parse_spec(GOOD, "forms/sample.yaml")
    spec = parse_spec(GOOD + "retention_months: 6\n", "forms/sample.yaml")
    assert spec.retention_months == 6
    # A policy, not what the questions meant: changing it makes no new version of the form.
    assert spec.digest == default.digest
    assert "retention_months" not in spec.snapshot()


@pytest.mark.parametrize("value", ["0", "121", "two", "true", "12.5"])
def test_retention_months_must_be_a_whole_number_of_months_from_1_to_120(value):
    with pytest.raises(SpecError) as caught:
        parse_spec(GOOD + f"retention_months: {value}\n", "forms/sample.yaml")
    [problem] = caught.value.problems
    assert problem.code == Code.SPEC_BAD_VALUE
    assert "retention_months" in str(problem)


def test_the_notice_gives_each_public_forms_period_and_leaves_out_audit_templates(client_request):
    page = client_request.get("/privacy")
    periods = {
        row.select_one("dt").get_text(strip=True): words(row.select_one("dd"))
        for row in page.select(".govuk-summary-list__row")
    }
    forms = load_forms(PROJECT_ROOT / "forms").values()
    assert set(periods) == {spec.title for spec in forms if spec.audience in PUBLIC_AUDIENCES}
    assert all(period.startswith("Kept for 2 years") for period in periods.values())
    closure = next(spec.title for spec in forms if spec.key == "closure")
    assert "with the case reference when a worker sent the link" in periods[closure]


def test_a_forms_own_retention_months_is_the_period_the_notice_states(tmp_path: Path):
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "sample.yaml").write_text(GOOD + "retention_months: 18\n")
    app = make_app(tmp_path, FORMS_DIR=str(folder))
    page = app.test_client().get("/privacy").get_data(as_text=True)
    empty_database(app)
    assert "Kept for 18 months" in page


@pytest.mark.parametrize("app", [{"PRIVACY_CONTACT": "dpo@council.example"}], indirect=True)
def test_the_notice_gives_the_lawful_basis_who_sees_answers_rights_and_the_dpo(client_request):
    text = words(client_request.get("/privacy"))
    assert "Article 6(1)(e) of the UK General Data Protection Regulation" in text
    assert "Article 9(2)(g)" in text
    assert "Data Protection Act 2018, Schedule 1" in text
    assert "quality assurance team" in text
    assert "only reports with totals" in text
    assert "Information Commissioner's Office" in text
    assert "contact dpo@council.example" in text
