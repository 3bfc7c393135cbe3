"""Public pages answered from memory: the home page, a call's page and the draw pages are read by
everybody at once (the evening before the deadline, the live draw) and are the same for every
visitor who is not logged in. Each worker keeps what it made (bytes, their SHA-256 as a strong
ETag, their Brotli and gzip encodings, made once) and answers a browser that holds them with 304
(pages revalidate each time, app.assets.PUBLIC_PAGE, unless the caller says otherwise). A request
without cookies that was answered so a moment ago is answered again in front of the app
(FastAnswers), without its work for each request.

A page made for everyone is never made for, or shown to, a logged-in user: their menu, e-mail and
the CSRF token of the log-out form are theirs; they get the page made for them, as before.

How long a worker trusts what it keeps before asking the database again is the setting
PUBLIC_CACHE_SECONDS (default 2; an answer kept in front of the app may add as much again); with
TESTING it is 0 unless set: a test sees its own changes."""
import functools
import gzip
import hashlib
import time

import brotli
from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user

from app.assets import PUBLIC_PAGE
from app.i18n import current_language

DEFAULT_SECONDS = 2
# Encoded once per body, as app.assets does for static files; what Flask-Compress would otherwise
# do again on every request.
ENCODED_TYPES = {"text/html", "application/json"}
ENCODE_FROM = 500  # bytes: below that an encoding saves nothing (Flask-Compress's COMPRESS_MIN_SIZE)


def fresh_seconds():
    seconds = current_app.config.get("PUBLIC_CACHE_SECONDS")
    if seconds is None:
        return 0 if current_app.testing else DEFAULT_SECONDS
    return seconds


def for_everyone():
    """Whether this request may get a page made for everyone: a GET or HEAD from a visitor who is
    not logged in and has no message waiting to be shown once."""
    return (request.method in ("GET", "HEAD") and "_flashes" not in session
            and not current_user.is_authenticated)


class Body:
    """Bytes to send, their type, their SHA-256 (the strong ETag) and their encodings."""

    __slots__ = ("data", "mimetype", "etag", "_encoded")

    def __init__(self, data, mimetype):
        self.data = data
        self.mimetype = mimetype
        self.etag = hashlib.sha256(data).hexdigest()
        self._encoded = {}

    def encoding_for(self, accepted):
        """The encoding to send to a client that accepts `accepted` (request.accept_encodings), or None."""
        if self.mimetype not in ENCODED_TYPES or len(self.data) < ENCODE_FROM:
            return None
        return next((name for name in ("br", "gzip") if accepted.quality(name) > 0), None)

    def encoded(self, encoding):
        if encoding is None:
            return self.data
        if encoding not in self._encoded:
            self._encoded[encoding] = (brotli.compress(self.data, quality=6) if encoding == "br"
                                       else gzip.compress(self.data, 6))
        return self._encoded[encoding]


class Memory:
    """What one worker keeps: key -> (made at, version, value), and the answers sent for everyone
    (FastAnswers). One per app."""

    # Answers kept for requests without cookies, at most: their key holds what the visitor sends
    # (a query string, Accept-Language), so a stranger could otherwise fill the memory.
    MAX_ANSWERS = 2000

    def __init__(self):
        self._items = {}
        self._answers = {}  # request key -> (until, status, headers, data)

    def fresh(self, key, make, seconds=None):
        """The value kept under `key` if made less than `seconds` ago (PUBLIC_CACHE_SECONDS), else
        a new one from make(); None from make() is not kept."""
        seconds = fresh_seconds() if seconds is None else seconds
        kept = self._items.get(key)
        now = time.monotonic()
        if kept is not None and now - kept[0] < seconds:
            return kept[2]
        value = make()
        if value is not None:
            self._items[key] = (now, None, value)
        return value

    def versioned(self, key, version, make):
        """The value kept under `key` for `version`, else a new one from make(), kept in place of
        the older one (None is not kept)."""
        kept = self._items.get(key)
        if kept is not None and kept[1] == version:
            return kept[2]
        value = make()
        if value is not None:
            self._items[key] = (time.monotonic(), version, value)
        return value

    def forget(self, key):
        """Drops what is kept under `key`, and every answer kept in front of the app (any may be
        made from it)."""
        self._items.pop(key, None)
        self._answers.clear()

    def answer(self, key):
        kept = self._answers.get(key)
        if kept is not None and time.monotonic() < kept[0]:
            return kept
        return None

    def keep_answer(self, key, seconds, status, headers, data):
        if len(self._answers) >= self.MAX_ANSWERS:
            self._answers.clear()
        self._answers[key] = (time.monotonic() + seconds, status, headers, data)


def init_app(app):
    app.extensions["page_cache"] = Memory()
    app.wsgi_app = FastAnswers(app, app.wsgi_app)


def memory():
    return current_app.extensions.setdefault("page_cache", Memory())


class FastAnswers:
    """In front of the app (WSGI): a GET without cookies that a page made for everyone answered
    less than PUBLIC_CACHE_SECONDS ago gets the same status, headers and bytes again, without the
    app's work for each request (session, log-in, language, limits, after-request hooks). Without
    a cookie there is no session, no user and no chosen language: the answer depends only on the
    address, Accept-Language and Accept-Encoding, which make its key."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or "HTTP_COOKIE" in environ:
            return self.wsgi_app(environ, start_response)
        memory = self.app.extensions["page_cache"]
        key = tuple(environ.get(name, "") for name in (
            "HTTP_HOST", "PATH_INFO", "QUERY_STRING", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING"))
        kept = memory.answer(key)
        if kept is not None:
            return self._send(environ, start_response, *kept[1:])
        sent = []

        def capture(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        seconds = environ.get("page_cache.seconds")
        if (not seconds or environ["REQUEST_METHOD"] != "GET" or not sent or not sent[0].startswith("200 ")
                or any(name.lower() == "set-cookie" for name, _value in sent[1])):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        memory.keep_answer(key, seconds, sent[0], sent[1], data)
        return [data]

    @staticmethod
    def _send(environ, start_response, status, headers, data):
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        if etag is not None and etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", [(name, value) for name, value in headers
                                                if name.lower() not in ("content-length", "content-type")])
            return []
        start_response(status, list(headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [data]


def respond(body, cache_control=PUBLIC_PAGE, vary=("Accept-Language", "Cookie"), headers=None):
    """The response for `body`: 304 when the client already holds it (If-None-Match), else its
    bytes, encoded when the client accepts it. `vary` names what else the body depends on."""
    encoding = body.encoding_for(request.accept_encodings)
    etag = body.etag if encoding is None else f"{body.etag}:{encoding}"  # Flask-Compress's form
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(body.encoded(encoding), mimetype=body.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    request.environ["page_cache.seconds"] = fresh_seconds()  # FastAnswers may send it again
    response.headers["Cache-Control"] = cache_control
    response.vary.update(("Accept-Encoding", *vary))
    response.headers.extend(headers or {})
    return response


def page_for_everyone(view):
    """A public page without a query string, kept PUBLIC_CACHE_SECONDS in the worker per address
    and language for everybody who is not logged in; anyone else gets it made for them."""

    @functools.wraps(view)
    def cached(*args, **kwargs):
        if request.args or not for_everyone():
            return view(*args, **kwargs)
        key = ("page", request.path, current_language())
        return answer_for_everyone(lambda make: memory().fresh(key, make), lambda: view(*args, **kwargs))

    return cached


def answer_for_everyone(keep, view, cache_control=PUBLIC_PAGE):
    """The answer to a visitor who gets the page made for everyone: `keep(make)` finds the Body kept
    (Memory.fresh or .versioned under the page's key) or keeps what make() gives; `view()` makes the
    page. A page that may not be kept is sent as it was made."""
    made = []

    def make():
        made.append(make_response(view()))
        return body_for_everyone(made[0])

    body = keep(make)
    return respond(body, cache_control) if body is not None else made[0]


def body_for_everyone(response):
    """The body of a page just made, to keep for everyone; None when it may not be kept: not a 200
    HTML page, or one that carries something of this visitor's session (a CSRF token)."""
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if (response.status_code != 200 or response.mimetype != "text/html" or response.direct_passthrough
            or session.modified or csrf_field in g):
        return None
    return Body(response.get_data(), response.mimetype)
