"""The Notify stand-in's fixtures, for the pages here that send a round's link (tests/notify/conftest.py)."""

from tests.notify.conftest import notify, notify_app

__all__ = ["notify", "notify_app"]
