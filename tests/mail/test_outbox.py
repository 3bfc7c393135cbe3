"""The outbox against a real SMTP server (aiosmtpd) started by the tests."""
import socket
import threading
from pathlib import Path
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail import services
from app.mail.models import MailStatus, OutboxMessage


class SmtpServer:
    """A real SMTP server that keeps what it receives; it can be stopped and started again."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on a free port, and the app pointed at it."""
    server = SmtpServer(free_port())
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    server.start()
    yield server
    server.stop()


def queue(n=1, locale="en", to="aigerim@example.kz"):
    for _ in range(n):
        services.queue_mail(to, "auth/mail/reset_password", locale, reset_url="http://localhost/password/reset/x")
    db.session.commit()


def statuses():
    return db.session.execute(sa.select(OutboxMessage.status).order_by(OutboxMessage.id)).scalars().all()


def test_queued_mail_is_delivered_over_smtp(smtp, app_ctx):
    queue()
    assert services.deliver_pending() == (1, 0)
    [message] = smtp.messages
    assert message["To"] == "aigerim@example.kz"
    assert message["Subject"].startswith("Set a new password")
    assert "http://localhost/password/reset/x" in message.get_content()
    assert statuses() == [MailStatus.SENT]
    assert services.deliver_pending() == (0, 0)
    assert len(smtp.messages) == 1


def test_mail_is_written_in_the_recipients_language(smtp, app_ctx):
    queue(locale="kk")
    queue(locale="ru")
    services.deliver_pending()
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects[0].startswith("Жаңа құпиясөз")
    assert subjects[1].startswith("Новый пароль")


def test_mail_queued_in_a_rolled_back_transaction_never_exists(app_ctx):
    services.queue_mail("x@example.kz", "auth/mail/reset_password", "en", reset_url="u")
    db.session.rollback()
    assert statuses() == []


def test_server_down_then_up_loses_nothing_and_sends_nothing_twice(smtp, app_ctx):
    queue(3)
    smtp.stop()
    assert services.deliver_pending() == (0, 3)
    rows = db.session.execute(sa.select(OutboxMessage)).scalars().all()
    assert all(r.status == MailStatus.PENDING and r.attempts == 1 and r.last_error for r in rows)
    # Not due yet: a second run right away does not hammer the server.
    assert services.deliver_pending() == (0, 0)
    smtp.start()
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=services.utcnow()))
    db.session.commit()
    assert services.deliver_pending() == (3, 0)
    assert services.deliver_pending() == (0, 0)
    assert len(smtp.messages) == 3
    assert len({m["Message-ID"] for m in smtp.messages}) == 3
    assert statuses() == [MailStatus.SENT] * 3


def test_a_message_gives_up_after_the_maximum_attempts_and_can_be_retried(smtp, app, app_ctx, runner, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    queue()
    smtp.stop()
    for _ in range(2):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=services.utcnow()))
        db.session.commit()
        services.deliver_pending()
    assert statuses() == [MailStatus.FAILED]
    smtp.start()
    assert "re-queued 1" in runner.invoke(args=["mail", "retry"]).output
    assert "sent 1, failed 0" in runner.invoke(args=["mail", "send"]).output
    assert len(smtp.messages) == 1


def test_retry_delay_grows_and_is_capped():
    delays = [services.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 10, 20)]
    assert delays == [2, 4, 8, 360, 360]


def test_file_backend_writes_eml_files(app, app_ctx):
    queue(2)
    assert services.deliver_pending() == (2, 0)
    ids = db.session.execute(sa.select(OutboxMessage.id).order_by(OutboxMessage.id)).scalars().all()
    for outbox_id in ids:
        path = Path(app.instance_path) / "mail" / f"{outbox_id:06d}.eml"
        message = message_from_bytes(path.read_bytes(), policy=default_policy)
        assert message["To"] == "aigerim@example.kz"


def test_a_request_only_writes_the_outbox_and_the_sender_delivers_it(smtp, client, app_ctx):
    """No page waits for a mail server (nor answers faster when it has nothing to send)."""
    client.post("/register", data={"email": "new@example.kz", "phone": "87011234567",
                                   "password": "long enough 1", "password_again": "long enough 1"})
    assert client.post("/password/forgot", data={"email": "new@example.kz"}).status_code == 200
    assert smtp.messages == []
    assert statuses() == [MailStatus.PENDING] * 2
    assert services.deliver_pending() == (2, 0)
    assert [m["To"] for m in smtp.messages] == ["new@example.kz"] * 2


class StopWatching(Exception):
    pass


def test_the_watching_sender_delivers_new_mail_and_speaks_only_then(smtp, app_ctx, runner, monkeypatch):
    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 2:
            queue()
        if len(rounds) == 4:
            raise StopWatching

    monkeypatch.setattr("app.mail.cli.time.sleep", sleep)
    result = runner.invoke(args=["mail", "send", "--watch", "2"])
    assert isinstance(result.exception, StopWatching)
    assert rounds == [2.0] * 4
    assert result.output == "sent 1, failed 0\n"
    assert len(smtp.messages) == 1


def test_the_watching_sender_outlives_a_database_error(app_ctx, runner, monkeypatch):
    calls = []

    def deliver_pending():
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("SELECT", {}, Exception("the database is restarting"))
        raise StopWatching

    monkeypatch.setattr(services, "deliver_pending", deliver_pending)
    monkeypatch.setattr("app.mail.cli.time.sleep", lambda seconds: None)
    result = runner.invoke(args=["mail", "send", "--watch", "1"])
    assert isinstance(result.exception, StopWatching) and len(calls) == 2


def test_two_senders_at_once_send_each_message_exactly_once(smtp, app, app_ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (row locks with SKIP LOCKED); CI runs it there")
    queue(40)
    results = []

    def sender():
        with app.app_context():
            results.append(services.deliver_pending())
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(sent for sent, _ in results) == 40
    assert len(smtp.messages) == 40
    assert len({m["Message-ID"] for m in smtp.messages}) == 40
