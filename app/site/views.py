"""The public pages that belong to no feature, and the site-wide handlers."""
import logging

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app.auth.permissions import Permission, may
from app.competitions import services as competitions
from app.extensions import db
from app.i18n import safe_next
from app.mail.services import deliver_queued_after_request

bp = Blueprint("site", __name__)
log = logging.getLogger(__name__)


@bp.route("/")
def home():
    call = competitions.current_call()
    return render_template("site/home.html", call=call)


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
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        log.exception("health check: the database does not answer")
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}


def _error_page(status, title, message):
    return render_template("errors/error.html", status=status, title=title, message=message), status


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
    app.register_error_handler(500, lambda e: _error_page(
        500, _("Something went wrong"),
        _("An error happened on our side. Nothing you saved before is lost. Please try again later.")))


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
    app.jinja_env.globals.update(Permission=Permission, may=may)

    @app.after_request
    def add_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.after_request(deliver_queued_after_request)
