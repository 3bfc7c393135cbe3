"""The application form, one form per step, plus the small forms of documents and submission.

The forms only parse what was typed (text, whole numbers, ticks); the rules live in services,
whose errors `app.errors.apply_change` puts next to the fields. No field is required here: a draft
can be saved half-filled, and the review page lists what is still missing."""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, FieldList, Form, FormField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, TextAreaField)

from app import storage
from app.applications import drafting
from app.applications.models import SocialCategory
from app.competitions.forms import WholeNumberField
from app.i18n import current_language
from app.kz.regions import district_name, region_name

BUDGET_BLANK_ROWS = 3


class BoundedNumberField(WholeNumberField):
    """A whole number no larger than `maximum` either way: a larger one (10^25, say) is refused as
    typed, like a word, so that nothing is computed, shown or stored from it."""

    def __init__(self, label=None, maximum=None, **kwargs):
        super().__init__(label, **kwargs)
        self.maximum = maximum

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > self.maximum:
            self.data = None
            raise ValueError(_("Enter a whole number no larger than %(max)s.", max=format_decimal(self.maximum)))


class _StepForm(FlaskForm):
    """A step's form: filled from the application, or from what was posted."""

    @classmethod
    def for_application(cls, application, **kwargs):
        return cls(obj=application, **kwargs)

    def values(self):
        """The typed values for the step's service, keyed as the application's columns."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class IdentityForm(_StepForm):
    iin = StringField(
        _l("IIN"), filters=[lambda value: "".join((value or "").split())],
        description=_l("12 digits, as on your identity card. Your birth date and sex are read from it."),
        render_kw={"maxlength": 20, "data-check": "iin", "spellcheck": "false"})
    last_name = StringField(_l("Last name"), render_kw={"maxlength": drafting.NAME_MAX})
    first_name = StringField(_l("First name"), render_kw={"maxlength": drafting.NAME_MAX})
    patronymic = StringField(_l("Patronymic (optional)"), render_kw={"maxlength": drafting.NAME_MAX})
    phone = StringField(
        _l("Mobile phone"), description=_l("A Kazakh mobile number, for example +7 701 123 45 67."),
        render_kw={"maxlength": 20})


class RegistrationForm(_StepForm):
    # Choices are checked by the services, which say what is wrong in words.
    region_code = SelectField(_l("Region of registration"), validate_choice=False,
                              render_kw={"data-region-select": True, "data-check": "region"})
    district_code = SelectField(_l("District or city"), validate_choice=False,
                                render_kw={"data-district-select": True, "data-check": "district"})
    address = StringField(
        _l("Registration address"), description=_l("Street, house and flat, as in your registration."),
        render_kw={"maxlength": drafting.ADDRESS_MAX})

    @classmethod
    def for_application(cls, application, **kwargs):
        form = cls(obj=application, **kwargs)
        competition = application.competition
        language = current_language()
        form.region_code.choices = [SelectChoice("", _("Choose a region"))] + [
            SelectChoice(s.region_code, region_name(s.region_code, language)) for s in competition.strata]
        # Grouped by region; strata.js shows only the chosen region's group.
        form.district_code.choices = [SelectChoice("", _("Choose a district"))] + [
            SelectChoice(code, district_name(code, language), render_kw={"data-region": s.region_code},
                         optgroup=region_name(s.region_code, language))
            for s in competition.strata for code in drafting.district_choices(competition, s.region_code)
        ]
        return form


class NeetForm(_StepForm):
    not_working = BooleanField(_l("I am not working: I have no job and no business of my own."))
    not_studying = BooleanField(_l("I am not studying: not at school, college or university."))
    not_in_training = BooleanField(_l("I am not in training: no courses or vocational training."))
    situation = TextAreaField(
        _l("Your situation in your own words"),
        description=_l("For example: when you finished your studies, what you have done since, and what "
                       "stops you from finding work."),
        render_kw={"rows": 5, "maxlength": drafting.SITUATION_MAX})
    social_categories = SelectMultipleField(
        _l("Which of these apply to you? (optional)"),
        choices=[SelectChoice(c.value, c.title) for c in SocialCategory], validate_choice=False,
        description=_l("Used only for the programme's statistics. It does not change your chances."))


class ProjectForm(_StepForm):
    project_title = StringField(_l("Project title"), render_kw={"maxlength": drafting.PROJECT_TITLE_MAX})
    problem = TextAreaField(_l("What problem does your project solve?"),
                            render_kw={"rows": 4, "maxlength": drafting.PROJECT_TEXT_MAX})
    goal = TextAreaField(_l("What is the goal of your project?"),
                         render_kw={"rows": 3, "maxlength": drafting.PROJECT_TEXT_MAX})
    target_group = TextAreaField(_l("Who is the project for?"),
                                 render_kw={"rows": 3, "maxlength": drafting.PROJECT_TEXT_MAX})
    activities = TextAreaField(_l("What will you do?"),
                               description=_l("The main activities, step by step."),
                               render_kw={"rows": 5, "maxlength": drafting.PROJECT_TEXT_MAX})
    beneficiaries_count = BoundedNumberField(
        _l("How many people will benefit?"), maximum=drafting.BENEFICIARIES_MAX,
        invalid_message=_l("Enter the number of people as a whole number, for example 120."))


class BudgetLineForm(Form):
    item = StringField(_l("What you will buy"), render_kw={"maxlength": drafting.BUDGET_TEXT_MAX})
    quantity = BoundedNumberField(_l("Quantity"), maximum=drafting.QUANTITY_MAX,
                                  invalid_message=_l("Enter the quantity as a whole number."),
                                  render_kw={"data-quantity": True})
    unit_price = BoundedNumberField(
        _l("Price of one, tenge"), maximum=drafting.UNIT_PRICE_MAX,
        invalid_message=_l("Enter the price as a whole number of tenge, for example 150 000."),
        render_kw={"data-unit-price": True})
    supplier = StringField(_l("Where you will buy it (shop or supplier)"),
                           render_kw={"maxlength": drafting.BUDGET_TEXT_MAX})


class BudgetForm(FlaskForm):
    lines = FieldList(FormField(BudgetLineForm), min_entries=1,
                      max_entries=drafting.BUDGET_LINES_MAX + BUDGET_BLANK_ROWS)

    @classmethod
    def for_application(cls, application, **kwargs):
        """On a GET: the saved lines and a few blank ones to fill in."""
        form = cls(data={"lines": [
            {"item": line.item, "quantity": line.quantity, "unit_price": line.unit_price,
             "supplier": line.supplier} for line in application.budget_lines]}, **kwargs)
        if not form.is_submitted():
            blank = BUDGET_BLANK_ROWS - (1 if not application.budget_lines else 0)
            for _row in range(blank):
                form.lines.append_entry()
        return form

    def values(self):
        return [entry.data for entry in self.lines]


class _FileChosen(FileRequired):
    """FileRequired without the `required` flag: no asterisk on an optional document's field, and
    the server (not the browser, in its own language) says that no file was chosen."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}  # FileRequired sets the flag on the instance


_FILE_CHOSEN = [_FileChosen(_l("Choose a file to upload."))]


class UploadForm(FlaskForm):
    file = FileField(_l("File (PDF, JPEG or PNG)"), validators=_FILE_CHOSEN, render_kw={"accept": storage.accept_attribute()})


class ReplaceForm(FlaskForm):
    file = FileField(_l("New file (PDF, JPEG or PNG)"), validators=_FILE_CHOSEN,
                     render_kw={"accept": storage.accept_attribute()})


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class SubmitForm(FlaskForm):
    consent = BooleanField(_l(
        "I agree to the processing of my personal data (IIN, name, contacts, registration address and "
        "the documents I uploaded) by the project office for this competition, and I confirm that what "
        "I wrote is true."))


STEP_FORMS = {1: IdentityForm, 2: RegistrationForm, 3: NeetForm, 4: ProjectForm, 5: BudgetForm}
