"""The sample rules on known case lists: sizes, filters, one per supervisor, exclusions, and reproducibility."""

from dataclasses import replace
from datetime import date

import pytest

from qaf.programme.sampling import CaseRow, describe, draw

AS_OF = date(2026, 11, 15)


def case(number: int, opened: date, **details) -> CaseRow:
    return CaseRow(id=number, reference=f"EH-{number:04d}", team_id=1, opened_on=opened, **details)


def references(result) -> list[str]:
    return [row.reference for row, _reason in result.picked]


# 30 cases active in the last six months, 10 closed before it, 5 opened after the draw date.
ACTIVE = [case(n, date(2026, 1, 1) + (date(2026, 3, 1) - date(2026, 2, 1)) * (n % 5)) for n in range(1, 31)]
CLOSED_LONG_AGO = [case(n, date(2024, 1, 1), closed_on=date(2025, 3, 1)) for n in range(31, 41)]
NOT_YET_OPEN = [case(n, date(2026, 12, 1)) for n in range(41, 46)]
CASES = ACTIVE + CLOSED_LONG_AGO + NOT_YET_OPEN


def test_a_percentage_of_the_cases_active_in_the_last_months_rounds_up():
    result = draw("percentage_active", {"percent": 10, "months": 6}, CASES, seed=1, as_of=AS_OF)
    assert result.candidates == 30
    assert len(result.picked) == 3
    assert set(references(result)) <= {row.reference for row in ACTIVE}
    assert "10% of 30 cases active 15 May 2026 to 15 November 2026" in result.picked[0][1]
    assert "seed 1" in result.picked[0][1]


def test_a_case_closed_inside_the_window_still_counts_as_active():
    closed_in_window = case(99, date(2025, 1, 1), closed_on=date(2026, 6, 1))
    closed_before = case(98, date(2025, 1, 1), closed_on=date(2026, 5, 14))
    result = draw(
        "percentage_active", {"percent": 100, "months": 6}, [closed_in_window, closed_before], seed=1, as_of=AS_OF
    )
    assert references(result) == ["EH-0099"]


def test_the_same_seed_gives_the_same_sample_and_another_seed_another():
    first = draw("percentage_active", {"percent": 20, "months": 6}, CASES, seed=42, as_of=AS_OF)
    again = draw("percentage_active", {"percent": 20, "months": 6}, list(reversed(CASES)), seed=42, as_of=AS_OF)
    other = draw("percentage_active", {"percent": 20, "months": 6}, CASES, seed=43, as_of=AS_OF)
    assert references(first) == references(again)
    assert references(first) != references(other)


def test_a_fixed_number_is_drawn_and_never_more_than_there_are():
    eight = draw("fixed_count", {"count": 8, "months": 12}, CASES, seed=5, as_of=AS_OF)
    assert len(eight.picked) == 8
    everything = draw("fixed_count", {"count": 500, "months": 12}, CASES, seed=5, as_of=AS_OF)
    assert len(everything.picked) == 30


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({"theme": "open_longer_than", "theme_months": 24}, {"EH-0101"}),
        ({"theme": "agency_type", "agency_type": "health visiting"}, {"EH-0102"}),
        ({"theme": "step_down"}, {"EH-0103"}),
        ({"theme": "plan_open_longer_than", "theme_months": 9}, {"EH-0101", "EH-0104"}),
        ({"theme": "plan_open_longer_than", "theme_months": 12}, {"EH-0101"}),
        ({"theme": "drifting", "theme_months": 3}, {"EH-0101", "EH-0104"}),
    ],
)
def test_a_fixed_number_can_be_filtered_by_theme(parameters, expected):
    themed = [
        # Open three years, assessed long ago, never reviewed: on every time theme.
        case(101, date(2023, 10, 1), assessed_on=date(2023, 11, 1)),
        case(102, date(2026, 10, 1), agency_type="Health visiting", last_reviewed_on=date(2026, 11, 1)),
        case(103, date(2026, 10, 1), step_down=True, last_reviewed_on=date(2026, 11, 1)),
        # Plan open ten months, last reviewed four months ago.
        case(104, date(2025, 12, 1), assessed_on=date(2026, 1, 10), last_reviewed_on=date(2026, 7, 1)),
        # Closed: no longer drifting, whatever its dates.
        case(105, date(2023, 1, 1), assessed_on=date(2023, 2, 1), closed_on=date(2026, 11, 10)),
    ]
    result = draw("fixed_count", {"count": 8, "months": 1, **parameters}, themed, seed=3, as_of=AS_OF)
    assert set(references(result)) == expected


def test_every_flagged_case_opened_or_closed_in_the_previous_month_is_taken():
    flagged = [
        case(1, date(2026, 10, 3), step_down=True),
        case(2, date(2025, 5, 1), closed_on=date(2026, 10, 31), step_up=True),
        case(3, date(2026, 10, 20), returning=True),
        case(4, date(2026, 9, 30), step_down=True),  # September: not the previous month
        case(5, date(2026, 11, 1), step_down=True),  # this month
        case(6, date(2026, 10, 15)),  # no flag
    ]
    steps = draw("flagged_previous_month", {"flags": ["step_up", "step_down"]}, flagged, seed=1, as_of=AS_OF)
    assert references(steps) == ["EH-0001", "EH-0002"]
    assert steps.picked[0][1] == "Step down, opened 3 October 2026: every such case in October 2026 is audited"
    assert steps.picked[1][1] == "Step up, closed 31 October 2026: every such case in October 2026 is audited"
    returning = draw("flagged_previous_month", {"flags": ["returning"]}, flagged, seed=1, as_of=AS_OF)
    assert references(returning) == ["EH-0003"]


@pytest.mark.parametrize("flag", ["step_up", "step_down", "returning"])
def test_a_flagged_case_is_taken_once_in_the_month_its_flag_happened(flag):
    """A step-down or a return opens a case and a step-up closes one (Camden: DEMO-00139, opened 19 June and
    closed 18 November, was drawn in July as a step-down and again in December)."""
    flagged = [case(139, date(2026, 6, 19), closed_on=date(2026, 11, 18), **{flag: True})]
    taken = {
        month: references(draw("flagged_previous_month", {"flags": [flag]}, flagged, seed=1, as_of=as_of))
        for month, as_of in (("July", date(2026, 7, 10)), ("December", date(2026, 12, 2)))
    }
    closes = flag == "step_up"
    assert taken == ({"July": [], "December": ["EH-0139"]} if closes else {"July": ["EH-0139"], "December": []})


def test_a_case_stepped_down_and_later_stepped_up_is_taken_for_each_in_its_own_month():
    both = [case(7, date(2026, 10, 2), closed_on=date(2026, 10, 30), step_down=True, step_up=True)]
    steps = draw("flagged_previous_month", {"flags": ["step_up", "step_down"]}, both, seed=1, as_of=AS_OF)
    assert [reason for _row, reason in steps.picked] == [
        "Step down, opened 2 October 2026; Step up, closed 30 October 2026: every such case in October 2026 is audited"
    ]


def test_at_least_one_case_per_supervisor_then_made_up_to_the_total():
    cases = [case(n, date(2026, 9, 1), supervisor=f"sup{n % 4}@example.gov.uk") for n in range(1, 41)]
    result = draw("per_supervisor", {"per_supervisor": 1, "months": 6}, cases, seed=9, as_of=AS_OF)
    supervisors = [row.supervisor for row, _reason in result.picked]
    assert sorted(supervisors) == [f"sup{n}@example.gov.uk" for n in range(4)]
    assert "for supervisor sup" in result.picked[0][1]
    topped_up = draw("per_supervisor", {"per_supervisor": 1, "months": 6, "count": 10}, cases, seed=9, as_of=AS_OF)
    assert len(topped_up.picked) == 10
    assert {row.supervisor for row, _reason in topped_up.picked} == set(supervisors)
    assert len({row.id for row, _reason in topped_up.picked}) == 10


def test_recently_audited_cases_are_left_out_and_counted():
    exclude = {row.reference for row in ACTIVE[:25]}
    result = draw("percentage_active", {"percent": 50, "months": 6}, CASES, seed=2, as_of=AS_OF, exclude=exclude)
    assert result.excluded == 25
    # Half of the 30 active cases is 15, but only 5 are left to draw.
    assert set(references(result)) == {row.reference for row in ACTIVE[25:]}


def test_cases_chosen_by_hand_are_found_by_reference_and_unknown_ones_reported():
    result = draw("by_hand", {"references": ["eh-0002", "EH-0001", "EH-9999"]}, CASES, seed=1, as_of=AS_OF)
    assert references(result) == ["EH-0002", "EH-0001"]
    assert result.problems == ["There is no case with the reference EH-9999"]


def test_each_rule_reads_as_words():
    assert describe("percentage_active", {"percent": 10, "months": 6}) == "10% of the cases active in the last 6 months"
    assert describe("fixed_count", {"count": 8, "months": 1, "theme": "plan_open_longer_than", "theme_months": 9}) == (
        "8 cases active in the last month, theme: plan open for longer than 9 months"
    )
    assert describe("flagged_previous_month", {"flags": ["step_up", "step_down"]}) == (
        "Every case of the previous month with a flag: step up (closed then), step down (opened then)"
    )
    assert describe("flagged_previous_month", {"flags": ["returning"]}) == (
        "Every case of the previous month with a flag: returning family (opened then)"
    )
    assert describe("per_supervisor", {"per_supervisor": 1, "months": 6}) == (
        "1 case for each supervisor, from the cases active in the last 6 months"
    )


def test_a_case_row_is_open_until_the_day_it_closes():
    row = replace(ACTIVE[0], closed_on=date(2026, 11, 15))
    assert row.open_on(date(2026, 11, 14))
    assert not row.open_on(date(2026, 11, 15))


def test_no_supervisor_recorded_is_not_a_supervisor_with_a_case_of_its_own():
    cases = [case(n, date(2026, 9, 1), supervisor="sup@example.gov.uk") for n in range(1, 4)]
    cases += [case(n, date(2026, 9, 1)) for n in range(4, 10)]
    result = draw("per_supervisor", {"per_supervisor": 1, "months": 6}, cases, seed=9, as_of=AS_OF)
    assert [row.supervisor for row, _reason in result.picked] == ["sup@example.gov.uk"]
    topped_up = draw("per_supervisor", {"per_supervisor": 1, "months": 6, "count": 3}, cases, seed=9, as_of=AS_OF)
    assert len(topped_up.picked) == 3
    assert not any("for supervisor no supervisor" in reason for _row, reason in topped_up.picked)
