"""A person's browser for the HTTP benchmarks and the two-instance check: a cookie session that
reads the forms of a page (with their CSRF tokens) and posts them as a browser would, redirects
not followed, each request timed."""
import time
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests


class HttpFailure(Exception):
    """An answer the visitor did not expect: what was asked and what came back."""


class _Forms(HTMLParser):
    """The forms of a page: [(action, method, {field name: [values]})], with the values a browser
    would send unchanged (hidden and text inputs, checked boxes, selected options, text areas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", (attrs.get("method") or "get").lower(), defaultdict(list)))
        elif not self.forms:
            return
        fields = self.forms[-1][2]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in ("submit", "button", "file", "image"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields[name].append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            fields[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name].append("")

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][2][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Visitor:
    """`base_url` is where the site is; an iterator of them (itertools.cycle of two instances)
    sends each request to the next."""

    def __init__(self, base_url, address=None, language="ru"):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = language
        if address:  # the client's own address, as a proxy in front (nginx) passes it on
            self.session.headers["X-Forwarded-For"] = address
        self.timings = defaultdict(list)  # what was asked -> seconds of each answer

    def request(self, method, path, name=None, expect=(200,), **kwargs):
        url = urljoin(self.base_url if isinstance(self.base_url, str) else next(self.base_url), path)
        start = time.perf_counter()
        try:
            response = self.session.request(method, url, allow_redirects=False, timeout=300, **kwargs)
        except requests.RequestException as error:
            raise HttpFailure(f"{method} {path}: {error!r}") from None
        self.timings[name or f"{method} {urlsplit(path).path}"].append(time.perf_counter() - start)
        if response.status_code not in expect:
            raise HttpFailure(f"{method} {path}: {response.status_code} {response.text[:500]!r}")
        return response

    def get(self, path, name=None, expect=(200,)):
        return self.request("GET", path, name, expect)

    def form(self, path, action=None, name=None):
        """(action path, fields) of the first form of the page at `path` that posts to a path
        containing `action` (to the page itself if None)."""
        page = self.get(path, name)
        parser = _Forms()
        parser.feed(page.text)
        for form_action, method, fields in parser.forms:
            target = urlsplit(urljoin(page.url, form_action or page.url)).path
            if method == "post" and (action in target if action else target == urlsplit(page.url).path):
                return target, {key: list(values) for key, values in fields.items()}
        raise HttpFailure(f"no form posting to {action!r} on {path}")

    def post(self, path, fields, name=None, expect=(302,), files=None):
        return self.request("POST", path, name, expect, data=fields, files=files)

    def submit(self, path, values, action=None, name=None, expect=(302,), files=None):
        """Fills the form of the page at `path` with `values` (over what the page holds) and posts it."""
        target, fields = self.form(path, action, name and f"{name} (page)")
        for key, value in values.items():
            fields[key] = value if isinstance(value, list) else [value]
        return self.post(target, fields, name, expect, files)

    def log_in(self, email, password):
        answer = self.submit("/login", {"email": email, "password": password}, "/login", "log in")
        if "/login" in answer.headers.get("Location", "/login"):
            raise HttpFailure(f"log-in of {email} refused")
        return answer
