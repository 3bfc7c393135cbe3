"""The grants-competition web application: `create_app` builds it."""
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as default_config
from app.dbtypes import DatabaseIntegerConverter
from app.extensions import assets, babel, bootstrap, compress, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None):
    """Builds the app: defaults, then instance/config.py, then the environment, then `config`."""
    config = dict(config or {})
    app = Flask(
        __name__,
        instance_path=config.pop("INSTANCE_PATH", None)
        or os.environ.get("INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(default_config.Config)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(default_config.from_environment())
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "grants.sqlite3")
    # The remember cookie outlives the session cookie: never let it travel where that one may not.
    app.config["REMEMBER_COOKIE_SECURE"] = (bool(app.config.get("REMEMBER_COOKIE_SECURE"))
                                            or app.config["SESSION_COOKIE_SECURE"])
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseIntegerConverter
    _register_blueprints(app)
    return app


def _instance_secret_key(instance):
    """A random key made once and kept in instance/ (never committed), shared by all workers."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _init_extensions(app):
    from app import i18n, models, page_cache  # noqa: F401  (models: the complete metadata)
    from app.auth.models import load_user

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=lambda: "Asia/Almaty")
    csrf.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)
    assets.init_app(app)  # after compress: see Assets.init_app
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.login_message_category = "warning"
    i18n.init_app(app)
    page_cache.init_app(app)  # public pages made for everyone, answered again from memory


def _register_blueprints(app):
    from app.admin import views as admin_views
    from app.applications import account_views, views as apply_views
    from app.audit.cli import audit_cli
    from app.backup.cli import backup_cli
    from app.auth.cli import users_cli
    from app.auth.views import bp as auth_bp
    from app.competitions.views import manage_bp, public_bp
    from app.contracts import views as contracts
    from app.demo.cli import demo_cli
    from app.final_reports import views as final_reports
    from app.lottery import views as lottery
    from app.lottery.cli import draw_cli
    from app.mail.cli import mail_cli
    from app.mentoring import mentor_views, views as mentoring
    from app.monitoring import views as monitoring, visit_views as monitoring_visits
    from app.office_log import views as office_log
    from app.payments import views as payments
    from app.payments.cli import payments_cli
    from app.reporting import dashboard_views, exports_views as reporting_exports
    from app.reporting import public_views as transparency
    from app.reporting import plan_views as report_plan
    from app.reporting.cli import report_cli
    from app.screening import views as screening
    from app.screening import appeal_views, public_views as screening_results
    from app.site import views as site
    from app.surveys import views as surveys

    app.register_blueprint(site.bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(apply_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(lottery.public_bp)
    app.register_blueprint(lottery.manage_bp)
    app.register_blueprint(screening.bp)
    app.register_blueprint(appeal_views.bp)
    app.register_blueprint(appeal_views.manage_bp)
    app.register_blueprint(screening_results.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(payments.bp)
    app.register_blueprint(payments.my_bp)
    app.register_blueprint(contracts.manage_bp)
    app.register_blueprint(contracts.my_bp)
    app.register_blueprint(monitoring.bp)
    app.register_blueprint(monitoring_visits.bp)
    app.register_blueprint(final_reports.bp)
    app.register_blueprint(final_reports.my_bp)
    app.register_blueprint(mentoring.public_bp)
    app.register_blueprint(mentoring.manage_bp)
    app.register_blueprint(mentor_views.mentor_bp)
    app.register_blueprint(mentor_views.my_bp)
    app.register_blueprint(surveys.bp)
    app.register_blueprint(surveys.manage_bp)
    app.register_blueprint(office_log.bp)
    app.register_blueprint(dashboard_views.bp)
    app.register_blueprint(reporting_exports.bp)
    app.register_blueprint(transparency.bp)
    app.register_blueprint(report_plan.bp)
    site.register_error_handlers(app)
    site.register_security_headers(app)
    for group in (users_cli, mail_cli, audit_cli, backup_cli, demo_cli, draw_cli, payments_cli, report_cli):
        app.cli.add_command(group)
