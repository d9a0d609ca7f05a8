"""Settings, all from environment variables with safe defaults.

This is the only module that reads the environment.
"""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY if set; otherwise generate one once into instance/ and keep it."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    if _environment() == "production":
        return ""  # refused by qaf/deployment.py: a key made on one machine breaks sessions on the others
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return f"sqlite:///{instance_path / 'qaf.sqlite'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _environment() -> str:
    """``production`` (gunicorn.conf.py sets it) or ``development`` (``make run``, the CLI, tests)."""
    return "production" if os.environ.get("QAF_ENV", "development").lower() == "production" else "development"


def _secure_cookies() -> bool:
    default = "true" if _environment() == "production" else "false"
    return os.environ.get("SESSION_COOKIE_SECURE", default).lower() == "true"


def _email_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def load_config(instance_path: Path) -> dict[str, object]:
    """The settings for create_app, with every default safe for a council's use."""
    return {
        # production: SECRET_KEY and a PostgreSQL DATABASE_URL are required (qaf/deployment.py), cookies Secure,
        # logs one JSON object a line.
        "QAF_ENV": _environment(),
        # How many app servers share the database: more than 1 needs Redis for throttling and the job queue.
        "QAF_INSTANCES": int(os.environ.get("QAF_INSTANCES", "1")),
        # "json" (one object a line, with the request id) or "text"; production's default is json.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if _environment() == "production" else "text"),
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # No pre-ping: it costs a round trip per request; recycling replaces old connections instead.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "PASSWORD_HASHING": "standard",
        # Told of audits whose template says so (seed 004: immediate concerns go to the Director).
        "DIRECTOR_EMAIL": os.environ.get("DIRECTOR_EMAIL", ""),
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", "28")),
        "REMINDER_DAYS_BEFORE": int(os.environ.get("REMINDER_DAYS_BEFORE", "7")),
        # Overdue audits and due work are told to the assignee's line manager this many days after they
        # were due (Kent's online audit guidance).
        "ESCALATE_AFTER_DAYS": int(os.environ.get("ESCALATE_AFTER_DAYS", "5")),
        "ORGANISATION_CACHE_SECONDS": float(os.environ.get("ORGANISATION_CACHE_SECONDS", "10")),
        "FORMS_DIR": os.environ.get("FORMS_DIR", str(PROJECT_ROOT / "forms")),
        "FINANCIAL_YEAR_START_MONTH": int(os.environ.get("FINANCIAL_YEAR_START_MONTH", "4")),
        "SERVICE_NAME": os.environ.get("SERVICE_NAME", "Early help feedback"),
        "COUNCIL_NAME": os.environ.get("COUNCIL_NAME", "Your council"),
        "COMPLAINTS_URL": os.environ.get("COMPLAINTS_URL", "https://www.gov.uk/complain-to-your-council"),
        "HELP_NOW_TEXT": os.environ.get(
            "HELP_NOW_TEXT",
            "If a child is in danger now, call 999. To talk to someone about a child's safety, "
            "call the NSPCC helpline on 0808 800 5000.",
        ),
        "PRIVACY_CONTACT": os.environ.get("PRIVACY_CONTACT", "your council's data protection officer"),
        # Staff and partner pages: where a safeguarding concern goes (e.g. "the Front Door (MASH) on 03000 411111").
        "SAFEGUARDING_CONTACT": os.environ.get("SAFEGUARDING_CONTACT", ""),
        # The accessibility statement: how to report a problem or ask for another format (an email address or text).
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT", ""),
        # 100 KB: far above the largest honest form post, small enough to refuse junk early.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(100 * 1024))),
        "MAX_FORM_MEMORY_SIZE": int(os.environ.get("MAX_CONTENT_LENGTH", str(100 * 1024))),
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("CSRF_TIME_LIMIT_SECONDS", "3600")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure (and named __Host-qaf-session) on every request that came over HTTPS; this forces it on http too.
        "SESSION_COOKIE_SECURE": _secure_cookies(),
        "SESSION_COOKIE_NAME": "qaf-session",
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", "10")),
        # Where JavaScript runs, the audit page warns this long before the idle timeout and offers to stay signed in.
        "SESSION_WARNING_MINUTES": float(os.environ.get("SESSION_WARNING_MINUTES", "2")),
        # Answers posted as a session ended are held this long for the same person to sign in again.
        "HELD_ANSWERS_MINUTES": int(os.environ.get("HELD_ANSWERS_MINUTES", "60")),
        # Where JavaScript runs, an audit's draft is saved this long after a change (0: never automatically).
        "AUTOSAVE_SECONDS": float(os.environ.get("AUTOSAVE_SECONDS", "30")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Redis down: count in each process's memory (logged) rather than fail sign-in; retry Redis now and then.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": (
            {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
            if os.environ.get("RATELIMIT_STORAGE_URI", "").startswith("redis")
            else {}
        ),
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        # Failed sign-ins: per account from one address, per address, and the lock per account from anywhere.
        "SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS": os.environ.get(
            # SIGN_IN_LIMIT_PER_ACCOUNT was this setting's name before the account lock came.
            "SIGN_IN_LIMIT_PER_ACCOUNT_AND_ADDRESS",
            os.environ.get("SIGN_IN_LIMIT_PER_ACCOUNT", "10 per 15 minutes"),
        ),
        "SIGN_IN_LIMIT_PER_ADDRESS": os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        "SIGN_IN_LOCK_PER_ACCOUNT": os.environ.get("SIGN_IN_LOCK_PER_ACCOUNT", "100 per day"),
        # Reset and sign-in links asked for one email address (so nobody can fill someone's inbox).
        "EMAILED_LINK_LIMIT_PER_ACCOUNT": os.environ.get("EMAILED_LINK_LIMIT_PER_ACCOUNT", "3 per 15 minutes"),
        "SIGN_IN_LINK_MINUTES": int(os.environ.get("SIGN_IN_LINK_MINUTES", "15")),
        # Responses taken through open links. A family sends one; a children's centre's shared tablet
        # a dozen or two in a busy hour; an all-staff wave link some hundreds in its first day.
        "PUBLIC_LIMIT_PER_ADDRESS": os.environ.get("PUBLIC_LIMIT_PER_ADDRESS", "30 per hour;100 per day"),
        "PUBLIC_LIMIT_PER_LINK": os.environ.get("PUBLIC_LIMIT_PER_LINK", "500 per hour;2000 per day"),
        # Comma-separated networks many people share (the council's offices): limited per link only.
        "PUBLIC_LIMIT_EXEMPT_NETWORKS": os.environ.get("PUBLIC_LIMIT_EXEMPT_NETWORKS", ""),
        # Sooner than this after the page opened, a post is a script's: shown again, not stored.
        "PUBLIC_MIN_FILL_SECONDS": float(os.environ.get("PUBLIC_MIN_FILL_SECONDS", "3")),
        # A post must carry its page's submission token (off only in tests that post without opening the page).
        "PUBLIC_SUBMISSION_TOKEN_REQUIRED": True,
        "PASSWORD_RESET_HOURS": int(os.environ.get("PASSWORD_RESET_HOURS", "2")),
        "SET_PASSWORD_DAYS": int(os.environ.get("SET_PASSWORD_DAYS", "7")),
        # Sign-in with the council's OpenID Connect provider (qaf/auth/council_sign_in.py), e.g. Microsoft Entra ID:
        # the issuer (its discovery document is at ISSUER/.well-known/openid-configuration), and QAF's client there.
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_BUTTON_TEXT": os.environ.get("OIDC_BUTTON_TEXT", "Sign in with your council account"),
        # The ID token's claims that may hold the person's email address, tried in order (README: Entra ID's UPN).
        "OIDC_EMAIL_CLAIMS": tuple(
            claim.strip() for claim in os.environ.get("OIDC_EMAIL_CLAIMS", "email").split(",") if claim.strip()
        ),
        "OIDC_TIMEOUT_SECONDS": float(os.environ.get("OIDC_TIMEOUT_SECONDS", "10")),
        # "off": only the council's sign-in, and passwords (and emailed links) only for BREAK_GLASS_EMAILS.
        "PASSWORD_SIGN_IN": os.environ.get("PASSWORD_SIGN_IN", "on").lower() != "off",
        "BREAK_GLASS_EMAILS": _email_list(os.environ.get("BREAK_GLASS_EMAILS", "")),
        # Unset: links follow the address each request came to (qaf/links.py). Set it in production, where a
        # password reset asked for by anyone must not carry the host their request named.
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", ""),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "qaf@localhost"),
        # How long to wait for the mail server at each step; sending is never inside a request's work.
        "MAIL_TIMEOUT_SECONDS": float(os.environ.get("MAIL_TIMEOUT_SECONDS", "10")),
        # GOV.UK Notify (qaf/notify.py): with a key and the email template, every email goes through Notify
        # instead of SMTP; with the text message template too, families can be sent their link by text.
        "NOTIFY_API_KEY": os.environ.get("NOTIFY_API_KEY", ""),
        "NOTIFY_BASE_URL": os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"),
        # Notify's template ids: email with ((subject)) and ((body)); text message with ((body)).
        "NOTIFY_TEMPLATE_EMAIL": os.environ.get("NOTIFY_TEMPLATE_EMAIL", ""),
        "NOTIFY_TEMPLATE_SMS": os.environ.get("NOTIFY_TEMPLATE_SMS", ""),
        "NOTIFY_TIMEOUT_SECONDS": float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "10")),
        # A family sent their link is reminded once, this many days later, if the link is still waiting.
        "INVITATION_REMINDER_DAYS": int(os.environ.get("INVITATION_REMINDER_DAYS", "7")),
        # The job queue (qaf/jobs.py): a SQLite file beside the database, or redis://host:6379/0 at scale.
        "JOBS_URL": os.environ.get("JOBS_URL", f"sqlite:///{instance_path / 'jobs.sqlite'}"),
        # The queue's name: its key prefix on a Redis that other apps (or other councils' QAF) share.
        "JOBS_NAME": os.environ.get("JOBS_NAME", "qaf"),
        # Run each job at once, inside the request that asks for it; None: only in a test app (TESTING).
        "JOBS_IMMEDIATE": None,
        "WORKER_THREADS": int(os.environ.get("WORKER_THREADS", "2")),
        # Uploaded case lists wait here for the worker (which must see the same folder); deleted once imported.
        "CASE_IMPORT_FOLDER": os.environ.get("CASE_IMPORT_FOLDER", str(instance_path / "case-imports")),
    }
