"""Turn a form definition into a WTForms class: the one place question types become fields."""

from dataclasses import replace
from typing import Any

from flask_wtf import FlaskForm

from qaf.formspec.fields import AnswerField, DateAnswerField, ManyAnswersField
from qaf.formspec.loader import spec_digest
from qaf.formspec.spec import STAGES, FormSpec, Option, Question, Section

STAGE_QUESTION = Question(
    id="stage",
    type="radios",
    label="When are you giving this feedback?",
    thing="when you are giving this feedback",
    options=tuple(Option(value, label) for value, label in STAGES),
)
TEAM_QUESTION = Question(
    id="team",
    type="select",
    label="Which team has been working with you?",
    hint="If you are not sure, choose the nearest place you went to",
    thing="the team that has been working with you",
)
CONTEXT_QUESTIONS = {"team": TEAM_QUESTION, "stage": STAGE_QUESTION}

_classes: dict[tuple[str, type], type[FlaskForm]] = {}


def _field_for(question: Question) -> AnswerField:
    if question.type == "checkboxes":
        return ManyAnswersField(question=question)
    if question.type == "date":
        return DateAnswerField(question=question)
    return AnswerField(question=question)


class SpecForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF has no type hints
    """The base of every generated form."""

    spec: FormSpec
    # A draft may be saved with questions unanswered; what is answered is still checked.
    allow_incomplete = False

    class Meta:
        # CSRFProtect checks every POST in the app before any view runs (and pages that take an
        # upload check it themselves): checking the token a second time here would add nothing.
        csrf = False

    def question_fields(self) -> list[AnswerField]:
        """Context fields first, then the questions in page order: the order of the error summary."""
        names = [*self.spec.context, *(question.id for question in self.spec.questions)]
        return [self[name] for name in names]

    def set_options(self, name: str, options: list[tuple[str, str]]) -> None:
        """Options that come from the database (teams, people) are supplied by the view: a form never queries."""
        if name in self:
            field = self[name]
            field.question = replace(field.question, options=tuple(Option(value, label) for value, label in options))

    def add_error(self, name: str, message: str) -> None:
        """Record a problem found after validation (a wrong password, an email already in use)."""
        self[name].errors = [*self[name].errors, message]

    def answers(self) -> dict[str, Any]:
        """The typed answers to the definition's questions, leaving out unanswered ones."""
        answers = {}
        for question in self.spec.questions:
            value = self[question.id].answer
            if value is not None:
                answers[question.id] = value
        return answers


def staff_form_spec(key: str, title: str, *questions: Question) -> FormSpec:
    """A form defined in code (sign-in, people, teams), built and rendered like every other form."""
    spec = FormSpec(
        key=key,
        version="code",
        title=title,
        audience="auditor",
        intro="",
        sections=(Section(title=title, questions=questions),),
    )
    return replace(spec, digest=spec_digest(spec))


def build_form_class(spec: FormSpec, base: type[SpecForm] = SpecForm) -> type[SpecForm]:
    """The WTForms class for a definition, built once per definition version and cached."""
    cache_key = (spec.digest, base)
    if cache_key not in _classes:
        fields: dict[str, Any] = {"spec": spec}
        for name in spec.context:
            fields[name] = _field_for(CONTEXT_QUESTIONS[name])
        for question in spec.questions:
            fields[question.id] = _field_for(question)
        _classes[cache_key] = type(f"{spec.key.title().replace('-', '')}Form", (base,), fields)
    return _classes[cache_key]
