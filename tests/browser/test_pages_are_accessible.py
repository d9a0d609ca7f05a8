"""axe-core finds no WCAG 2.2 AA problems on the pages around the forms, on a phone or a laptop."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/privacy", 200), ("/feedback/family", 200), ("/feedback/child", 200), ("/no-such-page", 404)],
)
def test_page_has_no_accessibility_problems(request, assert_accessible, screen, path, status):
    page = request.getfixturevalue(screen)
    response = page.goto(path)
    assert response is not None
    assert response.status == status
    assert_accessible(page)
