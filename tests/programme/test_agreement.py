"""Percentage agreement and Cohen's kappa, checked against figures worked out by hand."""

import pytest

from qaf.programme.agreement import agreement, agreement_by_template_and_period

# Ten cases graded twice: 7 agree.
#   first grades:  good 6, requires improvement 3, inadequate 1
#   second grades: good 4, requires improvement 4, inadequate 2
#   po = 7/10 = 0.7;  pe = (6*4 + 3*4 + 1*2) / 10^2 = 38/100 = 0.38
#   kappa = (0.7 - 0.38) / (1 - 0.38) = 0.32 / 0.62 = 0.516129...
PAIRS = (
    [("good", "good")] * 4
    + [("requires_improvement", "requires_improvement")] * 2
    + [("inadequate", "inadequate")]
    + [("good", "requires_improvement")] * 2
    + [("requires_improvement", "inadequate")]
)


def test_agreement_and_kappa_match_the_hand_worked_example():
    figures = agreement(PAIRS)
    assert (figures.pairs, figures.agreed) == (10, 7)
    assert figures.percent == pytest.approx(70.0)
    assert figures.kappa == pytest.approx(0.32 / 0.62)
    assert round(figures.kappa, 3) == 0.516


def test_kappa_is_not_defined_when_every_grade_is_the_same():
    figures = agreement([("good", "good")] * 5)
    assert figures.percent == 100
    assert figures.kappa is None


def test_agreement_no_better_than_chance_gives_a_kappa_of_zero_or_less():
    # Each auditor says good half the time, independently of the other: po = 0.5 = pe.
    pairs = [("good", "good"), ("good", "inadequate"), ("inadequate", "good"), ("inadequate", "inadequate")]
    assert agreement(pairs).kappa == pytest.approx(0.0)
    assert agreement([("good", "inadequate"), ("inadequate", "good")]).kappa == pytest.approx(-1.0)


def test_no_pairs_give_no_figures():
    figures = agreement([])
    assert (figures.pairs, figures.percent, figures.kappa) == (0, None, None)


def test_pairs_are_grouped_by_template_and_period():
    rows = agreement_by_template_and_period(
        [
            ("ehat", "2026-27 Q3", "good", "good"),
            ("ehat", "2026-27 Q2", "good", "inadequate"),
            ("ehat", "2026-27 Q3", "good", "inadequate"),
            ("rfp", "2026-27 Q3", "good", "good"),
        ]
    )
    assert [(row.form_key, row.period, row.figures.pairs, row.figures.agreed) for row in rows] == [
        ("ehat", "2026-27 Q2", 1, 0),
        ("ehat", "2026-27 Q3", 2, 1),
        ("rfp", "2026-27 Q3", 1, 1),
    ]
