"""Form definitions in and out as YAML: the current version of a form as its file would hold it,
and a YAML file read into a draft (``qaf export-form`` / ``qaf import-form``, the download button)."""

import json
from pathlib import Path
from typing import Any

import yaml
from flask import current_app

from qaf.formspec import FormSpec, SpecError, parse_spec


def file_definition(spec: FormSpec) -> dict[str, Any]:
    """The raw definition of a form loaded from forms/, as plain JSON data."""
    path = Path(current_app.config["FORMS_DIR"]).parent / spec.path
    definition: dict[str, Any] = as_json_data(yaml.safe_load(path.read_text(encoding="utf-8")))
    return definition


def as_json_data(raw: Any) -> Any:
    """YAML's values as JSON keeps them: a date written unquoted becomes its text."""
    return json.loads(json.dumps(raw, default=str))


def definition_yaml(definition: dict[str, Any]) -> str:
    """A definition as a YAML file in forms/ would hold it, keys in the order they were written."""
    return yaml.safe_dump(definition, sort_keys=False, allow_unicode=True, width=100)


def read_definition(text: str, file: str) -> tuple[dict[str, Any], FormSpec]:
    """A YAML definition checked by the loader: every problem with its line, as ``SpecError``."""
    spec = parse_spec(text, file)
    raw = as_json_data(yaml.safe_load(text))
    if not isinstance(raw, dict):
        raise SpecError([])
    return raw, spec
