"""Account forms."""
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.kz.phone import normalize_phone

PASSWORD_MIN = 8


def email_address(form, field):
    try:
        field.data = validate_email(field.data or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValidationError(_l("Enter a valid e-mail address, like name@example.kz.")) from error


def kazakh_mobile(form, field):
    try:
        field.data = normalize_phone(field.data or "")
    except ValueError as error:
        raise ValidationError(str(error)) from error


class _EmailForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Length(max=254), email_address])


class _NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=PASSWORD_MIN, max=128, message=_l("The password must have 8 to 128 characters.")),
    ], description=_l("At least 8 characters."))
    password_again = PasswordField(_l("Password again"), validators=[
        DataRequired(_l("Enter the password once more.")),
        EqualTo("password", message=_l("The two passwords are not the same.")),
    ])


class RegisterForm(_EmailForm, _NewPasswordForm):
    phone = StringField(_l("Mobile phone"), validators=[
        DataRequired(_l("Enter your mobile phone number.")), Length(max=32), kazakh_mobile,
    ], description=_l("A Kazakhstan mobile number, for example +7 701 123 45 67 or 8 701 123 45 67."))


class LoginForm(_EmailForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Remember me on this device"))


class ForgotPasswordForm(_EmailForm):
    pass


class ResendConfirmationForm(_EmailForm):
    pass


class ResetPasswordForm(_NewPasswordForm):
    pass


class ChangePasswordForm(_NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.password.label.text = _l("New password")
