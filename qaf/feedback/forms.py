"""The forms for invitations and rounds, defined like every other form."""

from qaf.case_reference import CASE_REFERENCE_QUESTION
from qaf.formspec import Option, Question, staff_form_spec
from qaf.formspec.spec import STAGES

STAGE = Question(
    id="stage",
    type="radios",
    label="Stage",
    thing="the stage",
    options=tuple(Option(value, label) for value, label in STAGES),
)

INVITATION = staff_form_spec(
    "invitation",
    "Invite a family",
    Question(id="form", type="radios", label="Which form?", thing="which form"),
    CASE_REFERENCE_QUESTION,
    Question(id="team", type="select", label="Team", thing="the team"),
    STAGE,
)

BULK_INVITATIONS = staff_form_spec(
    "bulk-invitations",
    "Invite families from a CSV file",
    Question(
        id="form",
        type="radios",
        label="Which form, where the file does not say?",
        thing="which form",
    ),
)

ROUND_DETAILS = (
    Question(
        id="name",
        type="text",
        label="Name",
        hint="For example, April to September 2026",
        thing="the name of the round",
        max_length=120,
    ),
    Question(id="opens_on", type="date", label="Opens on", thing="the date it opens"),
    Question(id="closes_on", type="date", label="Closes on", thing="the date it closes"),
    Question(
        id="staff_count",
        type="number",
        label="How many staff were asked to answer?",
        hint="Staff survey waves only: the wave's response rate is its responses out of this number.",
        required=False,
        min=1,
        max=1_000_000,
        thing="the number of staff asked",
    ),
)

ROUND = staff_form_spec(
    "feedback-round",
    "Open a round",
    Question(id="form", type="radios", label="Which form?", thing="which form"),
    *ROUND_DETAILS,
)

# The form of a round or wave is fixed once it is opened: its responses are tagged with it.
ROUND_CHANGES = staff_form_spec("feedback-round-changes", "Change a round", *ROUND_DETAILS)
