"""The editor's own forms, defined like every other form; some are made per page (their options
come from the draft: the earlier questions a condition may name, the options of one of them)."""

from typing import Any

from qaf.formspec import FormSpec, Option, Question, staff_form_spec
from qaf.formspec.spec import HEADLINE_MEASURES, STAGES
from qaf.formspec.types import DEFINITION_TYPES, question_type

# How the editor names each type, in the order it offers them.
TYPE_LABELS = {
    "radios": "One answer from a list (radio buttons)",
    "checkboxes": "Any number of answers from a list (checkboxes)",
    "select": "One answer from a long list (a drop-down list)",
    "yes_no": "Yes or no",
    "agreement": "How much they agree (strongly agree to strongly disagree)",
    "faces": "Five faces, from really bad to really good",
    "scale": "A scale from 0 to 10",
    "standard": "A quality standard (met, partly met, not met, not applicable) with an evidence box",
    "text": "A line of text",
    "long_text": "A paragraph of text",
    "number": "A whole number",
    "date": "A date",
}
HEADLINE_LABELS = {"families_helped": "Families saying the help helped", "partner_satisfaction": "Partner satisfaction"}
DATE_BOUNDS = {
    "earliest": (("today", "Today or later"), ("tomorrow", "Later than today")),
    "latest": (("today", "Today or earlier"), ("yesterday", "Earlier than today")),
}
YES = (Option("yes", "Yes"), Option("no", "No"))

FORM_DETAILS = staff_form_spec(
    "form-details",
    "Title and introduction",
    Question(id="title", type="text", label="Title", hint="The page heading", thing="the title", max_length=200),
    Question(
        id="intro",
        type="long_text",
        label="Introduction",
        hint='A paragraph under the heading. Say how long the form takes as "It takes about 5 minutes"',
        thing="the introduction",
        required=False,
        max_length=2000,
    ),
)

CHOOSE_TYPE = staff_form_spec(
    "question-type",
    "Question type",
    Question(
        id="type",
        type="radios",
        label="What kind of answer does the question take?",
        thing="the kind of answer",
        options=tuple(Option(name, TYPE_LABELS.get(name, name)) for name in DEFINITION_TYPES),
    ),
)

REMOVE = staff_form_spec(
    "remove",
    "Remove",
    Question(id="confirm", type="radios", label="Are you sure?", thing="whether to remove it", options=YES),
)


def section_form(*, audit: bool) -> FormSpec:
    """A section's heading, introduction and, on audit templates, whether the auditor may skip it."""
    fields = [
        Question(id="title", type="text", label="Heading", thing="the section's heading", max_length=200),
        Question(
            id="intro",
            type="long_text",
            label="Introduction",
            thing="the introduction",
            required=False,
            max_length=2000,
        ),
    ]
    if audit:
        fields += [
            Question(
                id="may_not_apply",
                type="radios",
                label="Can the auditor mark this section as not applicable?",
                hint="Its standards are then left out of the percentages",
                thing="whether the auditor can mark the section as not applicable",
                options=YES,
            ),
            Question(
                id="section_id",
                type="text",
                label="Short name",
                hint="Names the section's answers in reports: lower case letters, digits and _, for example "
                "family_history. Leave it empty to have one made from the heading when the auditor can mark "
                "the section as not applicable. Never change it once the section has answers",
                thing="the short name",
                required=False,
                max_length=60,
            ),
        ]
    return staff_form_spec("section", "Section", *fields)


def question_form(type_name: str, *, new: bool, staged: bool) -> FormSpec:
    """The details of a question of ``type_name``: what every question has, then its type's own keys."""
    kind = question_type(type_name)
    fields: list[Question] = []
    if new:
        fields.append(
            Question(
                id="question_id",
                type="text",
                label="Short name",
                hint="Names the answer in reports and never changes: lower case letters, digits and _, "
                "for example help_helped",
                thing="the short name",
                max_length=60,
            )
        )
    fields += [
        Question(id="label", type="text", label="Question", thing="the question", max_length=500),
        Question(id="hint", type="long_text", label="Hint", thing="the hint", required=False, max_length=1000),
        Question(
            id="required",
            type="radios",
            label="Must it be answered?",
            thing="whether it must be answered",
            options=YES,
        ),
    ]
    if "options" in kind.keys:
        fields.append(
            Question(
                id="options",
                type="long_text",
                label="Answers to choose from",
                hint="One a line. Write the label alone (Yes, Sometimes, No), or the stored value, a bar and the "
                "label (help_helped | The help helped), and another bar and a hint if you want one. "
                "Never change the value of an answer people have given",
                thing="the answers to choose from",
                required=False,
                max_length=5000,
            )
        )
    if kind.is_choice:
        fields.append(
            Question(
                id="positive",
                type="text",
                label="Positive answers",
                hint="The stored values that count as positive in reports, separated by commas",
                thing="the positive answers",
                required=False,
                max_length=500,
            )
        )
        fields.append(
            Question(
                id="headline",
                type="radios",
                label="Does it count towards a headline measure?",
                thing="the headline measure",
                required=False,
                options=(
                    Option("none", "No"),
                    *(Option(name, HEADLINE_LABELS.get(name, name)) for name in HEADLINE_MEASURES),
                ),
            )
        )
    if staged:
        fields.append(
            Question(
                id="stages",
                type="checkboxes",
                label="Which stages is it asked at?",
                hint="Tick none to ask it at every stage",
                thing="the stages",
                required=False,
                options=tuple(Option(value, label) for value, label in STAGES),
            )
        )
    fields += _own_fields(type_name)
    return staff_form_spec(f"question-{type_name}", "Question", *fields)


def _own_fields(type_name: str) -> list[Question]:
    keys = question_type(type_name).keys
    fields: list[Question] = []
    if "max_length" in keys:
        fields.append(
            Question(
                id="max_length",
                type="number",
                label="Longest answer, in characters",
                thing="the longest answer",
                required=False,
                min=1,
                max=10000,
            )
        )
    if "min" in keys:
        for name, label in (
            ("min", "Smallest number allowed"),
            ("max", "Largest number allowed"),
        ):
            fields.append(Question(id=name, type="number", label=label, thing=f"the {name}imum", required=False))
    if "low_label" in keys:
        for name, label in (("low_label", "What 0 means"), ("high_label", "What 10 means")):
            fields.append(Question(id=name, type="text", label=label, thing=label.lower(), max_length=100))
    if "earliest" in keys:
        for name, label in (("earliest", "Earliest date allowed"), ("latest", "Latest date allowed")):
            fields.append(
                Question(
                    id=name,
                    type="radios",
                    label=label,
                    thing=label.lower(),
                    required=False,
                    options=(Option("any", "Any date"), *(Option(value, text) for value, text in DATE_BOUNDS[name])),
                )
            )
    return fields


def condition_question_form(choices: list[tuple[str, str]]) -> FormSpec:
    """Step one of a condition: which earlier question it depends on, or none."""
    return staff_form_spec(
        "condition-question",
        "Condition",
        Question(
            id="question",
            type="radios",
            label="Show it only after an earlier answer?",
            hint="Only questions before it with answers to choose from can be named",
            thing="whether it depends on an earlier answer",
            options=(Option("always", "Always show it"), *(Option(value, label) for value, label in choices)),
        ),
    )


def condition_values_form(label: str, options: tuple[Option, ...]) -> FormSpec:
    """Step two of a condition: the answers to that question that show it."""
    return staff_form_spec(
        "condition-values",
        "Condition",
        Question(
            id="values",
            type="checkboxes",
            label=f"Show it when the answer to “{label}” is",
            hint="Tick one or more",
            thing="the answers that show it",
            options=options,
        ),
    )


def alert_form(questions: list[tuple[str, str]]) -> FormSpec:
    """An alert rule: the answers to one question that alert the practitioner's managers."""
    return staff_form_spec(
        "alert",
        "Alert",
        Question(
            id="question",
            type="select",
            label="Question",
            thing="the question",
            options=tuple(Option(value, label) for value, label in questions),
        ),
        Question(
            id="answers",
            type="text",
            label="Answers that raise the alert",
            hint="The stored values, separated by commas, for example not_met, partly_met",
            thing="the answers that raise the alert",
            max_length=500,
        ),
        Question(
            id="reason",
            type="text",
            label="Reason given in the alert",
            thing="the reason",
            max_length=500,
        ),
        Question(
            id="also_tell",
            type="checkboxes",
            label="Who else is told, beyond the practitioner's managers?",
            thing="who else is told",
            required=False,
            options=(Option("practitioner", "The practitioner"), Option("director", "The Director")),
        ),
    )


def form_data(spec: FormSpec, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` for the fields ``spec`` has, for a form opened on what the draft holds."""
    return {question.id: values[question.id] for question in spec.questions if question.id in values}
