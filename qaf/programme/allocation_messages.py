"""What allocating tells the QA team (cases, peer reviews, due work): a green banner only when all of it was done.

An allocation that gave nobody anything, or left cases without an auditor, says so plainly in an
important banner, with the reason for each case left (base.html shows the "important" category so).
"""

from flask import flash

from qaf.programme.peer_review import PeerReviewDraw
from qaf.programme.samples import AllocationOutcome, MoveOutcome

IMPORTANT = "important"


def counted(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def flash_result(summary: str, problems: list[str], *, nothing_done: bool = False) -> None:
    """``summary`` then each problem: as a success only when something was done and nothing was left undone."""
    category = IMPORTANT if nothing_done or problems else "message"
    flash(summary, category)
    for problem in problems:
        flash(problem, category)


def flash_allocation(outcome: AllocationOutcome) -> None:
    """After allocating a sample's cases."""
    left = len(outcome.not_allocated)
    if outcome.allocated == 0 and not left:
        summary = "No cases were allocated: every case in the sample has an auditor already."
    elif outcome.allocated == 0:
        summary = "No cases were allocated."
    elif left:
        summary = f"{counted(outcome.allocated, 'case')} allocated. {counted(left, 'case')} not allocated."
    else:
        summary = f"{counted(outcome.allocated, 'case')} allocated."
    flash_result(
        summary, [f"Not allocated: {problem}" for problem in outcome.not_allocated], nothing_done=outcome.allocated == 0
    )


def flash_peer_review_draw(outcome: PeerReviewDraw, seed: int) -> None:
    """After drawing audits for peer review and giving each to a second auditor."""
    if outcome.candidates == 0:
        summary = "No audits were drawn for peer review: no audits of the template submitted then are waiting."
    elif outcome.drawn == 0:
        summary = "No audits were drawn for peer review."
    else:
        summary = (
            f"{outcome.drawn} of {counted(outcome.candidates, 'audit')} drawn for peer review with seed {seed}. "
            "Each second auditor sees the case in their assigned audits."
        )
    flash_result(
        summary, [f"Not allocated: {problem}" for problem in outcome.not_allocated], nothing_done=outcome.drawn == 0
    )


def flash_moves(outcome: MoveOutcome, done: str, *, cancelling: bool) -> None:
    """After moving (``done``: "moved to Sam Manager") or cancelling many allocations."""
    summary = (
        f"{counted(len(outcome.moved), 'allocation')} {done}." if outcome.moved else f"No allocations were {done}."
    )
    verb = "cancelled" if cancelling else "moved"
    flash_result(summary, [f"Not {verb}: {problem}" for problem in outcome.not_moved], nothing_done=not outcome.moved)
