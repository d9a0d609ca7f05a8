"""QAF: the feedback and audit platform behind an early-help quality assurance framework."""

import os
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from qaf.config import PROJECT_ROOT, load_config
from qaf.database import configure_engine
from qaf.deployment import check_deployment
from qaf.extensions import csrf, db, limiter, migrate
from qaf.formspec import load_forms_once
from qaf.formspec.display import answer_sections
from qaf.formspec.shown_when import shown_when
from qaf.formspec.widgets import error_summary_items, govuk_widget
from qaf.jobs import init_jobs
from qaf.models import ACTION_STATUSES
from qaf.request_logs import init_request_logs


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, then ``test_config`` over them, then extensions, forms, pages and CLI.

    Raises ``SpecError`` listing every problem if a form definition is broken.
    """
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        static_url_path="/assets",
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    check_deployment(app.config, os.environ)

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)

    app.extensions["qaf_forms"] = load_forms_once(Path(app.config["FORMS_DIR"]))
    from qaf.audits.alerts import unreachable_recipients

    for warning in unreachable_recipients(app.extensions["qaf_forms"].values(), app.config):
        app.logger.warning(warning)

    from qaf import (
        admin,
        audits,
        auth,
        cli,
        complaints,
        editor,
        errors,
        feedback,
        health,
        navigation,
        programme,
        public,
        security,
    )
    from qaf.audits.display import grade_label, moderation_text
    from qaf.auth.council_sign_in import council_sign_in_on, init_council_sign_in
    from qaf.auth.local_passwords import password_allowed, passwords_on
    from qaf.auth.sessions import init_sessions
    from qaf.reports.views import bp as reports_bp

    init_request_logs(app)
    security.init_security(app)
    errors.init_error_pages(app)
    init_sessions(app)
    init_council_sign_in(app)
    # Only sign-in is throttled: checking every feedback request for limits it has none of costs ~10%.
    limiter.exempt(public.bp)
    limiter.exempt(health.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(audits.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(programme.bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(complaints.bp)
    app.register_blueprint(editor.bp)
    cli.init_cli(app)
    init_jobs(app)

    app.jinja_env.globals |= {
        "govuk_widget": govuk_widget,
        "shown_when": shown_when,
        "error_summary_items": error_summary_items,
        "staff_navigation": navigation.staff_navigation,
        "role_label": navigation.role_label,
        "can": navigation.template_can,
        "grade_label": grade_label,
        "moderation_text": moderation_text,
        "answer_sections": answer_sections,
        "statuses": ACTION_STATUSES,
        "council_sign_in_on": council_sign_in_on,
        "password_allowed": password_allowed,
        "passwords_on": passwords_on,
    }
    app.jinja_env.filters["uk_time"] = navigation.uk_time

    @app.context_processor
    def _service() -> dict[str, Any]:
        return {
            "service_name": app.config["SERVICE_NAME"],
            "council_name": app.config["COUNCIL_NAME"],
            "complaints_url": app.config["COMPLAINTS_URL"],
            "help_now_text": app.config["HELP_NOW_TEXT"],
            "privacy_contact": app.config["PRIVACY_CONTACT"],
        }

    return app
