"""The QA programme's forms: activities, sample rules and draws, due work, allocations, peer review, thematic work."""

from qaf.csv_upload import Column
from qaf.formspec import Option, Question, staff_form_spec
from qaf.models import FREQUENCIES
from qaf.policy import ROLE_LABELS
from qaf.programme.casefile import COLUMNS
from qaf.programme.sampling import FLAGS, RULE_HINTS, RULES, THEMES

YES_NO = (Option("yes", "Yes"), Option("no", "No"))

ALLOCATION_LINES = {
    "any": "Inside or outside their own line (seed 004)",
    "own_line": "Only cases in their own line: their own team, or their service's teams for a service manager",
    "outside_line": (
        "Only cases or teams outside their own line: teams they do not work in or manage (a peer audit across teams)"
    ),
}


def named_people(label: str, thing: str, *, hint: str = "", required: bool = False) -> Question:
    """Checkboxes of staff (options set by the view, ``people_options``) who do a piece of the programme."""
    return Question(id="people", type="checkboxes", label=label, hint=hint, thing=thing, required=required)


SAMPLE_RULE_QUESTIONS = (
    Question(
        id="sample_rule",
        type="radios",
        label="How are cases chosen?",
        thing="how cases are chosen",
        options=tuple(Option(key, label, hint=RULE_HINTS[key]) for key, label in RULES.items()),
        required=False,
    ),
    Question(
        id="percent",
        type="number",
        label="Percentage of cases",
        hint="For a percentage of cases. Kent: 10",
        thing="the percentage of cases",
        min=1,
        max=100,
        required=False,
    ),
    Question(
        id="count",
        type="number",
        label="Number of cases",
        hint="For a fixed number (Cumbria: 8), or the least in all when choosing for each supervisor",
        thing="the number of cases",
        min=1,
        max=1000,
        required=False,
    ),
    Question(
        id="months",
        type="number",
        label="Cases active in the last how many months?",
        hint="For a percentage (Kent: 6), a fixed number (1 for a month) or each supervisor",
        thing="how many months",
        min=1,
        max=120,
        required=False,
    ),
    Question(
        id="per_supervisor",
        type="number",
        label="Cases for each supervisor",
        hint="For each supervisor: at least this many each (Camden: 1)",
        thing="the number of cases for each supervisor",
        min=1,
        max=20,
        required=False,
    ),
    Question(
        id="theme",
        type="select",
        label="Theme",
        hint="For a fixed number: only cases on this theme",
        thing="the theme",
        options=tuple(Option(key, label) for key, label in THEMES.items()),
        required=False,
    ),
    Question(
        id="theme_months",
        type="number",
        label="Months for the theme",
        hint="For a theme about time: open longer than (e.g. 24), plan open longer than (9 or 12), no review for",
        thing="the months for the theme",
        min=1,
        max=240,
        required=False,
    ),
    Question(
        id="agency_type",
        type="text",
        label="Agency type",
        hint="For the agency type theme, as the case list names it, e.g. Health visiting",
        thing="the agency type",
        max_length=120,
        required=False,
    ),
    Question(
        id="flags",
        type="checkboxes",
        label="Flags",
        hint="For every case with a flag in the previous month",
        thing="the flags",
        options=tuple(Option(key, label) for key, label in FLAGS.items()),
        required=False,
    ),
    Question(
        id="exclude_audited_days",
        type="number",
        label="Leave out cases audited in the last how many days?",
        hint="Leave empty to include them",
        thing="how many days",
        min=1,
        max=3650,
        required=False,
    ),
)

ACTIVITY = staff_form_spec(
    "qa-activity",
    "Activity",
    Question(
        id="name",
        type="text",
        label="Method",
        hint="For example: RFP practice audit, step up / step down audit, unit meeting peer audit, staff survey",
        thing="the method",
        max_length=200,
    ),
    Question(
        id="purpose",
        type="long_text",
        label="Purpose",
        hint="Why it is done, in the schedule's words",
        thing="the purpose",
        max_length=2000,
        required=False,
    ),
    Question(
        id="frequency",
        type="radios",
        label="How often?",
        thing="how often it is done",
        options=tuple(Option(key, label) for key, label in FREQUENCIES.items()),
    ),
    Question(
        id="starts_on",
        type="date",
        label="First period starts",
        hint="Work is due on the last day of each period. For example, 1 4 2026",
        thing="the date the first period starts",
    ),
    Question(
        id="ends_on",
        type="date",
        label="Last day",
        hint="For a one-off activity, the date it is due. Leave empty for a schedule that goes on",
        thing="the last day",
        required=False,
    ),
    Question(
        id="services",
        type="checkboxes",
        label="Services",
        hint=(
            "Tick none for every service, or several for one activity across them "
            "(Kent: a safeguarding audit of each children's centre and youth hub)"
        ),
        thing="the services",
        required=False,
    ),
    Question(
        id="team",
        type="select",
        label="Team",
        hint="Leave empty for every team in scope",
        thing="the team",
        required=False,
    ),
    Question(
        id="each_team",
        type="yes_no",
        label="Is it done by each team?",
        hint="Yes makes one piece of due work for every team in scope (Kent: a peer audit of each unit's meetings)",
        thing="whether each team does it",
        options=YES_NO,
    ),
    Question(
        id="each_person",
        type="yes_no",
        label="Is it done by each person?",
        hint=(
            "Yes makes one piece of due work for every person who does it, each with its own completion, "
            "and no sample (seed 004: every manager completes one practice evaluation a month)"
        ),
        thing="whether each person does it",
        options=YES_NO,
        required=False,
    ),
    Question(
        id="who_role",
        type="select",
        label="Who does it: a role",
        hint="Everyone with this role in the team or service it is for",
        thing="the role",
        options=tuple(Option(role.value, label) for role, label in ROLE_LABELS.items()),
        required=False,
    ),
    named_people("Who does it: named people", "the people who do it"),
    Question(
        id="form_key",
        type="select",
        label="Template",
        hint="The form or audit template the activity uses",
        thing="the template",
        required=False,
    ),
    *SAMPLE_RULE_QUESTIONS,
    Question(
        id="allocation_line",
        type="radios",
        label="Whose cases are auditors given?",
        hint=(
            "Nobody is ever given a case they work on themselves. Outside their line also gives each team's "
            "work, when done by each team, to someone from outside that team, a different one each period; "
            "for work done by each person, it limits the teams they audit"
        ),
        thing="whose cases auditors are given",
        options=tuple(Option(key, label) for key, label in ALLOCATION_LINES.items()),
    ),
)

DRAW_SAMPLE = staff_form_spec(
    "draw-sample",
    "Draw a sample",
    *SAMPLE_RULE_QUESTIONS,
    Question(
        id="references",
        type="long_text",
        label="Case references, for cases chosen by hand",
        hint="One a line, or separated by commas. Used instead of a rule when given",
        thing="the case references",
        max_length=20000,
        required=False,
    ),
    Question(
        id="as_of",
        type="date",
        label="Draw as of",
        hint="The rule looks back from this date. Leave empty for today",
        thing="the date to draw as of",
        required=False,
    ),
    Question(id="due_date", type="date", label="Audits due by", thing="the date the audits are due"),
    Question(
        id="seed",
        type="number",
        label="Seed",
        hint="Leave empty for a new random seed. The same seed over the same cases draws the same sample",
        thing="the seed",
        min=0,
        max=2_000_000_000,
        required=False,
    ),
)

# Shown when the work (or, with none, the month) has a sample already: a second is drawn only when asked for.
DRAW_SAMPLE_AGAIN = staff_form_spec(
    "draw-sample-again",
    "Draw a sample",
    *DRAW_SAMPLE.questions,
    Question(
        id="another",
        type="checkboxes",
        label="A sample has been drawn for this work already",
        hint="A second sample adds its cases to the first's",
        thing="whether to draw another sample",
        options=(Option("yes", "Draw another sample anyway"),),
        required=False,
    ),
)

RECORD_WORK = staff_form_spec(
    "record-work",
    "Record the work",
    Question(id="completed_on", type="date", label="Date completed", thing="the date it was completed", required=False),
    Question(id="reviewed_on", type="date", label="Date reviewed", thing="the date it was reviewed", required=False),
    Question(
        id="next_steps",
        type="long_text",
        label="Next steps",
        hint="What happens next as a result, as the audit matrix records",
        thing="the next steps",
        max_length=4000,
        required=False,
    ),
)

CHANGE_ALLOCATION = staff_form_spec(
    "change-allocation",
    "Change the allocation",
    Question(id="auditor", type="select", label="Auditor", thing="the auditor"),
    Question(id="due_date", type="date", label="Due date", thing="the due date"),
    Question(
        id="cancel",
        type="yes_no",
        label="Cancel this allocation?",
        hint="A cancelled allocation leaves the auditor's list; the case can be allocated again",
        thing="whether to cancel the allocation",
        options=YES_NO,
    ),
)

QUOTA = staff_form_spec(
    "auditor-quota",
    "Monthly quota",
    Question(
        id="per_month",
        type="number",
        label="Most sampled cases a month",
        hint="Seed 004: every manager completes one a month. Leave empty for no limit",
        thing="the number of cases a month",
        min=0,
        max=100,
        required=False,
    ),
)

DRAW_PEER_REVIEWS = staff_form_spec(
    "draw-peer-reviews",
    "Draw audits for peer review",
    Question(id="form_key", type="select", label="Template", thing="the template"),
    Question(id="submitted_from", type="date", label="Audits submitted from", thing="the first day"),
    Question(id="submitted_to", type="date", label="Audits submitted to", thing="the last day"),
    Question(
        id="share",
        type="number",
        label="Percentage to peer review",
        hint="Kent SCS: audits are randomly peer reviewed across the service",
        thing="the percentage to peer review",
        min=1,
        max=100,
    ),
    Question(id="due_date", type="date", label="Second audits due by", thing="the date the second audits are due"),
    Question(
        id="seed",
        type="number",
        label="Seed",
        hint="Leave empty for a new random seed",
        thing="the seed",
        min=0,
        max=2_000_000_000,
        required=False,
    ),
)

SETTLE = staff_form_spec(
    "settle-peer-review",
    "Settle the final grade",
    Question(id="grade", type="radios", label="Final grade", thing="the final grade"),
    Question(
        id="comment",
        type="long_text",
        label="Moderation comment",
        hint="Why this is the grade, and what good looks like here",
        thing="a moderation comment",
        max_length=2000,
    ),
)

# Group moderation (seed 004, 4.6): the QA team may draw from any audit template; managers from the
# collaborative practice evaluation, with nothing to answer.
CHOOSE_GROUP_EVALUATION = staff_form_spec(
    "choose-group-evaluation",
    "Choose this month's evaluation",
    Question(
        id="form_key",
        type="select",
        label="Template",
        hint="The evaluation is drawn from the service's submitted audits of this template",
        thing="the template",
    ),
)
CHOOSE_GROUP_EVALUATION_AS_MANAGER = staff_form_spec(
    "choose-group-evaluation-manager", "Choose this month's evaluation"
)

RECORD_GROUP_MODERATION = staff_form_spec(
    "record-group-moderation",
    "Record the group's moderation",
    Question(
        id="members",
        type="checkboxes",
        label="Who was in the group?",
        hint="The service managers who moderated it together, and anyone from the QA team who took part",
        thing="who was in the group",
    ),
    Question(id="held_on", type="date", label="When did the group meet?", thing="the date the group met"),
    Question(id="grade", type="radios", label="Agreed grade", thing="the agreed grade"),
    Question(
        id="comment",
        type="long_text",
        label="What good looks like",
        hint="The group's feedback to the practitioner and their team manager: why this is the grade, "
        "and what good looks like here",
        thing="the group's feedback",
        max_length=2000,
    ),
)

THEMATIC = staff_form_spec(
    "thematic-evaluation",
    "Terms of reference",
    Question(id="title", type="text", label="Title", thing="the title", max_length=200),
    Question(
        id="why",
        type="long_text",
        label="Why it has been commissioned, and why now",
        thing="why it has been commissioned",
        max_length=4000,
    ),
    Question(
        id="scope",
        type="long_text",
        label="Scope and evaluation criteria",
        hint="What it measures against: legislation, local policy or procedures, or family feedback",
        thing="the scope and criteria",
        max_length=4000,
    ),
    named_people(
        "Who will undertake it",
        "the people who will undertake it",
        hint="Only the people named here are given the evaluation's cases to audit, never a case of their own",
        required=True,
    ),
    Question(
        id="who",
        type="long_text",
        label="Who will undertake it, in words",
        hint="For example: practice development leaders, with a service manager from another service",
        thing="who will undertake it",
        max_length=2000,
        required=False,
    ),
    Question(
        id="how",
        type="long_text",
        label="How it will be undertaken",
        thing="how it will be undertaken",
        max_length=4000,
    ),
    Question(
        id="timescale",
        type="long_text",
        label="Timescale for completion and reporting",
        thing="the timescale",
        max_length=2000,
    ),
    Question(id="due_on", type="date", label="Report due", thing="the date the report is due"),
    Question(id="form_key", type="select", label="Audit template", thing="the audit template"),
)

FINDINGS = staff_form_spec(
    "thematic-findings",
    "Findings and recommendations",
    Question(id="findings", type="long_text", label="Findings", thing="the findings", max_length=20000, required=False),
    Question(
        id="recommendations",
        type="long_text",
        label="Recommendations",
        thing="the recommendations",
        max_length=20000,
        required=False,
    ),
    Question(
        id="completed_on",
        type="date",
        label="Date completed",
        hint="Leave empty while the evaluation is going on",
        thing="the date it was completed",
        required=False,
    ),
)


def _heading_question(column: Column) -> Question:
    also = f" QAF already reads: {', '.join(column.aliases)}." if column.aliases else ""
    return Question(
        id=column.name,
        type="text",
        label=column.name,
        hint=f"{column.meaning[:1].upper()}{column.meaning[1:]}.{also}",
        thing=f"the heading for {column.name}",
        required=False,
        max_length=120,
    )


# The heading the council's case system gives each column, when it is not one QAF already reads.
CASE_HEADINGS = staff_form_spec(
    "case-headings", "Headings in your case system's export", *(_heading_question(column) for column in COLUMNS)
)

# Closing, in one go, the open cases a case list left out (qaf/programme/left_out.py).
CLOSE_LEFT_OUT = staff_form_spec(
    "close-left-out-cases",
    "Close the cases not in this file",
    Question(
        id="close",
        type="yes_no",
        label="Close these cases?",
        hint="Yes: each is closed on the day the file was uploaded and no sample draws it. No: they stay open",
        thing="whether to close these cases",
        options=YES_NO,
    ),
)
