"""Screening forms: the queue's filters, assignment, the review of a check, the three decisions.

Every form that changes an application carries the `version` (state_version) of the application
the page showed, so that the services can refuse a decision taken on a stale page. The forms only
parse; the rules live in services, whose errors `app.errors.apply_change` puts next to the fields."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, \
    StringField, TextAreaField

from app.almaty import almaty_to_utc, utc_to_almaty
from app.applications.models import ApplicationStatus
from app.applications.drafting import FORM_STEPS, STEPS
from app.competitions.forms import AlmatyDateTimeField
from app.dbtypes import utcnow
from app.i18n import current_language
from app.kz.regions import get_district, get_region
from app.screening import checks, decisions
from app.screening.queue import QueueFilters
from app.screening.models import ReasonCode

CORRECTION_DAYS_DEFAULT = 7
# The parts of the form as staff name them (the applicant's steps say "About you", "Your project").
STEP_TITLES = {1: _l("Applicant"), 2: STEPS[2], 3: STEPS[3], 4: _l("Project"), 5: STEPS[5], 6: STEPS[6]}


class VersionField(HiddenField):
    """The state_version the page showed; None when missing or not a number (the services then
    refuse, as for a stale page)."""

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = int(value) if value.isdigit() else None

    def _value(self):
        return "" if self.data is None else str(self.data)


class QueueFilterForm(Form):
    """The queue's filters, read from the query string (a GET form: no CSRF token)."""

    region = SelectField(_l("Region"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    check = SelectField(_l("Automatic checks"), validate_choice=False)
    screener = SelectField(_l("Screener"), validate_choice=False)
    q = StringField(_l("Search"), description=_l("Application number, name, IIN or phone."),
                    render_kw={"type": "search", "maxlength": 100})
    sort = SelectField(_l("Sort by"), validate_choice=False)

    def __init__(self, formdata, competition, screeners):
        super().__init__(formdata)
        language = current_language()
        self.region.choices = [SelectChoice("", _l("All regions"))] + [
            SelectChoice(s.region_code, _name(get_region, s.region_code, language)) for s in competition.strata]
        self.district.choices = [SelectChoice("", _l("All districts"))] + [
            SelectChoice(code, _name(get_district, code, language))
            for s in competition.strata for code in _districts(s)]
        self.status.choices = [SelectChoice("", _l("All statuses"))] + [
            SelectChoice(s.value, s.title) for s in ApplicationStatus if s is not ApplicationStatus.DRAFT]
        self.check.choices = [SelectChoice("", _l("Any result")), SelectChoice("any", _l("Some check fails"))] + [
            SelectChoice(code, _l("Fails: %(check)s", check=checks.CHECK_TITLES[code]))
            for code in checks.CHECK_CODES]
        self.screener.choices = [SelectChoice("", _l("Anyone")), SelectChoice("me", _l("Assigned to me")),
                                 SelectChoice("none", _l("Not assigned"))] + [
            SelectChoice(str(user.id), user.email) for user in screeners]
        self.sort.choices = [
            SelectChoice("number", _l("Number")), SelectChoice("-number", _l("Number, last first")),
            SelectChoice("submitted", _l("Submitted, first first")),
            SelectChoice("-submitted", _l("Submitted, last first")), SelectChoice("name", _l("Last name")),
        ]

    def filters(self, page):
        """The filters for app.screening.queue.queue; values not offered are ignored."""
        def offered(field):
            value = field.data or ""
            return value if value in {choice.value for choice in field.choices} else ""

        status = offered(self.status)
        return QueueFilters(
            region=offered(self.region), district=offered(self.district),
            status=ApplicationStatus(status) if status else None, check=offered(self.check),
            screener=offered(self.screener), search=(self.q.data or "").strip(),
            sort=offered(self.sort) or "number", page=page,
        )


def _name(lookup, code, language):
    try:
        return lookup(code).name(language)
    except KeyError:
        return code


def _districts(stratum):
    if stratum.districts:
        return stratum.districts
    try:
        return [district.code for district in get_region(stratum.region_code).districts]
    except KeyError:
        return []


class AssignForm(FlaskForm):
    screener = SelectField(_l("Screener"), validate_choice=False)
    next = HiddenField()

    def __init__(self, *args, screeners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.screener.choices = [SelectChoice("", _l("Nobody"))] + [
            SelectChoice(str(user.id), user.email) for user in screeners]


class CheckReviewForm(FlaskForm):
    version = VersionField()
    verdict = RadioField(_l("Your judgement"), choices=[
        SelectChoice("pass", _l("Meets the rule")), SelectChoice("fail", _l("Does not meet the rule"))],
        validate_choice=False)
    comment = TextAreaField(
        _l("Comment"), render_kw={"rows": 2, "maxlength": checks.COMMENT_MAX},
        description=_l("Needed when your judgement differs from the automatic result."))

    @classmethod
    def for_check(cls, reviewed, version, **kwargs):
        form = cls(prefix=f"check-{reviewed.code}", **kwargs)
        if not form.is_submitted():
            form.version.data = version
            passes = reviewed.review.passes if reviewed.review is not None else reviewed.check.ok
            form.verdict.data = {True: "pass", False: "fail"}.get(passes)
            form.comment.data = reviewed.review.comment if reviewed.review is not None else ""
        return form

    def passes(self):
        return {"pass": True, "fail": False}.get(self.verdict.data)


class _DecisionForm(FlaskForm):
    version = VersionField()

    @classmethod
    def fresh(cls, application):
        form = cls(formdata=None)
        form.version.data = application.state_version
        return form


class EligibleForm(_DecisionForm):
    """"Eligible", confirmed when checks were overridden: `overrides` carries the codes of the
    overridden checks the page listed, `confirmed` the screener's tick beside that list."""

    overrides = HiddenField()
    confirmed = BooleanField(_l("I have looked at the overridden checks again and confirm them."))

    @classmethod
    def fresh(cls, application, overridden=()):
        form = super().fresh(application)
        form.overrides.data = ",".join(reviewed.code for reviewed in overridden)
        return form

    def confirms(self, overridden):
        """Whether the screener confirmed every check in `overridden` (ReviewedCheck) on this page."""
        listed = set((self.overrides.data or "").split(","))
        return not overridden or (self.confirmed.data and {reviewed.code for reviewed in overridden} <= listed)


class ReopenForm(_DecisionForm):
    reason = TextAreaField(
        _l("Why the decision is reopened"), render_kw={"rows": 3, "maxlength": decisions.MESSAGE_MAX},
        description=_l("The applicant reads it in the mail telling them the decision is reopened."))


class RejectForm(_DecisionForm):
    reasons = SelectMultipleField(
        _l("Reasons"), choices=[SelectChoice(code.value, code.title) for code in ReasonCode],
        validate_choice=False)
    message = TextAreaField(
        _l("Message to the applicant"), render_kw={"rows": 4, "maxlength": decisions.MESSAGE_MAX},
        description=_l("The applicant reads it with the reasons. Needed with the reason \"Other\"."))

    @classmethod
    def fresh(cls, application, reasons=()):
        """The form with `reasons` (ReasonCode: those of the failing checks) ticked."""
        form = super().fresh(application)
        form.reasons.data = [reason.value for reason in reasons]
        return form


class CorrectionForm(_DecisionForm):
    message = TextAreaField(
        _l("What must be corrected"), render_kw={"rows": 4, "maxlength": decisions.MESSAGE_MAX},
        description=_l("In plain words, as the applicant will read it."))
    steps = SelectMultipleField(
        _l("Parts the applicant may change"), choices=[SelectChoice(str(step), STEP_TITLES[step]) for step in FORM_STEPS],
        validate_choice=False)
    deadline = AlmatyDateTimeField(_l("Deadline"), description=_l("Almaty time."))

    @classmethod
    def fresh(cls, application):
        form = super().fresh(application)
        in_a_week = utc_to_almaty(utcnow()) + timedelta(days=CORRECTION_DAYS_DEFAULT)
        form.deadline.data = in_a_week.replace(hour=18, minute=0, second=0, microsecond=0)
        return form

    def step_numbers(self):
        return [int(value) for value in self.steps.data or () if str(value).isdigit()]

    def deadline_utc(self):
        return almaty_to_utc(self.deadline.data) if self.deadline.data else None
