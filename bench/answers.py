"""What the benchmarks that build a county's year share: the app on a given database, and made-up answers.

Imported by bench/export.py and bench/dashboard.py (each run as a script from bench/).
"""

import random
from typing import Any

TEXTS = (
    "Our worker came when she said she would and helped us with a routine at bedtime.",
    "Having someone to talk to at the school meetings made a big difference to all of us.",
    "It took a long time before anyone came to see us, and we had to tell our story three times.",
    "I would have liked more help with housing.",
    "The groups at the children's centre were really good.",
    "=1+1 is what my son wrote here",
    "Things are calmer at home now.",
    "Clear analysis of the family history; the plan's actions are specific and owned.",
)


def make_app(database_url: str, **extra: Any) -> Any:
    from qaf import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench-secret-key-of-enough-length", **extra}
    )


def sample_answer(question: Any, rng: random.Random) -> Any:
    """A plausible answer to one question, or None for one left blank (equality questions are optional)."""
    if question.type in ("long_text", "text"):
        return rng.choice(TEXTS) if rng.random() < 0.45 else None
    if question.type == "checkboxes":
        return [option.value for option in question.options if rng.random() < 0.35] or None
    if question.type == "scale":
        return rng.randint(2, 10)
    if question.type == "number":
        return rng.randint(0, 20)
    if question.type == "date":
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if question.type == "standard":
        return rng.choices(["met", "partly_met", "not_met", "not_applicable"], [5, 3, 2, 1])[0]
    if question.options:
        if getattr(question, "equality", False) and rng.random() < 0.3:
            return None
        weights = [len(question.options) - index for index in range(len(question.options))]
        return rng.choices([option.value for option in question.options], weights)[0]
    return None


def answers_for(spec: Any, rng: random.Random) -> dict[str, Any]:
    return {question.id: value for question in spec.questions if (value := sample_answer(question, rng)) is not None}
