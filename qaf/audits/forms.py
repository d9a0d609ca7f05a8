"""The forms around an audit: starting one, moderating it, raising and updating actions."""

from dataclasses import replace

from qaf.case_reference import CASE_REFERENCE_QUESTION
from qaf.formspec import Option, Question, staff_form_spec
from qaf.models import ACTION_STATUSES

TEMPLATE_QUESTION = Question(id="template", type="radios", label="Which audit?", thing="which audit you are doing")
TEAM_QUESTION = Question(
    id="team",
    type="select",
    label="Team",
    hint="The team that holds the case, or the team, centre or hub audited",
    thing="the team",
)
PRACTITIONER_QUESTION = Question(
    id="practitioner",
    type="select",
    label="Practitioner",
    hint="The worker whose practice you are auditing, if they have an account. Left empty for a case, the case's "
    "worker in the case list. For an observation, who is observed.",
    thing="the practitioner",
    required=False,
)

# Before the audit is chosen: a case reference is needed for an audit of a case only (the template's subject).
START_AUDIT = staff_form_spec(
    "start-audit",
    "Start an audit",
    TEMPLATE_QUESTION,
    replace(
        CASE_REFERENCE_QUESTION,
        required=False,
        hint=CASE_REFERENCE_QUESTION.hint + " Leave empty for an audit of a team, centre or hub, or of a person.",
    ),
    TEAM_QUESTION,
    PRACTITIONER_QUESTION,
)

# Once the audit is known (given by the link or the due work, or chosen and posted), the form asks what its
# subject needs: a case reference for a case, none for a team or a person, and the person observed for a person.
START_AUDIT_OF = {
    "case": staff_form_spec(
        "start-audit",
        "Start an audit",
        TEMPLATE_QUESTION,
        CASE_REFERENCE_QUESTION,
        TEAM_QUESTION,
        PRACTITIONER_QUESTION,
    ),
    "team": staff_form_spec(
        "start-audit",
        "Start an audit",
        TEMPLATE_QUESTION,
        replace(TEAM_QUESTION, hint="The team, centre or hub audited"),
        replace(PRACTITIONER_QUESTION, hint="For an observation, who is observed, if they have an account"),
    ),
    "person": staff_form_spec(
        "start-audit",
        "Start an audit",
        TEMPLATE_QUESTION,
        replace(TEAM_QUESTION, hint="The team of the person observed"),
        replace(
            PRACTITIONER_QUESTION,
            hint="The person whose practice you are observing",
            thing="the person whose practice you are observing",
            required=True,
        ),
    ),
}

MODERATE = staff_form_spec(
    "moderate-audit",
    "Moderate",
    Question(
        id="outcome",
        type="radios",
        label="Do you agree with the auditor's grade?",
        thing="whether you agree with the grade",
        options=(Option("agree", "Yes, I agree"), Option("change", "No, I am changing the grade")),
    ),
    Question(
        id="moderated_grade",
        type="radios",
        label="Moderated grade",
        hint="Only if you are changing the grade",
        thing="the moderated grade",
        required=False,
    ),
    Question(
        id="comment",
        type="long_text",
        label="Moderation comment",
        hint="What good looks like here, and why you agree or changed the grade",
        thing="a moderation comment",
        max_length=2000,
    ),
)

RAISE_ACTION = staff_form_spec(
    "raise-action",
    "Raise an action",
    Question(
        id="target",
        type="long_text",
        label="Target",
        hint="What should be better: the outcome sought",
        thing="the target",
        max_length=1000,
    ),
    Question(
        id="action",
        type="long_text",
        label="Action",
        hint="What will be done to meet the target",
        thing="the action",
        max_length=1000,
    ),
    Question(id="owner", type="select", label="Who owns it?", thing="who owns the action"),
    Question(
        id="workers",
        type="checkboxes",
        label="Workers involved",
        hint="Everyone else who will carry out the action. They are told about it and may update it.",
        thing="the workers involved",
        required=False,
    ),
    Question(id="due_date", type="date", label="Timescale: due date", thing="the due date"),
)

UPDATE_ACTION = staff_form_spec(
    "update-action",
    "Update the action",
    Question(
        id="status",
        type="radios",
        label="Status",
        thing="the status",
        options=tuple(Option(value, label) for value, label in ACTION_STATUSES.items()),
    ),
    Question(
        id="note",
        type="long_text",
        label="Progress note",
        hint="What has been done since the last update",
        thing="a progress note",
        required=False,
        max_length=2000,
    ),
    Question(
        id="outcome",
        type="long_text",
        label="Outcome",
        hint="Needed to mark the action done: what changed, and whether the target was met",
        thing="the outcome",
        required=False,
        max_length=2000,
    ),
)

COMMENT_ON_AUDIT = staff_form_spec(
    "comment-on-audit",
    "Add a comment",
    Question(
        id="comment",
        type="long_text",
        label="Your comment",
        hint="Your side of the evaluation: what is working well, what you are worried about, what needs to happen. "
        "Refer to the case by its reference, not a child's name.",
        thing="your comment",
        max_length=2000,
    ),
)
