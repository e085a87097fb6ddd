"""The account emails. Each goes to the outbox in the caller's transaction; the worker sends it."""

from flask import current_app, render_template, url_for

from courseware.accounts import tokens
from courseware.accounts.models import User
from courseware.notifications.services import queue_email


def queue_verification(user: User) -> None:
    token = tokens.make_token(tokens.VERIFY_EMAIL_SALT, {"uid": user.id, "email": user.email})
    _queue(
        user,
        "Confirm your email address",
        "accounts/email/verify_email.txt",
        link=url_for("accounts.verify_email", token=token, _external=True),
        valid_for=duration_words(current_app.config["EMAIL_TOKEN_MAX_AGE"]),
    )


def queue_password_reset(user: User) -> None:
    payload = {"uid": user.id, "pw": tokens.password_fingerprint(user.password_hash)}
    token = tokens.make_token(tokens.RESET_PASSWORD_SALT, payload)
    _queue(
        user,
        "Reset your password",
        "accounts/email/reset_password.txt",
        link=url_for("accounts.reset_password", token=token, _external=True),
        valid_for=duration_words(current_app.config["RESET_TOKEN_MAX_AGE"]),
    )


def queue_password_changed(user: User) -> None:
    _queue(
        user,
        "Your password was changed",
        "accounts/email/password_changed.txt",
        forgot_link=url_for("accounts.forgot_password", _external=True),
    )


def duration_words(seconds: int) -> str:
    """3600 -> "1 hour", 259200 -> "3 days": how long a link works, for people to read."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def _queue(user: User, subject: str, template: str, **context) -> None:
    site = current_app.config["SITE_NAME"]
    body = render_template(template, user=user, site=site, **context)
    queue_email(user.email, f"{subject} · {site}", body)
