"""The forms of mentoring: they parse what was typed; the rules live in the services."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, EmailField, HiddenField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from app import storage
from app.auth.forms import email_address, kazakh_mobile
from app.competitions.forms import WholeNumberField
from app.i18n import current_language
from app.kz.regions import all_regions
from app.mentoring import candidates, meetings
from app.mentoring.models import CRITERIA, MIN_EXPERIENCE_YEARS, Education, MeetingFormat


class CandidateForm(FlaskForm):
    """The public application of a mentor candidate."""

    full_name = StringField(_l("Full name"), render_kw={"maxlength": candidates.NAME_MAX, "autocomplete": "name"})
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Length(max=254), email_address])
    phone = StringField(_l("Mobile phone"), validators=[
        DataRequired(_l("Enter your mobile phone number.")), Length(max=32), kazakh_mobile],
        description=_l("A Kazakhstan mobile number, for example +7 701 123 45 67 or 8 701 123 45 67."))
    region_code = SelectField(_l("Region where you live"), validate_choice=False)
    mobile = BooleanField(_l("I can travel to the grantees in the districts of my region"))
    years_experience = WholeNumberField(
        _l("Years of work with young people or in the social sector"),
        invalid_message=_l("Enter the number of years as a whole number, for example 5."),
        description=_l("We look for at least %(years)s years, preferably with vulnerable young people.",
                       years=MIN_EXPERIENCE_YEARS))
    project_experience = TextAreaField(
        _l("Projects and events you organised"), render_kw={"rows": 5, "maxlength": candidates.TEXT_MAX},
        description=_l("What, when, with whom, and your part in it. Mentoring in earlier youth projects counts."))
    education = SelectField(_l("Education"), validate_choice=False)
    cv = FileField(_l("CV (PDF)"), render_kw={"accept": storage.accept_attribute(candidates.CV_KINDS)},
                   description=_l("Save your CV as PDF (in Word: File, Save as, PDF). At most 10 MB."))
    consent = BooleanField(_l("I agree to the processing of my personal data for the mentor selection"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.region_code.choices = [SelectChoice("", _("Choose a region"))] + [
            SelectChoice(region.code, region.name(language)) for region in all_regions()]
        self.education.choices = [SelectChoice("", _("Choose…"))] + [
            SelectChoice(level.value, level.title) for level in Education]

    def values(self):
        return {"full_name": self.full_name.data, "email": self.email.data, "phone": self.phone.data,
                "region_code": self.region_code.data, "mobile": self.mobile.data,
                "years_experience": self.years_experience.data,
                "project_experience": self.project_experience.data,
                "education": _member(Education, self.education.data), "consent": self.consent.data}


class ScoreForm(FlaskForm):
    """Points for each criterion of the selection (fields named by the criteria's codes)."""

    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2, "maxlength": candidates.NOTE_MAX})

    def points(self):
        return {criterion.code: self[criterion.code].data for criterion in CRITERIA}


for _criterion in CRITERIA:
    setattr(ScoreForm, _criterion.code, WholeNumberField(
        _criterion.title, invalid_message=_l("Enter the points as a whole number."),
        description=_l("0 to %(max)s points", max=_criterion.max_points),
        render_kw={"inputmode": "numeric"}))
del _criterion


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ProposalForm(FlaskForm):
    """The most grants a mentor takes (a GET form that only recomputes the proposal)."""

    class Meta:
        csrf = False

    max_load = WholeNumberField(_l("At most this many grants per mentor"),
                                invalid_message=_l("Enter a whole number, for example 4."),
                                render_kw={"inputmode": "numeric"})


class AcceptForm(FlaskForm):
    """Accepting the proposal shown: its fingerprint (and its maximum, beside it in the page), so
    nothing else is assigned."""

    fingerprint = HiddenField()


class AssignForm(FlaskForm):
    candidate_id = SelectField(_l("Mentor"), coerce=int, validate_choice=False)
    reason = TextAreaField(_l("Why this mentor"), render_kw={"rows": 3, "maxlength": candidates.NOTE_MAX},
                           description=_l("For example: the grantee and the mentor live in the same district."))

    def set_pool(self, pool, loads):
        self.candidate_id.choices = [SelectChoice(0, _("Choose…"))] + [
            SelectChoice(mentor.id, _("%(name)s (%(count)s grants now)", name=mentor.full_name, count=loads[mentor.id]))
            for mentor in pool]


class MeetingForm(FlaskForm):
    """A meeting as the mentor logs it on a phone: the date is today unless changed."""

    held_on = DateField(_l("Date of the meeting"), validators=[Optional()],
                        invalid_value_message=_l("Enter the date of the meeting, like 2026-11-29."))
    format = RadioField(_l("Format"), choices=[SelectChoice(kind.value, kind.title) for kind in MeetingFormat],
                        validate_choice=False)
    topics = TextAreaField(_l("What you discussed"), render_kw={"rows": 2, "maxlength": meetings.TOPICS_MAX},
                           description=_l("In a few words, for example: suppliers' invoices, the first customers."))
    notes = TextAreaField(_l("Notes (optional)"), render_kw={"rows": 3, "maxlength": meetings.TEXT_MAX})
    next_steps = TextAreaField(_l("Next steps (optional)"), render_kw={"rows": 2, "maxlength": meetings.TEXT_MAX})

    def values(self):
        return {"held_on": self.held_on.data, "format": _member(MeetingFormat, self.format.data),
                "topics": self.topics.data, "notes": self.notes.data, "next_steps": self.next_steps.data}


class DisputeForm(FlaskForm):
    comment = TextAreaField(_l("What is wrong with this meeting"), render_kw={"rows": 3,
                                                                              "maxlength": meetings.TEXT_MAX},
                            description=_l("For example: the meeting did not take place, or it was on another day."))


def _member(enum_cls, value):
    """The enum member with this value, or None for anything else (the service says what is missing)."""
    try:
        return enum_cls(value)
    except ValueError:
        return None
