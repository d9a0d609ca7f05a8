"""The QA team's forms, defined like every other form."""

from qaf.formspec import Option, Question, staff_form_spec
from qaf.policy import ROLE_LABELS

PERSON = staff_form_spec(
    "person",
    "Person",
    Question(id="name", type="text", label="Full name", thing="their full name", max_length=120),
    Question(id="email", type="email", label="Email address", thing="their email address", max_length=254),
    Question(
        id="role",
        type="radios",
        label="Role",
        thing="a role",
        options=tuple(Option(role.value, label) for role, label in ROLE_LABELS.items()),
    ),
    Question(id="team", type="select", label="Team", thing="a team", required=False),
    Question(
        id="service",
        type="select",
        label="Service, if they have no team",
        hint="For a service manager who works across a service rather than in one team",
        thing="a service",
        required=False,
    ),
    Question(id="line_manager", type="select", label="Line manager", thing="a line manager", required=False),
)

SERVICE = staff_form_spec(
    "service",
    "Service",
    Question(
        id="name",
        type="text",
        label="Name of the service",
        hint="For example, Early Help Units, Children's Centres or Youth Justice",
        thing="the name of the service",
        max_length=120,
    ),
)

TEAM = staff_form_spec(
    "team",
    "Team",
    Question(id="name", type="text", label="Name of the team", thing="the name of the team", max_length=120),
    Question(id="service", type="select", label="Service", thing="the service the team is part of"),
    Question(
        id="district",
        type="text",
        label="District or area",
        hint="Reports can be broken down by district",
        thing="the district",
        required=False,
        max_length=120,
    ),
)
