"""Every table sits in its own scrolling region (templates/components/table.html), so that on a phone a wide
table scrolls by itself and the page never sideways (WCAG 1.4.10). The browser test checks the pages."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).parent.parent / "templates"
WITH_TABLES = sorted(path for path in TEMPLATES.rglob("*.html") if "<table" in path.read_text())


@pytest.mark.parametrize("template", WITH_TABLES, ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_each_table_is_in_a_scrolling_region_named_for_it(template):
    text = template.read_text()
    tables = re.findall(r"\{% call table_container\((.+?)\) %\}\s*<table ", text)
    assert len(tables) == text.count("<table "), "wrap each <table> in {% call table_container(caption) %}"
    assert all(label.strip() for label in tables)


def test_some_templates_have_tables():
    assert len(WITH_TABLES) > 20
