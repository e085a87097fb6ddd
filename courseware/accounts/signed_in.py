"""Who is signed in on this request: Flask-Login's user loader, and the session's token for the
pages that find the member in their own statement (the lesson player's progress reports, a
forum topic page) rather than in one of Flask-Login's."""

from flask import g, session

from courseware.accounts.models import User
from courseware.accounts.services import load_user_by_session_token

_PRELOADED = "preloaded_reader"


def load_user(token: str) -> User | None:
    """Flask-Login's user loader. A page that found its reader by `signed_in_token()` hands them
    over with `preload_reader`, and this costs no statement."""
    preloaded = g.pop(_PRELOADED, None)
    if preloaded is not None and preloaded.session_token == token:
        return preloaded
    return load_user_by_session_token(token)


def signed_in_token() -> str | None:
    """The session's user token (Flask-Login keeps it under "_user_id"). None when the session
    names nobody (a remember-me cookie is read by Flask-Login when the user is first asked for)."""
    token = session.get("_user_id")
    return token if isinstance(token, str) else None


def preload_reader(user: User) -> None:
    """`user` was found by `signed_in_token()`: Flask-Login's loader returns them as they are."""
    g.setdefault(_PRELOADED, user)
