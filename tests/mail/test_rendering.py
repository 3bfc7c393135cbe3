"""Mail is rendered in its reader's language, many at once (a draw tells every applicant): what
`queue_mails` and `queue_mail` write reads exactly as the app's own rendering of the template in
that language, whatever the order of the languages, and the app's pages keep their own."""
import pytest
import sqlalchemy as sa
from flask import render_template, render_template_string
from flask_babel import force_locale

from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import queue_mail, queue_mails
from tests.factories import make_open_competition

LOCALES = ("kk", "ru", "en")
TEMPLATES = ("lottery/mail/draw_winner", "lottery/mail/draw_reserve")
HELLO = {"kk": "Сәлеметсіз бе!", "ru": "Здравствуйте!", "en": "Hello!"}


@pytest.fixture
def request_ctx(app):
    with app.test_request_context():
        yield
        db.session.remove()


def as_the_app_renders(template, locale, context):
    with force_locale(locale):
        subject, _, body = render_template(f"{template}.txt", **context).strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def context_of(number):
    return {"call": make_open_competition(), "number": number, "stratum": "MAN", "position": number[-1],
            "url": "https://grants.example.kz/draws/1"}


def test_mails_queued_at_once_read_as_the_app_renders_each_in_its_language(request_ctx):
    context = context_of("ZP25-0007")
    mails = [(f"{locale}-{n}@example.kz", template, locale, context)
             for n, template in enumerate(TEMPLATES) for locale in LOCALES]
    assert queue_mails(mails) == 6
    queued = {row.to_address: row for row in db.session.execute(sa.select(OutboxMessage)).scalars()}
    for to_address, template, locale, _context in mails:
        row = queued[to_address]
        assert (row.subject, row.body_text) == as_the_app_renders(template, locale, context), to_address
        assert row.locale == locale and HELLO[locale] in row.body_text and "ZP25-0007" in row.subject


def test_one_mail_reads_as_the_app_renders_it(request_ctx):
    context = context_of("ZP25-0003")
    message = queue_mail("someone@example.kz", "lottery/mail/draw_winner", "kk", **context)
    assert (message.subject, message.body_text) == as_the_app_renders("lottery/mail/draw_winner", "kk", context)


def test_the_apps_pages_keep_their_language_after_mail_in_another(request_ctx):
    queue_mails([("a@example.kz", "lottery/mail/draw_reserve", "kk", context_of("ZP25-0002"))])
    for locale in ("en", "ru"):
        with force_locale(locale):
            assert render_template_string('{{ _("Hello!") }}') == HELLO[locale]
