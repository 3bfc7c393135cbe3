"""The consultation log and the events as CSV or XLSX, one row per entry, in the page's language
(app.tables writes the files)."""
from flask_babel import lazy_gettext as _l

from app.almaty import utc_to_almaty
from app.kz.regions import region_name
from app.tables import export_table

CONSULTATION_COLUMNS = (_l("Date"), _l("Time"), _l("Channel"), _l("Topic"), _l("Region"), _l("Call"), _l("Note"),
                        _l("Operator"))
CONSULTATION_WIDTHS = (12, 8, 18, 34, 24, 10, 50, 28)
EVENT_COLUMNS = (_l("Date"), _l("Kind of event"), _l("Title"), _l("Place"), _l("Region"), _l("Participants"),
                 _l("Of them women"), _l("Of them NEET youth"), _l("Notes"), _l("Call"))
EVENT_WIDTHS = (12, 18, 30, 34, 24, 12, 12, 14, 50, 10)


def consultation_rows(consultations, language):
    for c in consultations:
        local = utc_to_almaty(c.occurred_at)
        yield (local.date(), f"{local:%H:%M}", str(c.channel.title), str(c.topic.title),
               region_name(c.region_code, language) if c.region_code else "",
               c.competition.code if c.competition else "", c.note, c.operator.email)


def event_rows(events, language):
    for e in events:
        yield (e.held_on, str(e.kind.title), e.title, e.place,
               region_name(e.region_code, language) if e.region_code else "", e.participants,
               e.women, e.neet_youth, e.notes, e.competition.code if e.competition else "")


def consultations_file(consultations, fmt, language):
    """(bytes, mimetype) of the consultations in `fmt`."""
    return export_table(fmt, "consultations", CONSULTATION_COLUMNS, consultation_rows(consultations, language),
                        CONSULTATION_WIDTHS)


def events_file(events, fmt, language):
    """(bytes, mimetype) of the events in `fmt`."""
    return export_table(fmt, "events", EVENT_COLUMNS, event_rows(events, language), EVENT_WIDTHS)
