"""The form a complaint or compliment is logged and changed with."""

from qaf.formspec import Option, Question, staff_form_spec
from qaf.models import COMPLAINT_KINDS, COMPLAINT_OUTCOMES, COMPLAINT_THEMES

LEARNING_THING = "what was learnt"

COMPLAINT = staff_form_spec(
    "complaint-or-compliment",
    "Complaint or compliment",
    Question(
        id="kind",
        type="radios",
        label="Is it a complaint or a compliment?",
        thing="whether it is a complaint or a compliment",
        options=tuple(Option(value, label) for value, label in COMPLAINT_KINDS.items()),
    ),
    Question(id="received_on", type="date", label="Date received", thing="the date it was received"),
    Question(
        id="team",
        type="select",
        label="Team",
        hint="The team whose work it is about; its service comes with it",
        thing="the team",
    ),
    Question(
        id="theme",
        type="radios",
        label="What is it mainly about?",
        thing="what it is mainly about",
        options=tuple(Option(value, label) for value, label in COMPLAINT_THEMES.items()),
    ),
    Question(
        id="outcome",
        type="select",
        label="Outcome",
        hint="For a complaint only, as the complaints procedure has it now. Leave it at ‘Choose one’ for a compliment.",
        thing="the outcome of the complaint",
        options=tuple(Option(value, label) for value, label in COMPLAINT_OUTCOMES.items()),
        required=False,
    ),
    Question(
        id="learning",
        type="long_text",
        label="What was learnt?",
        hint=(
            "What the team will do differently, or what went well and should be shared. Do not name anyone: "
            "no names, case references, dates of birth or addresses. Add it later if the complaint is in progress."
        ),
        thing=LEARNING_THING,
        max_length=2000,
        required=False,
    ),
)
