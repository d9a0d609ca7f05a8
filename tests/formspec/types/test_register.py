"""The register: every type a definition in forms/ names is one registered class."""

from pathlib import Path

import pytest
import yaml

from qaf.formspec.types import DEFINITION_TYPES, question_type, type_names

FORMS = Path(__file__).parents[3] / "forms"


def _types_in_forms() -> set[str]:
    names = set()
    for path in FORMS.rglob("*.yaml"):
        for section in yaml.safe_load(path.read_text(encoding="utf-8"))["sections"]:
            names |= {question["type"] for question in section["questions"]}
    return names


def test_every_type_named_in_forms_is_registered_for_definitions():
    assert _types_in_forms()
    assert _types_in_forms() <= set(DEFINITION_TYPES)


@pytest.mark.parametrize("name", type_names())
def test_each_registered_type_is_found_by_its_name(name):
    assert question_type(name).name == name


def test_types_for_forms_defined_in_code_are_not_offered_to_definitions():
    assert {"email", "new_password", "current_password"} <= set(type_names())
    assert not {"email", "new_password", "current_password"} & set(DEFINITION_TYPES)


def test_a_name_no_type_has_says_so():
    with pytest.raises(KeyError, match="no question type is called 'radio'"):
        question_type("radio")
