"""HTX Số (coopdx): the application factory."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from jinja2 import StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as settings
from app import rendering
from app.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment, then ``config`` (tests)."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=True)
    app.url_map.converters["int"] = rendering.RowIdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = rendering.TextSegmentConverter
    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_object(settings.Defaults)
    app.config["ENV_NAME"] = os.environ.get("COOPDX_ENV", "production")
    app.config.update(settings.from_environment(dict(os.environ)))
    app.config.update(overrides or {})
    os.makedirs(app.instance_path, exist_ok=True)
    settings.finalise(app.config, app.instance_path)
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from app import database, i18n, models  # noqa: F401 - models registers every table
    from app.auth import sessions
    from app.standings import upkeep

    db.init_app(app)
    database.configure_engine_events(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    sessions.configure(login_manager)
    app.session_interface = sessions.QuietSessionInterface()
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    htmx.init_app(app)
    upkeep.listen()


def register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_bp
    from app.assessments.views import bp as assessments_bp
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.cooperatives.views import bp as cooperatives_bp
    from app.invitations.views import bp as invitations_bp
    from app.main.views import bp as main_bp
    from app.placements.plan_views import bp as plans_bp
    from app.placements.report_views import bp as monthly_reports_bp
    from app.placements.views import bp as placements_bp
    from app.province_settings.views import bp as province_settings_bp
    from app.results.views import bp as results_bp
    from app.spreadsheets.views import bp as spreadsheets_bp
    from app.targets.views import bp as targets_bp
    from app.training.views import bp as training_bp, verification_bp
    from app.dashboard.views import bp as dashboard_bp
    from app.difficulties.views import bp as difficulties_bp
    from app.exemplars.views import bp as exemplars_bp
    from app.reports.views import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(cooperatives_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(targets_bp)
    app.register_blueprint(training_bp)
    app.register_blueprint(verification_bp)
    app.register_blueprint(spreadsheets_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(placements_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(monthly_reports_bp)
    app.register_blueprint(province_settings_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(difficulties_bp)
    app.register_blueprint(exemplars_bp)
    app.register_blueprint(reports_bp)


def register_request_hooks(app: Flask) -> None:
    from app import form_messages, request_body, security
    from app.auth import sessions

    request_body.register(app)
    app.before_request(sessions.keep_session)
    app.before_request(form_messages.use_app_catalogue)
    app.after_request(security.add_security_headers)
    app.after_request(sessions.forbid_storing_personal_pages)


def register_errorhandlers(app: Flask) -> None:
    from app import errors

    errors.register(app)


def register_template_helpers(app: Flask) -> None:
    from app import assets, i18n

    app.jinja_env.undefined = StrictUndefined
    i18n.register_filters(app)
    rendering.register_globals(app)
    assets.register(app)


def register_commands(app: Flask) -> None:
    from app import commands

    commands.register(app)
