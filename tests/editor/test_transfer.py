"""Forms out and in as YAML: ``qaf export-form``, ``qaf import-form`` and the download button."""

import yaml
from sqlalchemy import select

from qaf.extensions import db
from qaf.models import FormDraft


def run(app, *args):
    return app.test_cli_runner().invoke(args=["qaf", *args])


def test_export_then_import_makes_a_draft_of_the_changed_file(app, tmp_path):
    result = run(app, "export-form", "family")
    assert result.exit_code == 0, result.output
    definition = yaml.safe_load(result.output)
    assert definition["key"] == "family"
    definition["sections"][0]["questions"][0]["label"] = "Who is answering?"
    path = tmp_path / "family.yaml"
    path.write_text(yaml.safe_dump(definition, sort_keys=False))
    result = run(app, "import-form", str(path))
    assert result.exit_code == 0, result.output
    assert "is now the draft of Tell us about the help your family has had" in result.output
    with app.app_context():
        draft = db.session.scalar(select(FormDraft))
        assert draft.definition["sections"][0]["questions"][0]["label"] == "Who is answering?"
    assert "Who is answering?" in run(app, "export-form", "family", "--draft").output


def test_an_import_with_problems_lists_them_with_lines_and_makes_no_draft(app, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(run(app, "export-form", "family").output.replace("type: radios", "type: radio", 1))
    result = run(app, "import-form", str(path))
    assert result.exit_code == 1
    assert f"{path}:" in result.output
    assert "did you mean 'radios'?" in result.output
    with app.app_context():
        assert db.session.scalar(select(FormDraft)) is None


def test_the_form_page_downloads_the_current_version_as_yaml(app, admin):
    response = admin.client.get("/admin/forms/family/current.yaml")
    assert response.status_code == 200
    assert 'filename="family.yaml"' in response.headers["Content-Disposition"]
    assert yaml.safe_load(response.get_data(as_text=True))["title"] == "Tell us about the help your family has had"
