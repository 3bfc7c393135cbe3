"""No IIN and no name of an applicant on any public page or public file (DESIGN.md section 5).

The demo is loaded at its last stage (its grants' final reports written and reviewed, most of them
consenting to publication), then every public route is opened with real values for its URL
variables (the public routes are those tests/auth/test_permissions.py declares PUBLIC), in Kazakh,
Russian and English, and every page and file they link to inside the site is followed: HTML
pages, PDFs (their text, read with pypdf), JSON, CSV, pictures. Nothing may contain:

- a 12-digit number that is a valid IIN (app.kz.iin: check digit and birth date), outside the
  hexadecimal hashes of the draw's record and log; nor any demo applicant's own IIN, anywhere;
- a surname of the demo (app/demo/data, either gender's form) or of a demo applicant, a demo
  applicant's first name, e-mail address or phone number. The success stories the grantees agreed
  to publish tell about the people their projects reached, by first name: those first names are
  theirs, not the applicants', so a consented story is read for every other identifier but not for
  first names alone. The draw's observers are named on purpose (they watched and sign the
  protocol): their registered names are taken out before reading.

Static files (styles and scripts) are not data and are left out. The demo takes a while to
load (once per session, tests/demo_stages.py): all of this is one test."""
import io
import json
import re
from collections import Counter, deque
from html.parser import HTMLParser
from itertools import product
from urllib.parse import urldefrag, urlsplit

import sqlalchemy as sa
from flask import url_for
from pypdf import PdfReader

from app.applications.models import Application
from app.auth.models import User
from app.competitions.models import Competition
from app.contracts.models import Grant
from app.demo.data import SURNAMES
from app.extensions import db
from app.final_reports.listing import REPORTING_GRANTS
from app.final_reports.models import FinalReport, ReportPhoto, ReportStatus
from app.kz.iin import parse_iin
from app.lottery.models import Draw, DrawObserver
from tests.auth.test_permissions import PUBLIC

LANGUAGES = ("kk", "ru", "en")
# Not walked: static files (no data), the language switch (it changes the session; each language
# is asked for by Accept-Language instead), and log-out (a form's POST).
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "site.set_language", "auth.logout"}
SKIPPED_PATHS = ("/static/", "/bootstrap/static/", "/lang/")
NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
HASH = re.compile(r"[0-9a-fA-F]{32,}")
CONSENTED_STORY = re.compile(r"<section[^>]*data-consented-story[^>]*>.*?</section>", re.S)


class Links(HTMLParser):
    """The addresses a page links to: a, link and area href, img and script src, GET form actions."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link", "area") and attrs.get("href"):
            self.found.append(attrs["href"])
        elif tag in ("img", "script", "source") and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.found.append(attrs["action"])


def links_of(page):
    parser = Links()
    parser.feed(page)
    found = []
    for link in parser.found:
        link = urldefrag(link).url
        parts = urlsplit(link)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIPPED_PATHS):
            found.append(path)
    return found


def start_urls(app):
    """Every GET route declared public, its variables filled with the values the data has."""
    photos = db.session.execute(sa.select(Grant.number, ReportPhoto.id).join(FinalReport, FinalReport.grant_id ==
                                                                               Grant.id)
                                .join(ReportPhoto, ReportPhoto.report_id == FinalReport.id)).all()
    values = {
        "competition_id": db.session.execute(sa.select(Competition.id)).scalars().all(),
        "draw_id": db.session.execute(sa.select(Draw.id)).scalars().all(),
        "grant_number": db.session.execute(sa.select(Grant.number)).scalars().all(),
        "lang": LANGUAGES, "token": ["x"],
    }
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint not in PUBLIC or rule.endpoint in SKIPPED_ENDPOINTS or "GET" not in rule.methods:
                continue
            if rule.arguments == {"grant_number", "photo_id"}:
                fillings = [{"grant_number": number, "photo_id": photo_id} for number, photo_id in photos]
            else:
                unknown = rule.arguments - set(values)
                assert not unknown, f"{rule.rule}: tell the privacy walk the values of {sorted(unknown)}"
                names = sorted(rule.arguments)
                fillings = [dict(zip(names, chosen)) for chosen in product(*(values[name] for name in names))]
            urls += [url_for(rule.endpoint, **filling) for filling in fillings]
    return urls


def text_of(response):
    """What a response says, as text: a PDF's extracted text, anything else decoded."""
    if response.mimetype == "application/pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(response.data)).pages)
    if response.mimetype == "application/json":  # letters escaped as \uXXXX: read them back
        return json.dumps(response.get_json(), ensure_ascii=False)
    if response.mimetype.startswith("image/"):
        return response.data.decode("latin-1")
    return response.get_data(as_text=True)


def crawl(client, app):
    """{url: text} of every public page and file, in every language; the statuses counted."""
    seen, texts, statuses = set(), {}, Counter()
    queue = deque((language, url) for language in LANGUAGES for url in start_urls(app))
    while queue:
        language, url = queue.popleft()
        if (language, url) in seen or url in texts and not texts[url][0]:
            continue
        seen.add((language, url))
        response = client.get(url, headers={"Accept-Language": language})
        statuses[response.status_code] += 1
        assert response.status_code < 500, (url, language, response.status_code)
        if response.status_code != 200:
            continue
        is_page = response.mimetype == "text/html"
        text = text_of(response)
        texts[f"{url} [{language}]" if is_page else url] = (is_page, text)
        if is_page:
            queue.extend((language, link) for link in links_of(text))
    return texts, statuses


def word_pattern(words):
    words = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(word) for word in words) + r")(?!\w)")


def valid_iins(text):
    """The 12-digit numbers of `text` that are IINs, outside hexadecimal hashes."""
    hashes = [match.span() for match in HASH.finditer(text)]
    found = []
    for match in NUMBER.finditer(text):
        if any(start <= match.start() and match.end() <= end for start, end in hashes):
            continue
        try:
            parse_iin(match.group())
        except ValueError:
            continue
        found.append(match.group())
    return found


def test_no_public_page_or_file_names_an_applicant_or_shows_an_iin(app, app_ctx, demo_stages, client):
    result = demo_stages.load("completed")
    assert result.exit_code == 0, result.output
    applications = db.session.execute(sa.select(Application)).scalars().all()
    applicants = db.session.execute(sa.select(User).where(User.id.in_({a.applicant_id for a in applications})))
    demo_surnames = {form for names in SURNAMES.values() for name in names
                     for form in (name, name + "а" if name.endswith(("ов", "ев", "ин")) else name)}
    surnames = word_pattern(demo_surnames | {a.last_name for a in applications})
    first_names = word_pattern({a.first_name for a in applications})
    personal = word_pattern({a.iin for a in applications} | {a.phone for a in applications}
                            | {a.phone[2:] for a in applications if a.phone}
                            | {user.email for user in applicants.scalars()})
    assert len(applications) > 50

    texts, statuses = crawl(client, app)

    observers = word_pattern(db.session.execute(sa.select(DrawObserver.name)).scalars())
    for url, (is_page, text) in texts.items():
        text = observers.sub("", text)
        assert not valid_iins(text), (url, valid_iins(text))
        for pattern in (surnames, personal):
            match = pattern.search(text)
            assert match is None, (url, match and text[max(0, match.start() - 80):match.end() + 80])
        match = first_names.search(CONSENTED_STORY.sub("", text) if is_page else text)
        assert match is None, (url, match and text[max(0, match.start() - 80):match.end() + 80])

    # The walk reached what matters: every funded project and its consented photos, the draw's
    # record and protocols, the screening results.
    funded = db.session.execute(sa.select(Grant.number).where(Grant.status.in_(REPORTING_GRANTS))).scalars().all()
    assert funded and all(f"/projects/{number} [ru]" in texts for number in funded)
    published = db.session.execute(sa.select(ReportPhoto.id).join(FinalReport).where(
        FinalReport.status == ReportStatus.ACCEPTED, FinalReport.consent_to_publish.is_(True))).scalars().all()
    assert published and all(any(url.endswith(f"/photos/{photo_id}.jpg") for url in texts) for photo_id in published)
    files = {url.rsplit(".", 1)[-1] for url, (is_page, _text) in texts.items() if not is_page}
    assert {"json", "pdf", "jpg"} <= files, files
    assert any("/screening-results" in url for url in texts) and any("/transparency" in url for url in texts)
    assert statuses[200] > 100
