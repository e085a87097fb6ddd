"""Signed-in credentials for the load generator, made the way a real log-in makes them.

login_user() inside a request that looks like wrk's (127.0.0.1, our User-Agent) stores the same
session identifier Flask-Login checks on every request; without it, session protection would mark
each request's session non-fresh and send a new cookie, work no browser causes. generate_csrf()
puts the raw token in the session and returns the signed form the X-CSRFToken header carries.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from courseware.accounts.models import User
from courseware.extensions import db

USER_AGENT = "courseware-bench/1.0"
REMOTE_ADDR = "127.0.0.1"


@dataclass(frozen=True)
class Credentials:
    cookie: str  # "session=<signed value>", as the Cookie header carries it
    csrf_token: str

    def headers(self) -> dict[str, str]:
        return {
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf_token,
            "User-Agent": USER_AGENT,
        }


def sign_in(app: Flask, user_id: int) -> Credentials:
    environ = {"REMOTE_ADDR": REMOTE_ADDR}
    with app.test_request_context(headers={"User-Agent": USER_AGENT}, environ_base=environ):
        user = db.session.get(User, user_id)
        if user is None or not login_user(user):
            raise RuntimeError(f"benchmark learner {user_id} cannot sign in")
        csrf_token = generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    return Credentials(f"{app.config['SESSION_COOKIE_NAME']}={value}", csrf_token)


def write_learners_file(path: Path, credentials: list[Credentials]) -> None:
    """One learner a line, "Cookie header<TAB>CSRF token", read by bench/learners.lua."""
    lines = (f"{item.cookie}\t{item.csrf_token}\n" for item in credentials)
    path.write_text("".join(lines))
