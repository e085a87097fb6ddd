"""Sign-up, log-in, email verification, password reset and change, sessions, profile and licences.

Each view parses a form, calls one service, commits once, then redirects or renders.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from courseware.accounts import forms, handles, services
from courseware.accounts.emails import duration_words
from courseware.accounts.models import User
from courseware.accounts.states import state_name
from courseware.extensions import db, limiter
from courseware.web import is_safe_next

bp = Blueprint("accounts", __name__)

DUPLICATE_EMAIL = "An account with this email already exists. Log in or reset your password."
LOGIN_FAILED = "Email or password is incorrect."
DUPLICATE_LICENCE = "You already have a license for this state and profession. Remove it first to replace it."
TOO_MANY_ATTEMPTS = "Too many attempts from your connection. Please wait a few minutes and try again."


def _config_limit(key: str):
    """Read the limit from config at request time, so tests and instances can change it."""
    return lambda: current_app.config[key]


def _per_user() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or "anonymous"


# Sign-up and log-in


@bp.route("/auth/signup", methods=["GET", "POST"])
@limiter.limit(_config_limit("RATELIMIT_SIGNUP"), methods=["POST"], error_message=TOO_MANY_ATTEMPTS)
def signup():
    next_url = _next_url()
    if current_user.is_authenticated:
        return redirect(next_url or url_for("learning.dashboard"))
    form = forms.SignupForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(form.email.data, form.display_name.data, form.password.data)
        except services.EmailTaken:
            db.session.rollback()
            form.email.errors.append(DUPLICATE_EMAIL)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome! We sent a link to {user.email}: open it to verify your address.", "success")
            return redirect(next_url or url_for("learning.dashboard"))
    return render_template("accounts/signup.html", form=form, next_url=next_url)


@bp.route("/auth/login", methods=["GET", "POST"])
@limiter.limit(_config_limit("RATELIMIT_LOGIN"), methods=["POST"], error_message=TOO_MANY_ATTEMPTS)
def login():
    # A logged-in visitor still gets the form: it is how one switches accounts.
    next_url = _next_url()
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(next_url or url_for("learning.dashboard"))
        form.password.errors.append(LOGIN_FAILED)
    return render_template("accounts/login.html", form=form, next_url=next_url)


@bp.post("/auth/logout")
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("catalog.home"))


# Email verification


@bp.get("/auth/verify/<token>")
def verify_email(token: str):
    try:
        user, newly_verified = services.verify_email(token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except services.LinkInvalid as problem:
        return _verification_link_problem(expired=isinstance(problem, services.LinkExpired))
    db.session.commit()
    if newly_verified:
        flash(f"Thank you: {user.email} is verified.", "success")
    else:
        flash("Your email address is already verified.", "info")
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    return redirect(url_for("accounts.login"))


@bp.post("/auth/verify/resend")
@login_required
@limiter.limit(_config_limit("RATELIMIT_VERIFY_RESEND"), key_func=_per_user, error_message=TOO_MANY_ATTEMPTS)
def resend_verification():
    user = _current_user()
    if user.is_verified:
        flash("Your email address is already verified.", "info")
    else:
        services.send_verification_email(user)
        db.session.commit()
        flash(f"We sent a new verification link to {user.email}.", "success")
    return redirect(url_for("accounts.profile"))


def _verification_link_problem(expired: bool):
    if current_user.is_authenticated and current_user.is_verified:
        flash("Your email address is already verified.", "info")
        return redirect(url_for("learning.dashboard"))
    valid_for = duration_words(current_app.config["EMAIL_TOKEN_MAX_AGE"])
    return render_template("accounts/verify_problem.html", expired=expired, valid_for=valid_for), 400


# Forgotten password


@bp.route("/auth/forgot", methods=["GET", "POST"])
@limiter.limit(_config_limit("RATELIMIT_RESET"), methods=["POST"], error_message=TOO_MANY_ATTEMPTS)
def forgot_password():
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the account exists: no one learns who has an account.
        flash(
            f"If an account uses {form.email.data}, we have emailed it a link to choose a new password. "
            "Check your inbox and your spam folder.",
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token, current_app.config["RESET_TOKEN_MAX_AGE"])
    except services.LinkInvalid as problem:
        expired = isinstance(problem, services.LinkExpired)
        valid_for = duration_words(current_app.config["RESET_TOKEN_MAX_AGE"])
        return render_template("accounts/reset_problem.html", expired=expired, valid_for=valid_for), 400
    form = forms.ResetPasswordForm(account_email=user.email)
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        login_user(user)
        flash("Your new password is set and you are logged in. Every other device was signed out.", "success")
        return redirect(url_for("learning.dashboard"))
    return render_template("accounts/reset_password.html", form=form, email=user.email)


# Password and sessions of a logged-in user


@bp.route("/me/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_config_limit("RATELIMIT_LOGIN"), methods=["POST"], error_message=TOO_MANY_ATTEMPTS)
def change_password():
    user = _current_user()
    form = forms.ChangePasswordForm(account_email=user.email)
    if form.validate_on_submit():
        if services.change_password(user, form.current_password.data, form.password.data):
            db.session.commit()
            _log_in_again(user)
            flash("Your password is changed. Every other device was signed out.", "success")
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append("That is not your current password.")
    return render_template("accounts/change_password.html", form=form)


@bp.post("/me/sessions/end")
@login_required
def logout_everywhere():
    user = _current_user()
    services.end_other_sessions(user)
    db.session.commit()
    _log_in_again(user)
    flash("You are signed out on every other device. This one stays logged in.", "success")
    return redirect(url_for("accounts.profile"))


# Profile and licences


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    user = _current_user()
    form = forms.ProfileForm.for_user(user)
    if form.validate_on_submit():
        try:
            services.update_profile(
                user, form.display_name.data, form.handle.data, form.legal_name.data, form.credential_value(),
                form.time_zone.data,
            )
        except handles.HandleTaken:
            form.handle.errors.append("Another member has this @name. Choose another.")
            return _render_profile(user, form, forms.LicenceForm(formdata=None))
        db.session.commit()
        flash("Your profile is saved.", "success")
        return redirect(url_for("accounts.profile"))
    return _render_profile(user, form, forms.LicenceForm(formdata=None))


@bp.post("/me/profile/licences")
@login_required
def add_licence():
    user = _current_user()
    form = forms.LicenceForm()
    if form.validate_on_submit():
        try:
            services.add_licence(
                user, form.state.data, form.profession.data, form.number.data, form.renewal_date.data
            )
        except services.DuplicateLicence:
            form.state.errors.append(DUPLICATE_LICENCE)
        else:
            db.session.commit()
            flash("License added.", "success")
            return redirect(url_for("accounts.profile", _anchor="licences"))
    return _render_profile(user, forms.ProfileForm.for_user(user, formdata=None), form)


@bp.post("/me/profile/licences/<int:licence_id>/delete")
@login_required
def remove_licence(licence_id: int):
    if not services.remove_licence(_current_user(), licence_id):
        abort(404)
    db.session.commit()
    flash("License removed.", "success")
    return redirect(url_for("accounts.profile", _anchor="licences"))


def _render_profile(user: User, form: forms.ProfileForm, licence_form: forms.LicenceForm):
    return render_template(
        "accounts/profile.html",
        user=user,
        form=form,
        licence_form=licence_form,
        legal_name_hint=forms.LEGAL_NAME_LOCKED_HINT if user.legal_name_locked else forms.LEGAL_NAME_HINT,
        state_name=state_name,
    )


# Helpers


def _next_url() -> str | None:
    target = request.args.get("next")
    return target if is_safe_next(target) else None


def _current_user() -> User:
    return current_user._get_current_object()


def _log_in_again(user: User) -> None:
    """After the session token rotates, keep this browser (and its remember cookie) signed in."""
    cookie_name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=cookie_name in request.cookies)
