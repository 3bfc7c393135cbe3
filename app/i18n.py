"""Languages: which one a request is served in, and formatting of dates and money per locale."""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, session
from flask_babel import LazyString, format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import escape

from app.kz.money import format_money

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LOGIN_MESSAGE = _l("Please log in to open this page.")


def select_locale():
    """The user's choice (this session, then their account), then the browser, then the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language():
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])[:2]


def localized(obj, field):
    """`obj.<field>_<lang>` in the current language, else the first filled of ru, kk, en."""
    lang = current_language()
    for code in (lang, "ru", "kk", "en"):
        value = getattr(obj, f"{field}_{code}", None)
        if value:
            return value
    return ""


def file_size(size):
    """A file's size in the current language (`1 КБ`, `1,4 МБ`): the one way every page writes it."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def safe_next(target, default="/"):
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _lazy_text_is_escaped():
    """Flask-Babel's lazy strings say they are HTML already (`__html__` returns the text as it is), so
    Jinja, `|join`, markupsafe.escape (WTForms) and the session that carries a flashed message to
    the next page would pass a typed name or file name inside a message into the page as markup.
    A message is text: its HTML is its escaped text."""
    LazyString.__html__ = lambda self: escape(str(self))


def init_app(app):
    _lazy_text_is_escaped()
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["money"] = lambda amount: format_money(amount, current_language())
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language, localized=localized,
        file_size=file_size,
    )
