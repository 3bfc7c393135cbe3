"""Account pages: register, confirm, log in and out, the account page (a new password, log out
everywhere), forgotten password."""
import math

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from app.auth import services
from app.auth.forms import (ChangePasswordForm, ForgotPasswordForm, LoginForm, RegisterForm,
                            ResendConfirmationForm, ResetPasswordForm)
from app.auth.throttle import TooManyAttempts
from app.dbtypes import utcnow
from app.errors import Refused
from app.extensions import db, limiter
from app.i18n import current_language, safe_next

bp = Blueprint("auth", __name__)


def _limit(setting):
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.register_applicant(form.email.data, form.password.data, form.phone.data, current_language())
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>")
def confirm_email(token):
    try:
        user = services.confirm_email(token)
    except services.TokenError as error:
        message = (_("This confirmation link has expired.") if error.expired
                   else _("This confirmation link is not valid."))
        return render_template("auth/bad_link.html", message=message,
                               retry_url=url_for("auth.resend_confirmation")), 400
    db.session.commit()
    flash(_("Your e-mail address is confirmed. You can log in now."), "success")
    return redirect(url_for("auth.login", email=user.email))


@bp.route("/confirm/resend", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and not user.email_confirmed:
            services.send_confirmation(user)
            db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/resend_confirmation.html", form=form)


def _too_many_attempts(refusal, form, template, **context):
    """The form again with 429 and the time the account or address may try again."""
    form.form_errors.append(_("Too many failed attempts. For your safety, try again after %(time)s.",
                              time=format_time(refusal.retry_at, "short")))
    wait = max(1, math.ceil((refusal.retry_at - utcnow()).total_seconds()))
    return render_template(template, form=form, **context), 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("site.start_page") if current_user.is_staff else url_for("site.home"))
    form = LoginForm(email=request.args.get("email", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data, request.remote_addr)
        except TooManyAttempts as refusal:
            return _too_many_attempts(refusal, form, "auth/login.html", unconfirmed=False)
        db.session.commit()
        if user is None:
            form.form_errors.append(_("Wrong e-mail or password."))
        elif not user.email_confirmed:
            form.form_errors.append(_("Please confirm your e-mail address first: open the link we sent you."))
            return render_template("auth/login.html", form=form, unconfirmed=True), 200
        else:
            login_user(user, remember=form.remember.data)
            # Staff start from their work; applicants from the home page and its call.
            start = url_for("site.start_page") if user.is_staff else url_for("site.home")
            return redirect(safe_next(request.args.get("next"), start))
    return render_template("auth/login.html", form=form, unconfirmed=False)


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends the session here and every copy of it (and of the remember cookie) elsewhere."""
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("site.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The account page: a new password (which ends the other sessions), log out everywhere."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(user, form.current_password.data, form.password.data, request.remote_addr)
        except TooManyAttempts as refusal:
            return _too_many_attempts(refusal, form, "auth/account.html")
        except Refused as refusal:
            form[refusal.field].errors.append(refusal.message)
        else:
            db.session.commit()
            # Every session ended with the old password: this one goes on under the new version.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your new password is saved. You stay logged in here; every other device is "
                    "logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/log-out-everywhere", methods=["POST"])
@login_required
def log_out_everywhere():
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("site.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, current_language())
        db.session.commit()
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        services.user_for_reset_token(token)
    except services.TokenError as error:
        message = (_("This password reset link has expired.") if error.expired
                   else _("This password reset link is not valid or has already been used."))
        return render_template("auth/bad_link.html", message=message,
                               retry_url=url_for("auth.forgot_password")), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Your new password is saved. You can log in with it now."), "success")
        return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/password/set/<token>", methods=["GET", "POST"])
def set_password(token):
    """An invited member of staff sets their password; that confirms their address and logs them in."""
    try:
        invited = services.user_for_invitation_token(token)
    except services.TokenError as error:
        message = (_("This invitation has expired. Ask an administrator to send it again, or get a "
                     "password reset link.") if error.expired
                   else _("This invitation link is not valid or has already been used. If you have set "
                          "your password, log in; if you forgot it, get a reset link."))
        return render_template("auth/bad_link.html", message=message,
                               retry_url=url_for("auth.forgot_password")), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.accept_invitation(token, form.password.data)
        db.session.commit()
        login_user(user)
        flash(_("Your password is saved and you are logged in."), "success")
        return redirect(url_for("site.start_page") if user.is_staff else url_for("site.home"))
    return render_template("auth/set_password.html", form=form, user=invited)
