"""Every route has an access rule, kebab-case URLs and typed ids."""

import re

PUBLIC_ENDPOINTS = {"static"}


def test_every_view_declares_the_action_it_requires(app):
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in PUBLIC_ENDPOINTS and not hasattr(view, "required_action")
    ]
    assert missing == []


def test_urls_are_kebab_case(app):
    for rule in app.url_map.iter_rules():
        fixed_parts = re.sub(r"<[^>]+>", "", rule.rule)
        assert re.fullmatch(r"[a-z0-9/\-.]*", fixed_parts), rule.rule
