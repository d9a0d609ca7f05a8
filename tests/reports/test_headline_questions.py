"""A form says which question feeds a headline measure (``headline:``); its id does not matter."""

import pytest
from sqlalchemy import select

from qaf.extensions import db
from qaf.formspec import parse_spec
from qaf.models import FormVersion
from tests.reports.conftest import headline, respond, workbook_for

COUNCIL_FORM = """\
key: our-family-form
version: 1
title: How did we do?
audience: family
sections:
  - title: The help
    questions:
      - id: made_a_difference
        type: yes_no
        label: Did our help make a difference?
        {headline}
"""


def test_a_council_form_feeds_families_helped_from_the_question_it_marks(app, staff):
    form = parse_spec(COUNCIL_FORM.format(headline="headline: families_helped"), "forms/ours.yaml")
    respond(app, {"made_a_difference": "yes"}, form=form)
    respond(app, {"made_a_difference": "no"}, form=form)
    helped = headline(workbook_for(app))["Families saying the help helped"]
    assert (helped["This period"], helped["Based on"]) == (0.5, 2)


def test_a_question_not_marked_feeds_no_headline_whatever_its_id(app, staff):
    unmarked = COUNCIL_FORM.format(headline="").replace("made_a_difference", "help_helped")
    form = parse_spec(unmarked, "forms/ours.yaml")
    respond(app, {"help_helped": "yes"}, form=form)
    helped = headline(workbook_for(app))["Families saying the help helped"]
    assert (helped["This period"], helped["Based on"]) == (None, 0)


@pytest.mark.parametrize("form_key", ["family", "partner"])
def test_versions_stored_before_headline_marks_are_marked_by_the_migration(bare_app_at_previous_revision, form_key):
    """A version stored by the revision before, without marks, counts after `qaf init-db`."""
    app, stored = bare_app_at_previous_revision(form_key)
    result = app.test_cli_runner().invoke(args=["qaf", "init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        spec = db.session.get(FormVersion, stored).as_spec()
    marked = [question.id for question in spec.questions if question.headline]
    assert marked == ["help_helped" if form_key == "family" else "overall_satisfaction"]


@pytest.fixture
def bare_app_at_previous_revision(tmp_path):
    from qaf.forms_registry import file_forms
    from tests.conftest import empty_database
    from tests.migrations import app_at_revision

    apps = []

    def make(form_key: str):
        app = app_at_revision(tmp_path, "f1a2b3c4d5e6")
        apps.append(app)
        with app.app_context():
            # The files' definitions: that revision had no forms published in the browser.
            spec = file_forms()[form_key]
            snapshot = spec.snapshot()
            for section in snapshot["sections"]:
                for question in section["questions"]:
                    question.pop("headline", None)  # as stored before definitions could mark it
            version = FormVersion(
                form_key=spec.key, version=spec.version, digest="before-headlines", title=spec.title, spec=snapshot
            )
            db.session.add(version)
            db.session.commit()
            assert db.session.scalar(select(FormVersion.id).where(FormVersion.digest == "before-headlines"))
            return app, version.id

    yield make
    for app in apps:
        empty_database(app)
