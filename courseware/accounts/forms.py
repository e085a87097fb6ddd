"""The accounts forms. Messages say what to do, in plain words, beside the field."""

from zoneinfo import available_timezones

from flask import current_app
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from courseware.accounts import handles
from courseware.accounts.models import Profession, User
from courseware.accounts.passwords import password_problem
from courseware.accounts.states import US_STATES
from courseware.forms import Form, strip

CREDENTIALS = ["OTR/L", "OTR", "COTA/L", "COTA", "OT Student", "OTA Student"]
OTHER = "Other"
LEGAL_NAME_HINT = "This prints on your certificates exactly as you write it here."
LEGAL_NAME_LOCKED_HINT = (
    "This name is printed on your certificates, so it can no longer be changed here. "
    "To correct it, ask the instructor: she reissues the certificate with the right name."
)
US_TIME_ZONES = {
    "America/New_York": "Eastern time (New York)",
    "America/Chicago": "Central time (Chicago)",
    "America/Denver": "Mountain time (Denver)",
    "America/Phoenix": "Arizona (Phoenix)",
    "America/Los_Angeles": "Pacific time (Los Angeles)",
    "America/Anchorage": "Alaska (Anchorage)",
    "Pacific/Honolulu": "Hawaii (Honolulu)",
    "America/Puerto_Rico": "Puerto Rico",
}


def _email_field(label: str = "Email") -> EmailField:
    return EmailField(
        label,
        filters=[strip],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.com."),
            Length(max=254, message="That email address is too long."),
        ],
    )


class NewPassword:
    """Config's minimum length, not the email's local part, not a very common password."""

    def __call__(self, form, field) -> None:
        email = form.email.data if "email" in form else form.account_email
        problem = password_problem(field.data or "", email or "", current_app.config["PASSWORD_MIN_LENGTH"])
        if problem:
            raise ValidationError(problem)


def _new_password_fields(label: str = "New password") -> tuple[PasswordField, PasswordField]:
    password = PasswordField(label, validators=[DataRequired("Choose a password."), NewPassword()])
    confirm = PasswordField(
        f"Type the {label.lower()} again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The passwords do not match."),
        ],
    )
    return password, confirm


class SignupForm(Form):
    email = _email_field()
    display_name = StringField(
        "Display name",
        filters=[strip],
        validators=[DataRequired("Enter the name others will see."), Length(max=80)],
    )
    password, confirm = _new_password_fields("Password")


class LoginForm(Form):
    email = _email_field()
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me logged in on this device")


class ForgotPasswordForm(Form):
    email = _email_field()


class _AccountPasswordForm(Form):
    """A form for a known account: the password rules need that account's email."""

    def __init__(self, *args, account_email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email


class ResetPasswordForm(_AccountPasswordForm):
    password, confirm = _new_password_fields()


class ChangePasswordForm(_AccountPasswordForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password, confirm = _new_password_fields()


def time_zone_choices() -> list[SelectChoice]:
    """The US zones first (most of our learners), then every other IANA zone."""
    us = [SelectChoice(zone, label) for zone, label in US_TIME_ZONES.items()]
    others = sorted(available_timezones() - US_TIME_ZONES.keys())
    return us + [SelectChoice(zone, zone.replace("_", " ")) for zone in others]


class ProfileForm(Form):
    display_name = StringField(
        "Display name",
        filters=[strip],
        validators=[DataRequired("Enter the name others will see."), Length(max=80)],
    )
    handle = StringField(
        "Forum @name",
        filters=[strip, lambda value: value.lower().removeprefix("@") if isinstance(value, str) else value],
        validators=[DataRequired("Choose the @name others use to mention you.")],
    )
    legal_name = StringField(
        "Legal name for certificates",
        filters=[strip],
        validators=[Optional(), Length(max=160, message="Use at most 160 characters.")],
    )
    credential = SelectField(
        "Credential",
        choices=[SelectChoice("", "Choose your credential"), *map(SelectChoice, [*CREDENTIALS, OTHER])],
        validate_choice=True,
    )
    credential_other = StringField(
        "Your credential, if other",
        filters=[strip],
        validators=[Length(max=40, message="Use at most 40 characters.")],
    )
    time_zone = SelectField("Time zone", choices=time_zone_choices, validate_choice=True)

    @classmethod
    def for_user(cls, user: User, **kwargs) -> "ProfileForm":
        known = user.credential in CREDENTIALS or not user.credential
        data = {
            "display_name": user.display_name,
            "handle": user.handle or "",
            "legal_name": user.legal_name or "",
            "credential": (user.credential or "") if known else OTHER,
            "credential_other": "" if known else user.credential,
            "time_zone": user.time_zone or current_app.config["DEFAULT_TIME_ZONE"],
        }
        return cls(data=data, **kwargs)

    def validate_handle(self, field) -> None:
        if not handles.is_valid_handle(field.data):
            raise ValidationError(handles.HANDLE_RULES)

    def validate_credential_other(self, field) -> None:
        if self.credential.data == OTHER and not field.data:
            raise ValidationError("Type your credential, for example OTR, MOT.")

    def credential_value(self) -> str | None:
        return self.credential_other.data if self.credential.data == OTHER else (self.credential.data or None)


class LicenceForm(Form):
    state = SelectField(
        "State",
        choices=[SelectChoice("", "Choose a state"), *(SelectChoice(*item) for item in US_STATES.items())],
        validators=[DataRequired("Choose the state that issued the license.")],
    )
    profession = SelectField(
        "Profession",
        choices=[
            SelectChoice("", "Choose OT or OTA"),
            SelectChoice(Profession.OT.value, "OT (occupational therapist)"),
            SelectChoice(Profession.OTA.value, "OTA (occupational therapy assistant)"),
        ],
        validators=[DataRequired("Choose OT or OTA.")],
    )
    number = StringField(
        "License number",
        filters=[strip],
        validators=[
            DataRequired("Enter the license number."),
            Length(max=40, message="Use at most 40 characters."),
            Regexp(r"^[A-Za-z0-9 .\-/#]+$", message="Use letters, numbers, spaces and - . / # only."),
        ],
    )
    renewal_date = DateField("Renewal date", validators=[Optional()])
