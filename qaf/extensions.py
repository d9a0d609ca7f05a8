"""The extension objects, created here and init_app-ed by the factory."""

import flask_limiter
from flask import Flask
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter's, taking each app's settings afresh.

    Flask-Limiter keeps the first app's key prefix, storage options and error handling,
    and remembers that a storage was down, for every later app. One process runs one app,
    so only the test suite (an app per test) would notice; each app starts clean here.
    """

    def init_app(self, app: Flask) -> None:
        self._key_prefix = ""
        self._storage_options = {}
        self._swallow_errors = None
        self._in_memory_fallback = []
        self._in_memory_fallback_enabled = False
        self._storage_dead = False
        super().init_app(app)


# Storage comes from RATELIMIT_STORAGE_URI: memory by default, Redis in a deployment with several workers.
# If Redis cannot be reached, each process counts in its own memory until it can (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
