"""Page weight: compressed responses, static files under a content hash kept for a year, pages that
no shared cache keeps."""
import gzip
import re

import brotli
import pytest

from tests.conftest import login

IMMUTABLE = "public, max-age=31536000, immutable"


def static_urls(body):
    return re.findall(r'(?:href|src)="(/(?:bootstrap/)?static/[^"]+)"', body)


@pytest.mark.parametrize("encoding, decompress", [("br", brotli.decompress), ("gzip", gzip.decompress)])
def test_pages_and_static_files_are_compressed_when_the_browser_accepts_it(client, encoding, decompress):
    page = client.get("/faq", headers={"Accept-Encoding": encoding})
    assert page.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in page.headers["Vary"]
    body = decompress(page.data).decode()
    assert "<html" in body
    css = next(url for url in static_urls(body) if "bootstrap.min.css" in url)
    response = client.get(css, headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get(css).data
    assert decompress(response.data) == plain
    assert len(response.data) < len(plain) / 5


def test_nothing_is_compressed_for_a_browser_that_does_not_ask(client):
    page = client.get("/faq", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in page.headers
    css = next(url for url in static_urls(page.get_data(as_text=True)) if "site.css" in url)
    assert "Content-Encoding" not in client.get(css).headers


def test_every_static_url_on_a_page_carries_a_content_hash(client):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert any("bootstrap.min.css" in url for url in urls)
    assert any("site.css" in url for url in urls)
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url


def test_a_fingerprinted_static_file_is_kept_for_a_year(client):
    for url in static_urls(client.get("/").get_data(as_text=True)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


def test_a_static_file_without_its_current_hash_is_revalidated(client):
    for url in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")


def test_a_compressed_static_file_still_answers_304_to_revalidation(client):
    first = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    again = client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip",
                                                         "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_changed_file_gets_a_new_url(app, client, tmp_path, monkeypatch):
    (tmp_path / "css").mkdir()
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    stylesheet = tmp_path / "css" / "site.css"
    stylesheet.write_text("body { color: black; }")
    with app.test_request_context():
        from flask import url_for
        before = url_for("static", filename="css/site.css")
        stylesheet.write_text("body { color: #222; }")
        after = url_for("static", filename="css/site.css")
    assert before != after
    response = client.get(after)
    assert response.get_data(as_text=True) == "body { color: #222; }"
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "immutable" not in client.get(before).headers.get("Cache-Control", "")


def test_public_pages_are_never_kept_by_shared_caches(client):
    for path in ("/", "/faq", "/login", "/register"):
        cache_control = client.get(path).headers["Cache-Control"]
        assert "private" in cache_control and "public" not in cache_control, path


def test_logged_in_pages_stay_private_and_unstored(client, make_user):
    make_user("a@example.kz")
    login(client, "a@example.kz")
    response = client.get("/my/applications")
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_static_files_do_not_vary_with_the_session_cookie(client, make_user):
    make_user("a@example.kz")
    login(client, "a@example.kz")
    response = client.get("/static/css/site.css")
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers
