"""The register of question types: the one place a question's ``type`` is looked up.

Each type is one class (``base.QuestionType``) in a module of its family; a new type is a class
here and a test file in tests/formspec/types/. Everything else asks the type object
(``question.kind``) rather than comparing type names.
"""

from qaf.formspec.spec import Option
from qaf.formspec.types.base import QuestionType
from qaf.formspec.types.choice import Checkboxes, Radios, Select
from qaf.formspec.types.date import Date
from qaf.formspec.types.fixed_choice import Agreement, Faces, Standard, YesNo
from qaf.formspec.types.number import Number, Scale
from qaf.formspec.types.staff import CurrentPassword, Email, NewPassword
from qaf.formspec.types.text import LongText, Text

_REGISTER: dict[str, QuestionType] = {
    kind.name: kind
    for kind in (
        Radios(),
        Checkboxes(),
        Select(),
        Text(),
        LongText(),
        Number(),
        Date(),
        YesNo(),
        Agreement(),
        Scale(),
        Faces(),
        Standard(),
        Email(),
        NewPassword(),
        CurrentPassword(),
    )
}
# The types a definition in forms/ may use, in the order messages list them.
DEFINITION_TYPES = tuple(sorted(name for name, kind in _REGISTER.items() if kind.in_definitions))
# Each type's own options, for the types that have them (yes_no, agreement, scale, faces, standard).
FIXED_OPTIONS: dict[str, tuple[Option, ...]] = {name: kind.options for name, kind in _REGISTER.items() if kind.options}


def question_type(name: str) -> QuestionType:
    """The type object for a question's ``type``; a ``KeyError`` for a name no type has."""
    try:
        return _REGISTER[name]
    except KeyError:
        raise KeyError(f"no question type is called '{name}'") from None


def type_names() -> tuple[str, ...]:
    """Every registered type's name, those used only by forms defined in code included."""
    return tuple(_REGISTER)


__all__ = ["DEFINITION_TYPES", "FIXED_OPTIONS", "QuestionType", "question_type", "type_names"]
