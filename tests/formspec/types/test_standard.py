from qaf.formspec.display import answer_sections
from qaf.formspec.spec import FormSpec, Section
from tests.formspec.types.asking import answer, cell, define, display_answer

STANDARD = "{id: plan_smart, type: standard, label: The plan is SMART, thing: whether the plan is SMART}"


def test_a_standard_brings_its_evidence_box():
    standard, evidence = define(STANDARD, audience="auditor")
    assert [option.value for option in standard.options] == ["met", "partly_met", "not_met", "not_applicable"]
    assert (evidence.id, evidence.type, evidence.evidence_for, evidence.required) == (
        "plan_smart_evidence",
        "long_text",
        "plan_smart",
        False,
    )


def test_a_standard_is_inline_radios_read_with_its_evidence():
    standard, evidence = define(STANDARD, audience="auditor")
    assert answer(standard, ("plan_smart", "met"))[2]["params"]["classes"] == "govuk-radios--inline"
    assert display_answer(standard, "not_met") == "Not met"
    spec = FormSpec("a", "1", "A", "auditor", "", (Section("S", questions=(standard, evidence)),))
    [row] = answer_sections(spec, {"plan_smart": "met", "plan_smart_evidence": "Seen"})[0].rows
    assert (row.answer, row.evidence) == ("Met", "Seen")


def test_a_standard_exports_its_label_and_has_no_summary_spread():
    standard, _evidence = define(STANDARD, audience="auditor")
    assert cell(standard, "met") == ("choice", "Met", 22)
    assert not standard.kind.shows_distribution
