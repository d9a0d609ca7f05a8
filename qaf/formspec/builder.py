"""Turn a form definition into a WTForms class: the one place question types become fields."""

from dataclasses import replace
from typing import Any

from flask_wtf import FlaskForm

from qaf.formspec.fields import AnswerField, DateAnswerField, ManyAnswersField
from qaf.formspec.spec import STAGES, FormSpec, Option, Question

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

    def question_fields(self) -> list[AnswerField]:
        """Context fields first, then the questions in page order: the order of the error summary."""
        names = [*self.spec.context, *(question.id for question in self.spec.questions)]
        return [self[name] for name in names]

    def set_team_options(self, options: list[tuple[str, str]]) -> None:
        """Teams come from the database, so the view supplies them; the form never queries."""
        if "team" in self.spec.context:
            field = self["team"]
            field.question = replace(field.question, options=tuple(Option(value, label) for value, label in options))

    def answers(self) -> dict[str, Any]:
        """The typed answers to the definition's questions, leaving out unanswered ones."""
        answers = {}
        for question in self.spec.questions:
            value = self[question.id].answer
            if value is not None:
                answers[question.id] = value
        return answers


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
