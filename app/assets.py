"""Static files for slow phone connections: a content hash in every static URL, so that browsers keep
the file for a year and fetch it again only when it changes; each file compressed once, not per
request. Pages themselves (compressed by Flask-Compress) are never kept by shared caches."""
import gzip
import hashlib
import os

import brotli
from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
# Pages carry CSRF tokens: a proxy must not keep them, the browser must ask again. A logged-in
# page may show personal data: not even written to the disk of a phone others may share.
PUBLIC_PAGE = "private, no-cache"
ACCOUNT_PAGE = "private, no-store"
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "text/plain"}


def is_static(endpoint):
    return bool(endpoint) and (endpoint == "static" or endpoint.endswith(".static"))


class SessionInterface(SecureCookieSessionInterface):
    """Leaves static files without the session cookie and its `Vary: Cookie` (Flask-Login reads the
    session after every request): with it the browser would ask again for a file it keeps for a
    year each time the session cookie changes."""

    def save_session(self, app, session, response):
        if not is_static(request.endpoint):
            super().save_session(app, session, response)


class Assets:
    def __init__(self):
        self._digests = {}  # path -> (mtime_ns, size, digest)
        self._compressed = {}  # (path, encoding) -> (digest, bytes)

    def init_app(self, app):
        """Register after Flask-Compress: after-request functions run in reverse, so the static
        files are encoded here first and Flask-Compress leaves them alone."""
        app.url_defaults(self._add_fingerprint)
        app.session_interface = SessionInterface()
        app.after_request(self._finish_response)
        app.extensions["assets"] = self

    def fingerprint(self, app, endpoint, filename):
        """The first 12 hex digits of the file's SHA-256, or None when there is no such file."""
        path = self._path(app, endpoint, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except OSError:
            return None
        known = self._digests.get(path)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        self._digests[path] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest

    @staticmethod
    def _path(app, endpoint, filename):
        if endpoint == "static":
            folder = app.static_folder
        elif endpoint.endswith(".static") and endpoint[:-7] in app.blueprints:
            folder = app.blueprints[endpoint[:-7]].static_folder
        else:
            return None
        return safe_join(folder, filename) if folder else None

    def _add_fingerprint(self, endpoint, values):
        if is_static(endpoint) and "filename" in values:
            digest = self.fingerprint(current_app, endpoint, values["filename"])
            if digest:
                values.setdefault("v", digest)

    def _finish_response(self, response):
        endpoint = request.endpoint
        if not is_static(endpoint):
            if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
                response.headers["Cache-Control"] = (ACCOUNT_PAGE if current_user.is_authenticated
                                                     else PUBLIC_PAGE)
            return response
        filename = (request.view_args or {}).get("filename", "")
        digest = self.fingerprint(current_app, endpoint, filename)
        if digest and request.args.get("v") == digest:
            response.headers["Cache-Control"] = IMMUTABLE
        if response.status_code == 200 and digest and response.mimetype in COMPRESSIBLE:
            self._encode(response, self._path(current_app, endpoint, filename), digest)
        return response

    def _encode(self, response, path, digest):
        response.vary.add("Accept-Encoding")
        accepted = request.accept_encodings
        encoding = next((e for e in ("br", "gzip") if accepted.quality(e) > 0), None)
        if encoding is None:
            return
        known = self._compressed.get((path, encoding))
        if known is None or known[0] != digest:
            with open(path, "rb") as f:
                data = f.read()
            data = brotli.compress(data) if encoding == "br" else gzip.compress(data, 9)
            known = self._compressed[(path, encoding)] = (digest, data)
        response.close()  # the file send_file opened
        response.direct_passthrough = False
        response.set_data(known[1])
        response.headers["Content-Encoding"] = encoding
        # Weak, as nginx does: the encodings are equivalent, and revalidation still matches.
        etag, _ = response.get_etag()
        if etag:
            response.set_etag(etag, weak=True)
