"""Settings come from the environment, with safe defaults."""

from pathlib import Path

from qaf.config import load_config
from tests.conftest import empty_database, make_app


def test_a_secret_key_is_generated_once_into_the_instance_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) == 64
    assert load_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'qaf.sqlite'}"


def test_a_postgresql_url_uses_the_psycopg_3_driver(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://qaf@db.example/qaf")
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://qaf@db.example/qaf"


def test_session_cookies_are_http_only_and_same_site(tmp_path: Path):
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_secure_forces_secure_cookies_even_on_plain_http(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    assert load_config(tmp_path)["SESSION_COOKIE_SECURE"] is True
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True)
    cookie = app.test_client().get("/feedback/family").headers["Set-Cookie"]
    empty_database(app)
    assert cookie.startswith("__Host-qaf-session=")
    assert "Secure" in cookie


def test_rate_limits_are_kept_in_memory_unless_redis_is_configured(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    assert load_config(tmp_path)["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379"
