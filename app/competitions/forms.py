"""Manager forms: the competition's settings (its contract terms among them), a stratum, a regulations PDF, a deadline extension.

The forms parse what was typed; the rules (window order, ages, unique code and region, districts
of the region, what is locked...) live in services, whose errors `app.errors.apply_change` puts
next to the fields. A setting locked at the call's stage is shown read-only with the reason."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField, DateTimeLocalField, IntegerField, SelectChoice, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from app.almaty import almaty_to_utc, utc_to_almaty
from app.competitions.models import DocumentType
from app.competitions.services import COMPETITION_FIELDS, LANGUAGES, YEARS, years_message
from app.i18n import current_language
from app.kz.regions import all_regions


class WholeNumberField(IntegerField):
    """An integer typed as people type it: `1 000 000` is one million."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = "".join(ch for ch in valuelist[0] if not ch.isspace() and ch != "₸")
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


class AlmatyDateTimeField(DateTimeLocalField):
    """A `datetime-local` input read as Asia/Almaty wall-clock time."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date and time, for example 22.10.2023 18:00.")) from None
        # Beyond these years the conversion to UTC (and back, to show it) may leave the calendar.
        if self.data is not None and not YEARS[0] <= self.data.year <= YEARS[1]:
            self.data = None
            raise ValueError(years_message())


class LockableForm(FlaskForm):
    """A form some of whose fields may be locked (app.competitions.locks): shown read-only with
    the reason, holding the current value. A value posted for a locked field anyway (a page
    opened before the lock, a crafted request) goes to the service, which refuses it on record."""

    locked = {}  # field name -> Stage

    def lock(self, locked, current):
        """Locks the fields named in `locked` (name -> Stage); `current` gives each field's value
        as the form holds it."""
        self.locked = {name: stage for name, stage in locked.items() if name in self}
        self._current = current
        for name, stage in self.locked.items():
            field = self[name]
            field.render_kw = {**(field.render_kw or {}), "disabled": True}
            field.description = stage.title
            field.validators = []
            field.flags.required = False
            if not field.raw_data:  # a disabled control posts nothing
                field.data = current[name]
        return self

    def show_locked_as_they_are(self):
        """After a refusal: each locked field shows the value it keeps, not the one posted."""
        for name in self.locked:
            self[name].raw_data = None
            self[name].data = self._current[name]


def _required(message):
    return [InputRequired(message)]


class CompetitionForm(LockableForm):
    code = StringField(
        _l("Code"), validators=_required(_l("Enter the code.")),
        filters=[lambda value: (value or "").strip().upper()],
        description=_l("2 to 8 capital Latin letters or digits. It starts every application number, "
                       "for example ZP23-0042."),
    )
    title_kk = StringField(_l("Title in Kazakh"), validators=_required(_l("Enter the title in Kazakh.")))
    title_ru = StringField(_l("Title in Russian"), validators=_required(_l("Enter the title in Russian.")))
    title_en = StringField(_l("Title in English"), validators=_required(_l("Enter the title in English.")))
    summary_kk = TextAreaField(_l("Summary in Kazakh"), render_kw={"rows": 3})
    summary_ru = TextAreaField(_l("Summary in Russian"), render_kw={"rows": 3})
    summary_en = TextAreaField(_l("Summary in English"), render_kw={"rows": 3})
    opens_at = AlmatyDateTimeField(
        _l("Applications open"), validators=_required(_l("Enter the date and time the window opens.")),
        description=_l("Almaty time."))
    closes_at = AlmatyDateTimeField(
        _l("Applications close"), validators=_required(_l("Enter the date and time the window closes.")),
        description=_l("Almaty time. Nothing can be submitted from this moment on."))
    age_min = WholeNumberField(
        _l("Minimum age"), validators=_required(_l("Enter the minimum age.")),
        invalid_message=_l("Enter the age as a whole number of years."))
    age_max = WholeNumberField(
        _l("Maximum age"), validators=_required(_l("Enter the maximum age.")),
        invalid_message=_l("Enter the age as a whole number of years."))
    age_reference_date = DateField(
        _l("Age is counted on"), validators=[Optional()],
        description=_l("Ages count in full years on this date. Leave it empty to use the closing date."))
    grant_cap = WholeNumberField(
        _l("Grant cap, tenge"), validators=_required(_l("Enter the grant cap.")),
        invalid_message=_l("Enter the grant cap as a whole number of tenge, for example 1 000 000."),
        description=_l("The most one grant can be, in whole tenge."))
    appeal_days = WholeNumberField(
        _l("Days to appeal a rejection"), validators=_required(_l("Enter the number of days.")),
        invalid_message=_l("Enter a whole number of days."))
    required_documents = SelectMultipleField(
        _l("Required documents"), choices=[SelectChoice(t.value, t.title) for t in DocumentType])
    contract_signing_days = WholeNumberField(
        _l("Days to sign a contract"), invalid_message=_l("Enter a whole number of days."),
        description=_l("From the issue of each contract to the last moment it can be signed, 1 to 90. "
                       "Empty: 14."))
    project_ends_on = DateField(
        _l("Projects end on"), validators=[Optional()],
        description=_l("The contract gives the project period: from its signing to this day. Leave it "
                       "empty to give no period."))
    report_due_date = DateField(
        _l("Final reports due on"), validators=[Optional()],
        description=_l("One date for every grant of the call. Leave it empty to make each report due 180 "
                       "days after its contract is issued."))
    contract_clauses_kk = TextAreaField(
        _l("Additional clauses in Kazakh"), render_kw={"rows": 4, "lang": "kk"},
        description=_l("Printed in the contract after the standard obligations, one clause per line."))
    contract_clauses_ru = TextAreaField(
        _l("Additional clauses in Russian"), render_kw={"rows": 4, "lang": "ru"},
        description=_l("Printed in the contract after the standard obligations, one clause per line."))

    @classmethod
    def for_competition(cls, competition, locked=None, **kwargs):
        """The form filled with the competition's settings (times in Almaty), then what was posted;
        the settings in `locked` (name -> Stage) read-only."""
        form = cls(obj=competition, **kwargs)
        current = {name: getattr(competition, name) for name in COMPETITION_FIELDS}
        for name in ("opens_at", "closes_at"):
            current[name] = utc_to_almaty(current[name])
            if not form[name].raw_data:
                form[name].data = current[name]
        return form.lock(locked or {}, current)

    def competition_data(self):
        """The values for the services, with the window converted to UTC."""
        data = {name: self[name].data for name in COMPETITION_FIELDS}
        for name in ("opens_at", "closes_at"):
            data[name] = almaty_to_utc(data[name])
        return data


class StratumForm(LockableForm):
    # Choices are checked by the services, which say what is wrong in words.
    region_code = SelectField(_l("Region"), validate_choice=False,
                              validators=_required(_l("Choose a region.")),
                              render_kw={"data-region-select": True})
    quota = WholeNumberField(
        _l("Quota (number of grants)"), validators=_required(_l("Enter the number of grants.")),
        invalid_message=_l("Enter the quota as a whole number of grants."))
    districts = SelectMultipleField(
        _l("Districts"), validate_choice=False,
        description=_l("Leave empty to accept applicants from the whole region."),
        render_kw={"data-district-select": True, "size": 8})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        regions = all_regions()
        self.region_code.choices = [SelectChoice("", _("Choose a region"))] + [
            SelectChoice(r.code, r.name(language)) for r in regions]
        # Grouped by region; strata.js shows only the chosen region's group.
        self.districts.choices = [
            SelectChoice(d.code, d.name(language), render_kw={"data-region": r.code}, optgroup=r.name(language))
            for r in regions for d in r.districts
        ]

    def lock_stratum(self, stratum, locked):
        """Locks the region and districts when the set of strata is locked, the quota when the
        quotas are (`locked`: setting name -> Stage, see locks.LOCKED_FROM)."""
        fields = {"region_code": "strata", "districts": "strata", "quota": "quota"}
        return self.lock({name: locked[setting] for name, setting in fields.items() if setting in locked},
                         {"region_code": stratum.region_code, "quota": stratum.quota,
                          "districts": list(stratum.districts)})


class RegulationsForm(FlaskForm):
    file = FileField(
        _l("Regulations (PDF)"), validators=[FileRequired(_l("Choose a PDF file to upload."))],
        render_kw={"accept": "application/pdf,.pdf"})


class DeadlineExtensionForm(FlaskForm):
    closes_at = AlmatyDateTimeField(
        _l("New deadline"), validators=_required(_l("Enter the new date and time.")),
        description=_l("Almaty time. Only later than the current deadline."))
    reason_kk = TextAreaField(_l("Reason in Kazakh"), validators=_required(_l("Enter the reason in Kazakh.")),
                              render_kw={"rows": 2})
    reason_ru = TextAreaField(_l("Reason in Russian"), validators=_required(_l("Enter the reason in Russian.")),
                              render_kw={"rows": 2})
    reason_en = TextAreaField(_l("Reason in English"), validators=_required(_l("Enter the reason in English.")),
                              render_kw={"rows": 2})

    def reasons(self):
        return {language: self[f"reason_{language}"].data for language in LANGUAGES}

    def closes_at_utc(self):
        return almaty_to_utc(self.closes_at.data)
