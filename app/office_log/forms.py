"""The forms of the office log: they parse what was typed; the rules live in the services. The
lists of calls come from the view (`calls`); a call, channel or topic outside the lists reaches
the service as missing, and the service says what to choose."""
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, RadioField, SelectChoice, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import Optional, ValidationError

from app.almaty import almaty_to_utc, utc_to_almaty
from app.competitions.forms import AlmatyDateTimeField, WholeNumberField
from app.competitions.services import in_years, years_message
from app.i18n import current_language
from app.kz.regions import all_regions
from app.office_log import consultations, events
from app.office_log.models import Channel, EventKind, Topic
from app.tables import FORMATS


def _chosen(enum_cls, value):
    """The member of `enum_cls` with this value; None for anything else."""
    return next((member for member in enum_cls if member.value == value), None)


def _region_choices(blank):
    language = current_language()
    return [SelectChoice("", blank)] + [SelectChoice(region.code, region.name(language)) for region in all_regions()]


class _Calls:
    """The call field of a form: `calls` are offered by code; `call()` is the one chosen or None."""

    def set_calls(self, calls, blank):
        self._calls = {str(call.id): call for call in calls}
        self.competition_id.choices = [SelectChoice("", blank)] + [
            SelectChoice(str(call.id), call.code) for call in calls]

    def validate_competition_id(self, field):
        if field.data and field.data not in self._calls:
            raise ValidationError(_l("Choose a call from the list."))

    def call(self):
        return self._calls.get(self.competition_id.data)


# --- consultations --------------------------------------------------------------------------

class _ConsultationForm(_Calls, FlaskForm):
    channel = RadioField(_l("Channel"), choices=[SelectChoice(channel.value, channel.title) for channel in Channel],
                         validate_choice=False)
    topic = SelectField(_l("Topic"), validate_choice=False)
    region_code = SelectField(_l("Region"), validate_choice=False)
    competition_id = SelectField(_l("Call"), validate_choice=False)
    note = StringField(_l("Note"), render_kw={"maxlength": consultations.NOTE_MAX, "autocomplete": "off"})

    def __init__(self, calls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(topic.value, topic.title)
                                                                 for topic in Topic]
        self.region_code.choices = _region_choices(_("Region not asked"))
        self.set_calls(calls, _("No call in particular"))

    def _values(self, occurred_at):
        return {"channel": _chosen(Channel, self.channel.data), "topic": _chosen(Topic, self.topic.data),
                "region_code": self.region_code.data, "competition": self.call(), "note": self.note.data,
                "occurred_at": occurred_at}


class QuickConsultationForm(_ConsultationForm):
    """The one line at the top of the log: the time is now unless typed (a time of today)."""

    occurred_at = TimeField(_l("Time"), validators=[Optional()], description=_l("Empty: now"),
                            invalid_value_message=_l("Enter the time like 14:05, or leave it empty for now."))

    def values(self, now):
        """The values for the service; `now` (naive UTC) gives today's date to a typed time."""
        if self.occurred_at.data is None:
            return self._values(None)
        return self._values(almaty_to_utc(datetime.combine(utc_to_almaty(now).date(), self.occurred_at.data)))


class ConsultationForm(_ConsultationForm):
    """A consultation with its day and time: one of an earlier day, or a correction."""

    occurred_at = AlmatyDateTimeField(_l("Date and time"), validators=[Optional()],
                                      description=_l("Almaty time."))

    def values(self):
        return self._values(almaty_to_utc(self.occurred_at.data) if self.occurred_at.data else None)


# --- information events ---------------------------------------------------------------------

class EventForm(_Calls, FlaskForm):
    kind = SelectField(_l("Kind of event"), validate_choice=False)
    held_on = DateField(_l("Date"), validators=[Optional()],
                        invalid_value_message=_l("Enter the date of the event, like 2026-11-29."))
    title = StringField(_l("Title or theme (optional)"), render_kw={"maxlength": events.TITLE_MAX},
                        description=_l("For example: ZHAS PROJECT Open Day; or the theme of the master session."))
    place = StringField(_l("Place"), render_kw={"maxlength": events.PLACE_MAX},
                        description=_l("For example: Zhanaozen, youth resource centre; or Online, Zoom."))
    region_code = SelectField(_l("Region"), validate_choice=False)
    participants = WholeNumberField(_l("Participants"), render_kw={"inputmode": "numeric"},
                                    invalid_message=_l("Enter the number of participants as a whole number."))
    women = WholeNumberField(_l("Of them women (optional)"), render_kw={"inputmode": "numeric"},
                             invalid_message=_l("Enter a whole number, or leave it empty if not counted."))
    neet_youth = WholeNumberField(_l("Of them NEET youth (optional)"), render_kw={"inputmode": "numeric"},
                                  invalid_message=_l("Enter a whole number, or leave it empty if not counted."))
    notes = TextAreaField(_l("Notes (optional)"), render_kw={"rows": 4, "maxlength": events.NOTES_MAX},
                          description=_l("What was presented, who spoke, what was handed out."))
    competition_id = SelectField(_l("Call"), validate_choice=False)

    def __init__(self, calls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice("", _("Choose…"))] + [SelectChoice(kind.value, kind.title)
                                                                for kind in EventKind]
        self.region_code.choices = _region_choices(_("Online, or several regions"))
        self.set_calls(calls, _("No call in particular"))

    def values(self):
        return {"kind": _chosen(EventKind, self.kind.data), "held_on": self.held_on.data, "title": self.title.data,
                "place": self.place.data, "region_code": self.region_code.data,
                "participants": self.participants.data, "women": self.women.data,
                "neet_youth": self.neet_youth.data, "notes": self.notes.data, "competition": self.call()}


class DeleteForm(FlaskForm):
    """The removal button: only the CSRF token."""


# --- the lists' filters (GET forms: no CSRF token) --------------------------------------------

class _PeriodFilter(_Calls, Form):
    start = DateField(_l("From"), validators=[Optional()], invalid_value_message=_l("Enter a date like 2026-11-29."))
    end = DateField(_l("To"), validators=[Optional()], invalid_value_message=_l("Enter a date like 2026-11-29."))
    competition_id = SelectField(_l("Call"), validate_choice=False)
    fmt = SelectField(_l("Format"), choices=[SelectChoice(fmt, fmt.upper()) for fmt in FORMATS], default=FORMATS[0])

    def __init__(self, calls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_calls(calls, _("All calls"))
        for field in self:  # the page's quick entry has fields of the same names
            field.id = field.label.field_id = f"filter-{field.name}"

    def validate_start(self, field):
        if field.data is not None and not in_years(field.data):
            raise ValidationError(years_message())

    def validate_end(self, field):
        if field.data is not None and not in_years(field.data):
            raise ValidationError(years_message())
        if field.data is not None and self.start.data is not None and field.data < self.start.data:
            raise ValidationError(_l("The last day is before the first one."))


class ConsultationFilterForm(_PeriodFilter):
    channel = SelectField(_l("Channel"), validate_choice=False)
    region_code = SelectField(_l("Region"), validate_choice=False)

    def __init__(self, calls, *args, **kwargs):
        super().__init__(calls, *args, **kwargs)
        self.channel.choices = [SelectChoice("", _("All channels"))] + [
            SelectChoice(channel.value, channel.title) for channel in Channel]
        self.region_code.choices = _region_choices(_("All regions"))

    def chosen(self):
        """The arguments of app.office_log.queries.consultations for what is chosen."""
        region = self.region_code.data
        known = region and any(choice.value == region for choice in self.region_code.choices)
        return {"competition": self.call(), "start": self.start.data, "end": self.end.data,
                "channel": _chosen(Channel, self.channel.data), "region_code": region if known else None}


class EventFilterForm(_PeriodFilter):
    kind = SelectField(_l("Kind of event"), validate_choice=False)

    def __init__(self, calls, *args, **kwargs):
        super().__init__(calls, *args, **kwargs)
        self.kind.choices = [SelectChoice("", _("All events"))] + [SelectChoice(kind.value, kind.title)
                                                                   for kind in EventKind]

    def chosen(self):
        """The arguments of app.office_log.queries.events for what is chosen."""
        return {"competition": self.call(), "start": self.start.data, "end": self.end.data,
                "kind": _chosen(EventKind, self.kind.data)}
