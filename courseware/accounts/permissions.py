"""Who may do what in accounts, in one place; later features reuse `verified_email_required`."""

from collections.abc import Callable
from functools import wraps

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from courseware.extensions import login_manager

VERIFY_FIRST = (
    "Please verify your email address first: open the link we emailed you, or send a new one below."
)


def verified_email_required(view: Callable) -> Callable:
    """Posting and buying need a verified email: others go to their profile with a note why."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_verified:
            flash(VERIFY_FIRST, "info")
            return redirect(url_for("accounts.profile"))
        return view(*args, **kwargs)

    return wrapped


def author_required(view: Callable) -> Callable:
    """The author's tools (/studio): authors and admins only; a signed-in member gets 403."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_author:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
