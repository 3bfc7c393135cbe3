"""The public pages that belong to no feature, and the site-wide handlers."""
import logging

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from app.auth.permissions import Permission, may
from app.competitions import services as competitions
from app.extensions import db, login_manager
from app.i18n import safe_next
from app.mentoring import meetings as mentoring
from app.page_cache import page_for_everyone
from app.site import health, start

bp = Blueprint("site", __name__)
log = logging.getLogger(__name__)
# What the database raises when it does not answer (stopped, unreachable, its file unreadable, every
# connection of the pool taken), and also for some defects of a statement (psycopg's "number of
# parameters must be between 0 and 65535", SQLite's "too many SQL variables"): `unreachable` tells
# them apart.
DATABASE_UNAVAILABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
# PostgreSQL's SQLSTATEs of a server that cannot be reached or is going away: the class 08
# connection exceptions, a shutdown (57P01 by an administrator, 57P02 a crash), a server starting
# (57P03), no free connection slot (53300).
UNREACHABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# SQLite's result codes of a database file that cannot be opened, read or written now.
UNREACHABLE_SQLITE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN")


@bp.route("/")
@page_for_everyone
def home():
    call = competitions.current_call()
    return render_template("site/home.html", call=call)


@bp.route("/manage/")
@login_required
def start_page():
    """The staff start page: their work by permission. Any role of the project office opens it;
    an applicant gets 403."""
    user = current_user._get_current_object()
    if not start.is_staff_member(user):
        abort(403)
    mentees = mentoring.mentees_of(user) if may(user, Permission.MENTOR) else None
    return render_template("site/start.html", calls=start.work_of(user), mentees=mentees)


@bp.route("/faq")
def faq():
    return render_template("site/faq.html", call=competitions.current_call())


@bp.route("/contacts")
def contacts():
    return render_template("site/contacts.html")


@bp.route("/lang/<code>")
def set_language(code):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.route("/healthz")
def healthz():
    """The database, the uploads folder, the mail outbox and the migrations, for monitoring
    (app/site/health.py): 503 when the site cannot serve, else 200."""
    body, status = health.report()
    return body, status, {"Cache-Control": "no-store"}


def _error_page(status, title, message):
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _rolled_back():
    """Ends the request's failed transaction, so that the error page can read the user; False
    when the database does not answer even that."""
    try:
        db.session.rollback()
    except DATABASE_UNAVAILABLE:
        return False
    return True


def unreachable(error):
    """Whether a database error says the database does not answer now (the site is unavailable for
    a while), rather than that a statement is wrong (a defect)."""
    if isinstance(error, sa.exc.TimeoutError):  # every connection of the pool taken
        return True
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    if error.connection_invalidated or error.statement is None:  # the connection was lost, or never made
        return True
    sqlstate = getattr(error.orig, "sqlstate", None) or ""
    return (sqlstate.startswith(UNREACHABLE_SQLSTATES)
            or (getattr(error.orig, "sqlite_errorname", None) or "").startswith(UNREACHABLE_SQLITE))


def _database_error(error):
    """503 when the database does not answer; any other error of it is a defect: logged, 500."""
    if unreachable(error):
        return _database_unavailable(error)
    current_app.log_exception((type(error), error, error.__traceback__))
    return _server_error(error)


def _database_unavailable(error):
    """503 with the site's own page, which then needs no database: the visitor is shown as a
    visitor (Flask-Login's user of the request is set, so nobody is looked up)."""
    log.error("the database does not answer: %s", error)
    _rolled_back()
    g._login_user = login_manager.anonymous_user()
    page, status = _error_page(
        503, _("The site is temporarily unavailable"),
        _("We cannot reach our database right now. Nothing you saved before is lost. "
          "Please try again in a few minutes."))
    return page, status, {"Retry-After": "120"}


def _cannot_store(error):
    """A value the database refuses to store (a NUL byte in a text on PostgreSQL, a number past its
    column's range) that no form check caught: the sender is told what to correct, not "error"."""
    log.warning("the database refused a value: %s", error)
    _rolled_back()
    return _error_page(
        400, _("This cannot be saved"),
        _("Something you sent cannot be saved: an invisible control character in a text, or a number far "
          "too large. Go back, correct it and send the form again."))


def _server_error(error):
    if not _rolled_back():
        return _database_unavailable(error)
    return _error_page(500, _("Something went wrong"),
                       _("An error happened on our side. Nothing you saved before is lost. Please try again later."))


def register_error_handlers(app):
    app.register_error_handler(400, lambda e: _error_page(
        400, _("Bad request"), _("The request could not be understood. Please go back and try again.")))
    app.register_error_handler(CSRFError, lambda e: _error_page(
        400, _("The form has expired"),
        _("For your safety the form could not be accepted. Go back, reload the page and send it again.")))
    app.register_error_handler(403, lambda e: _error_page(
        403, _("Access denied"), _("Your account does not have access to this page.")))
    app.register_error_handler(404, lambda e: _error_page(
        404, _("Page not found"), _("There is no such page. Check the address or start from the home page.")))
    app.register_error_handler(413, lambda e: _error_page(
        413, _("The file is too large"), _("The file you sent is larger than allowed.")))
    app.register_error_handler(429, lambda e: _error_page(
        429, _("Too many attempts"), _("Too many attempts in a short time. Please wait a minute and try again.")))
    app.register_error_handler(500, _server_error)
    app.register_error_handler(sa.exc.DataError, _cannot_store)
    for database_error in DATABASE_UNAVAILABLE:
        app.register_error_handler(database_error, _database_error)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
}


def register_security_headers(app):
    app.jinja_env.globals.update(Permission=Permission, may=may,
                                 shows_own_applications=start.shows_own_applications,
                                 is_staff_member=start.is_staff_member)

    @app.after_request
    def add_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Secure cookies mean the site is served over HTTPS: browsers are told to use nothing else.
        if current_app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
