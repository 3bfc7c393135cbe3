"""Where a message goes: an SMTP server, or .eml files under instance/mail/ in development."""
import smtplib
from pathlib import Path


class FileBackend:
    def __init__(self, app):
        self.directory = Path(app.instance_path) / "mail"

    def send(self, outbox_id, message):
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{outbox_id:06d}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(message))
        tmp.replace(path)

    def close(self):
        pass


class SmtpBackend:
    """One SMTP connection, opened on the first message and reused until closed or broken."""

    def __init__(self, app):
        self.config = app.config
        self.connection = None

    def _connect(self):
        c = self.config
        cls = smtplib.SMTP_SSL if c["MAIL_USE_SSL"] else smtplib.SMTP
        connection = cls(c["MAIL_SERVER"], c["MAIL_PORT"], timeout=c["MAIL_TIMEOUT"])
        if c["MAIL_USE_TLS"]:
            connection.starttls()
        if c["MAIL_USERNAME"]:
            connection.login(c["MAIL_USERNAME"], c["MAIL_PASSWORD"])
        return connection

    def send(self, outbox_id, message):
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.connection = None


BACKENDS = {"file": FileBackend, "smtp": SmtpBackend}
