"""Form definitions: load and check forms/*.yaml, build WTForms classes, render with GOV.UK."""

from qaf.formspec.builder import SpecForm, build_form_class, staff_form_spec
from qaf.formspec.errors import Code, Problem, SpecError
from qaf.formspec.loader import load_forms, load_forms_once, load_spec, parse_spec
from qaf.formspec.spec import FormSpec, Option, Question

__all__ = [
    "Code",
    "Option",
    "FormSpec",
    "Problem",
    "Question",
    "SpecError",
    "SpecForm",
    "build_form_class",
    "load_forms",
    "load_forms_once",
    "load_spec",
    "parse_spec",
    "staff_form_spec",
]
