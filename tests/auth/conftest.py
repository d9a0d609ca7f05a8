"""The auth tests' own fixtures: a real OpenID Connect provider, one a test process."""

from collections.abc import Iterator

import pytest

from tests.auth.oidc import Provider, start_provider, stop_provider


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    provider = start_provider()
    yield provider
    stop_provider(provider)
