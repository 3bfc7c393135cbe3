"""Mail to an applicant about their application: in their language, through the outbox."""
from flask import url_for

from app.mail.services import queue_mail


def mail_applicant(application, template, **context):
    """Queues `templates/<template>.txt` for the application's applicant, with the
    application's number, its call (and the call's title in their language) and a link to it."""
    applicant = application.applicant
    competition = application.competition
    queue_mail(
        applicant.email, template, applicant.locale,
        number=application.number,
        call=competition,
        call_title=getattr(competition, f"title_{applicant.locale}", None) or competition.title_ru,
        url=url_for("my.application", application_id=application.id, _external=True),
        **context,
    )
