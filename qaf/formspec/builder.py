"""Turn a form definition into a WTForms class: each question gets the field its type names."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from flask_wtf import FlaskForm

from qaf.formspec.conditions import Hidden, hidden_questions
from qaf.formspec.fields import AnswerField
from qaf.formspec.loader import spec_digest
from qaf.formspec.shown_when import condition_hint
from qaf.formspec.spec import OPTION_SOURCES, STAGES, FormSpec, Option, Question, Section

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


class SpecForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF has no type hints
    """The base of every generated form."""

    spec: FormSpec
    # A draft may be saved with questions unanswered; what is answered is still checked.
    allow_incomplete = False
    # The stage the link gives (an invitation, ``?stage=``): set with ``set_stage``.
    given_stage: str | None = None

    class Meta:
        # CSRFProtect checks every POST in the app before any view runs (and pages that take an
        # upload check it themselves): checking the token a second time here would add nothing.
        csrf = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for question in self.spec.questions:
            if question.show_if is not None:
                self[question.id].condition_hint = condition_hint(self.spec, question.show_if)

    def question_fields(self) -> list[AnswerField]:
        """Context fields first, then the questions the page shows, in page order: the order of the error summary."""
        names = [*self.spec.context, *(question.id for question in self.spec.questions if self.asks(question))]
        return [self[name] for name in names]

    def set_stage(self, stage: str) -> None:
        """The stage the link gives: not asked again, and a question limited to other stages is left out.

        A question limited to stages that include it is then asked like any other, with no hint about stages.
        """
        self.given_stage = stage
        if "stage" in self:
            self["stage"].data = stage
        for question in self.spec.questions:
            if stage in question.stages:
                field = self[question.id]
                field.question = replace(field.question, stages=())

    def current_stage(self) -> str | None:
        """The stage of this response: given by the link or chosen on the page; None while not known."""
        if self.given_stage:
            return self.given_stage
        return (self["stage"].data or None) if "stage" in self else None

    def _current(self, question: Question) -> Question:
        # The question as this form has it: with the options the view supplied, stages cleared by set_stage.
        return self[question.id].question if question.id in self else question

    def _stage_applies(self, current: Question) -> bool:
        # Not at a stage the question is not asked at, nor when its options come from a source that gave none.
        if current.options_from and not current.options:
            return False
        stage = self.current_stage()
        return not current.stages or stage is None or stage in current.stages

    def hidden(self) -> dict[str, Hidden]:
        """The questions these answers do not show, and why: the one rule for what is checked and kept.

        A question whose ``show_if`` is not met, one in a section not shown or marked not applicable, and
        one asked at other stages than this response's (qaf.formspec.conditions decides, as the reports do).
        """
        return hidden_questions(self.spec, _FieldAnswers(self), self.current_stage())

    def applies(self, question: Question) -> bool:
        """Whether an answer to ``question`` is checked and kept: it is shown by these answers at this
        stage, and its options, when they come from a source, are not empty.

        A draft (``allow_incomplete``) also checks and keeps an answer the other answers hide: the auditor
        who ticks a section not applicable and saves, then unticks it, finds the section as they left it.
        Submitting drops it.
        """
        return self._stage_applies(self._current(question)) and question.id not in self._dropped()

    def _dropped(self) -> Mapping[str, Hidden]:
        # The hidden questions whose answers are not kept: none in a draft.
        return {} if self.allow_incomplete else self.hidden()

    def must_answer(self, question: Question) -> bool:
        """Whether an empty answer is an error: a required question the answers show, at its stages only."""
        current = self._current(question)
        if not current.required or self.allow_incomplete or not self.applies(current):
            return False
        return not current.stages or self.current_stage() in current.stages

    def asks(self, question: Question) -> bool:
        """Whether the page shows ``question``: all but those that do not apply to the stage the link gives
        (a stage chosen on the page can change, so there they are shown, with a hint) or have no options.

        A question on a condition is on the page too, with a hint saying when to answer it (and hidden by
        the page's script until then): its answer is dropped when the condition is not met.
        """
        current = self._current(question)
        if current.options_from and not current.options:
            return False
        return self.given_stage is None or self._stage_applies(current)

    def fill_options(self, source: str, values: Iterable[str]) -> None:
        """The options of questions with ``options_from: <source>``, passed by the view: a form never queries.

        Stored as the value itself (a district's name), sorted, followed by the source's own last option.
        With no values the question is left out: a list of one "Other" answer is no question.
        """
        last = OPTION_SOURCES[source]
        names = sorted({value.strip() for value in values if value.strip()} - {last}, key=str.casefold)
        options = (*(Option(name, name) for name in names), Option(last, last)) if names else ()
        for question in self.spec.questions:
            if question.options_from == source:
                field = self[question.id]
                field.question = replace(field.question, options=options)

    def set_options(self, name: str, options: list[tuple[str, str]]) -> None:
        """Options that come from the database (teams, people) are supplied by the view: a form never queries."""
        if name in self:
            field = self[name]
            field.question = replace(field.question, options=tuple(Option(value, label) for value, label in options))

    def add_error(self, name: str, message: str) -> None:
        """Record a problem found after validation (a wrong password, an email already in use)."""
        self[name].errors = [*self[name].errors, message]

    def answers(self) -> dict[str, Any]:
        """The typed answers to the definition's questions, leaving out unanswered ones and those the
        answers hide (in a draft, those are kept: see ``applies``)."""
        answers = {}
        hidden = self._dropped()
        for question in self.spec.questions:
            if question.id in hidden or not self._stage_applies(self._current(question)):
                continue
            value = self[question.id].answer
            if value is not None:
                answers[question.id] = value
        return answers


class _FieldAnswers(Mapping[str, Any]):
    """The answers as sent, read from the form's fields when a condition asks for one."""

    def __init__(self, form: SpecForm):
        self._form = form

    def __getitem__(self, key: str) -> Any:
        if key not in self._form or (answer := self._form[key].answer) is None:
            raise KeyError(key)
        return answer

    def __iter__(self) -> Iterator[str]:
        return (question.id for question in self._form.spec.questions if question.id in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
            fields[name] = CONTEXT_QUESTIONS[name].kind.field(CONTEXT_QUESTIONS[name])
        for question in spec.questions:
            fields[question.id] = question.kind.field(question)
        _classes[cache_key] = type(f"{spec.key.title().replace('-', '')}Form", (base,), fields)
    return _classes[cache_key]
