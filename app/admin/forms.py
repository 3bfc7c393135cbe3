"""Administrators' forms: invite a member of staff, their roles, a button's CSRF token, the
organisation's details and the audit log's filters. The forms parse; the rules live in the
services, whose messages `apply_change` puts next to the fields."""
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, Form, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.admin import auditlog
from app.admin.accounts import STAFF_ROLES
from app.admin.organisation import FIELDS as ORGANISATION_FIELDS
from app.auth.forms import email_address
from app.auth.models import Role
from app.i18n import LANGUAGE_NAMES

_ROLE_VALUES = {role.value: role for role in Role}


def _at_most(length):
    return Length(max=length, message=_l("At most %(max)s characters."))


class RolesField(SelectMultipleField):
    """Checkboxes of the staff roles; `roles` gives the chosen ones as Role (the service refuses
    the applicant's, which is never offered)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, validate_choice=False,
                         choices=[SelectChoice(role.value, role.title) for role in STAFF_ROLES], **kwargs)

    @property
    def roles(self):
        return {_ROLE_VALUES[value] for value in self.data or () if value in _ROLE_VALUES}


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Enter the e-mail address.")), _at_most(254), email_address],
        description=_l("The person's work address: the invitation goes there."))
    roles = RolesField(_l("Roles"))
    locale = SelectField(_l("Language of the invitation"), validate_choice=False,
                         choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()])


class RolesForm(FlaskForm):
    roles = RolesField(_l("Roles"))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class OrganisationForm(FlaskForm):
    legal_name_kk = StringField(_l("Legal name in Kazakh"))
    legal_name_ru = StringField(_l("Legal name in Russian"))
    legal_name_en = StringField(_l("Legal name in English"))
    bin = StringField(_l("BIN"), description=_l("12 digits."), render_kw={"inputmode": "numeric"})
    address_kk = StringField(_l("Legal address in Kazakh"))
    address_ru = StringField(_l("Legal address in Russian"))
    director_name_kk = StringField(_l("Director's full name in Kazakh"))
    director_name_ru = StringField(_l("Director's full name in Russian"))
    director_title_kk = StringField(_l("Director's position in Kazakh"))
    director_title_ru = StringField(_l("Director's position in Russian"))
    bank_name = StringField(_l("Bank"))
    iban = StringField(_l("IBAN"), description=_l("The account number: KZ and 18 characters."))
    bic = StringField(_l("BIC"), description=_l("The bank's SWIFT code, for example HSBKKZKX."))
    phone = StringField(_l("Phone"), description=_l(
        "A Kazakhstan mobile number, for example +7 701 123 45 67 or 8 701 123 45 67."))
    email = StringField(_l("E-mail"), render_kw={"type": "email"})

    @classmethod
    def for_organisation(cls, row, **kwargs):
        return cls(data={name: getattr(row, name) for name in ORGANISATION_FIELDS}, **kwargs)

    def details(self):
        return {name: self[name].data for name in ORGANISATION_FIELDS}


def _printable(value):
    """What was typed, without control characters (a NUL cannot even be searched for)."""
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cc").strip() if value else ""


class DayField(DateField):
    """An optional day typed as YYYY-MM-DD (the browser's date picker sends that)."""

    FIRST, LAST = date(2000, 1, 1), date(2999, 12, 31)

    def __init__(self, label=None, **kwargs):
        super().__init__(label, [Optional()], invalid_value_message=_l("Enter a date like 2026-11-29."),
                         **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.FIRST <= self.data <= self.LAST:
            self.data = None
            raise ValueError(_l("Enter a date between 2000 and 2999."))


class AuditFilterForm(Form):
    """The audit log's filters, read from the query string (a GET form: no CSRF token)."""

    action = StringField(_l("Action"), filters=[_printable], validators=[_at_most(64)],
                         description=_l("The beginning of its name, for example user. or screening.decided"))
    actor = StringField(_l("Who"), filters=[_printable], validators=[_at_most(254)],
                        description=_l("Part of the e-mail address."))
    since = DayField(_l("From"))
    until = DayField(_l("Until"), description=_l("Almaty time, both days included."))
    text = StringField(_l("Object"), filters=[_printable], validators=[_at_most(200)],
                       description=_l("For example application 17, user 5, or any text of the entry."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and self.since.data and self.until.data and self.since.data > self.until.data:
            self.until.errors = [_l("The last day is before the first one.")]
            return False
        return valid

    def filters(self):
        return auditlog.AuditFilters(action=self.action.data, actor=self.actor.data, since=self.since.data,
                                     until=self.until.data, text=self.text.data)
