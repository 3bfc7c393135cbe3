"""`/healthz`: the database, the uploads folder, the mail outbox and the migrations, for monitoring;
503 only when the site cannot serve, never a 500, and nothing about anyone."""
import os
from datetime import timedelta

import pytest

from app import create_app
from app.dbtypes import utcnow
from app.extensions import db
from app.mail.models import MailStatus, OutboxMessage
from app.site import health
from tests.test_site import GONE, _app_on_a_database_that_is_gone


def _message(status=MailStatus.PENDING, age=timedelta(0), number=1):
    created = utcnow() - age
    db.session.add(OutboxMessage(message_id=f"<{number}@example.kz>", to_address=f"person{number}@example.kz",
                                 subject="Your application ZP23-0042", body_text="Private text", locale="ru",
                                 status=status, created_at=created, next_attempt_at=created))
    db.session.commit()


def test_a_healthy_site_answers_200_with_each_part(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "ok"
    assert report["database"]["status"] == "ok" and report["database"]["latency_ms"] >= 0
    assert report["storage"] == {"status": "ok"}
    assert report["mail"] == {"status": "ok", "pending": 0, "oldest_pending_seconds": 0, "failed": 0,
                              "warning_after_seconds": 900}
    assert report["migrations"]["status"] == "ok" and report["migrations"]["database"] == report["migrations"]["code"]
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers


def test_mail_waiting_longer_than_allowed_is_a_warning_without_saying_whose(app, app_ctx, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_LAG_WARNING", 600)
    _message(age=timedelta(minutes=30), number=1)
    _message(age=timedelta(minutes=1), number=2)
    _message(status=MailStatus.SENT, age=timedelta(hours=5), number=3)

    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "warning"
    assert report["mail"]["status"] == "warning" and report["mail"]["pending"] == 2 and report["mail"]["failed"] == 0
    assert 1795 <= report["mail"]["oldest_pending_seconds"] <= 1830
    body = response.get_data(as_text=True)
    assert "example.kz" not in body and "ZP23" not in body and "Private" not in body


def test_mail_that_gave_up_is_a_warning(app_ctx, client):
    _message(status=MailStatus.FAILED)

    report = client.get("/healthz").get_json()

    assert report["status"] == "warning"
    assert report["mail"]["status"] == "warning" and report["mail"]["failed"] == 1 and report["mail"]["pending"] == 0


def test_migrations_not_applied_are_a_warning(client, monkeypatch):
    monkeypatch.setattr(health, "code_head", lambda: "0123456789ab")

    response = client.get("/healthz")

    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "warning"
    assert report["migrations"]["status"] == "warning" and report["migrations"]["code"] == "0123456789ab"


@pytest.mark.parametrize("url", GONE)
def test_the_database_gone_is_503(tmp_path, url):
    response = _app_on_a_database_that_is_gone(tmp_path, url(tmp_path)).test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": {"status": "error"}, "storage": {"status": "ok"},
                                   "mail": {"status": "unknown"}, "migrations": {"status": "unknown"}}


def _app_with_uploads(tmp_path, app):
    return create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_uploads_folder_is_503(app, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    uploads.chmod(0o500)
    try:
        response = _app_with_uploads(tmp_path, app).test_client().get("/healthz")
    finally:
        uploads.chmod(0o700)

    assert response.status_code == 503
    assert response.get_json()["storage"] == {"status": "error"}
    assert response.get_json()["database"]["status"] == "ok"


def test_an_uploads_folder_that_cannot_be_made_is_503(app, tmp_path):
    (tmp_path / "uploads").write_text("a file where the folder should be")

    response = _app_with_uploads(tmp_path, app).test_client().get("/healthz")

    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "error" and report["storage"] == {"status": "error"}
    assert report["database"]["status"] == "ok" and report["mail"]["status"] == "ok"


def test_a_check_that_fails_unexpectedly_is_reported_not_a_500(client, monkeypatch):
    def broken():
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(health, "_mail", broken)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json()["status"] == "warning" and response.get_json()["mail"] == {"status": "error"}
