"""How often two auditors grading the same case agree: percentage agreement and Cohen's kappa.

Plain Python, no Flask and no database, so the programme pages, the dashboard and the
quarterly workbook can all use it on the pairs they have.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    pairs: int
    agreed: int
    # Share of pairs with the same grade, 0 to 100; None with no pairs.
    percent: float | None
    # Cohen's kappa: agreement beyond what chance gives, -1 to 1; None when chance agreement is
    # certain (every grade in both columns the same), where kappa is not defined.
    kappa: float | None


def agreement(pairs: Iterable[tuple[str, str]]) -> Agreement:
    """Percentage agreement and Cohen's kappa for (first grade, second grade) pairs.

    kappa = (po - pe) / (1 - pe), where po is the share of pairs that agree and pe the
    agreement expected by chance: the sum over grades of the share of first grades that are
    that grade times the share of second grades that are.
    """
    pairs = list(pairs)
    total = len(pairs)
    if total == 0:
        return Agreement(0, 0, None, None)
    agreed = sum(1 for first, second in pairs if first == second)
    firsts = Counter(first for first, _second in pairs)
    seconds = Counter(second for _first, second in pairs)
    return Agreement(total, agreed, agreed / total * 100, kappa(total, agreed, firsts, seconds))


def kappa(total: int, agreed: int, firsts: Mapping[str, int], seconds: Mapping[str, int]) -> float | None:
    """Cohen's kappa from the number of pairs, how many agreed, and how often each grade was given
    first and second: all a sum of counts, so the reports can add them up over teams first."""
    if total == 0:
        return None
    observed = agreed / total
    expected = sum(count * seconds.get(grade, 0) for grade, count in firsts.items()) / (total * total)
    return None if expected == 1 else (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class AgreementRow:
    form_key: str
    period: str
    figures: Agreement


def agreement_by_template_and_period(rows: Iterable[tuple[str, str, str, str]]) -> list[AgreementRow]:
    """One row per (template, period) from (form key, period name, first grade, second grade) rows,
    in order of template, then period."""
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for form_key, period, first, second in rows:
        grouped.setdefault((form_key, period), []).append((first, second))
    return [AgreementRow(key, period, agreement(pairs)) for (key, period), pairs in sorted(grouped.items())]
