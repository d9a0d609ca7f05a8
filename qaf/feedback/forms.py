"""The forms for invitations and rounds, defined like every other form."""

from functools import cache

from qaf.case_reference import CASE_REFERENCE_QUESTION
from qaf.formspec import FormSpec, Option, Question, staff_form_spec
from qaf.formspec.spec import STAGES

STAGE = Question(
    id="stage",
    type="radios",
    label="Stage",
    thing="the stage",
    options=tuple(Option(value, label) for value, label in STAGES),
)

INVITATION_QUESTIONS = (
    Question(id="form", type="radios", label="Which form?", thing="which form"),
    CASE_REFERENCE_QUESTION,
    Question(id="team", type="select", label="Team", thing="the team"),
    STAGE,
)
INVITATION = staff_form_spec("invitation", "Invite a family", *INVITATION_QUESTIONS)

KEPT_UNTIL_SENT = "It is used to send the link and one reminder, then deleted."
SEND_BY = {
    "slip": Option("slip", "I will give the family the slip or the link myself"),
    "sms": Option("sms", "Send it by text message"),
    "email": Option("email", "Send it by email"),
}
SEND_TO = {
    "sms": Question(
        id="mobile",
        type="text",
        label="The family's mobile phone number, if sending it by text message",
        hint=f"For example, 07700 900 982. {KEPT_UNTIL_SENT}",
        required=False,
        max_length=30,
        thing="the family's mobile phone number",
    ),
    "email": Question(
        id="email",
        type="text",
        label="The family's email address, if sending it by email",
        hint=f"{KEPT_UNTIL_SENT}",
        required=False,
        max_length=254,
        thing="the family's email address",
    ),
}


@cache
def invitation_spec(channels: tuple[str, ...]) -> FormSpec:
    """The invitation form, offering to send the link by the ``channels`` QAF can send by here ("sms", "email")."""
    if not channels:
        return INVITATION
    send_by = Question(
        id="send_by",
        type="radios",
        label="How will the family get the link?",
        thing="how the family will get the link",
        options=(SEND_BY["slip"], *(SEND_BY[channel] for channel in channels)),
    )
    return staff_form_spec(
        "invitation", "Invite a family", *INVITATION_QUESTIONS, send_by, *(SEND_TO[channel] for channel in channels)
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

PARTNER_CONTACT_QUESTIONS = (
    Question(
        id="organisation",
        type="text",
        label="Organisation",
        hint="For example, Ashford Oaks Primary School",
        thing="the organisation",
        max_length=120,
    ),
    Question(id="agency_type", type="radios", label="Type of organisation", thing="the type of organisation"),
    Question(
        id="district",
        type="select",
        label="District",
        hint="The district they mostly work in, if there is one",
        thing="the district",
        required=False,
    ),
    Question(
        id="email",
        type="email",
        label="Work email address",
        hint="Each round's link is emailed here",
        thing="their work email address",
        max_length=254,
    ),
)
PARTNER_CONTACT = staff_form_spec("partner-contact", "Partner contact", *PARTNER_CONTACT_QUESTIONS)

EMAIL_PARTNERS = staff_form_spec(
    "email-partners",
    "Email the link to partner contacts",
    Question(
        id="contacts",
        type="checkboxes",
        label="Who should get it?",
        hint="Everyone not yet emailed is chosen to begin with",
        thing="the partner contacts to email",
    ),
)

EMAIL_STAFF = staff_form_spec(
    "email-staff",
    "Email the link to staff",
    Question(
        id="addresses",
        type="long_text",
        label="Staff email addresses",
        hint="One a line, or separated by commas or semicolons. Or choose a CSV file below.",
        required=False,
        max_length=200_000,
        thing="the staff email addresses",
    ),
)
