"""Helpers for the accounts tests: the outbox, links in emails, a second browser, time travel."""

import re
import time
from contextlib import contextmanager
from types import SimpleNamespace

import itsdangerous.timed
import pytest
import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.notifications.models import OutboxEmail
from tests.conftest import PASSWORD

NEW_PASSWORD = "a quiet blue kettle"


@pytest.fixture
def outbox(app):
    """outbox() -> every queued email, oldest first."""

    def _emails() -> list[OutboxEmail]:
        with app.app_context():
            emails = db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)).all()
            db.session.expunge_all()
            return list(emails)

    return _emails


@pytest.fixture
def load_user(app):
    """load_user(email) -> the user as stored now (detached)."""

    def _load(email: str) -> User | None:
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is not None:
                db.session.expunge(user)
            return user

    return _load


@pytest.fixture
def browser(app):
    """browser(user) -> another test client logged in as `user`: a second device."""

    def _browser(user: User):
        other = app.test_client()
        with other.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return other

    return _browser


@pytest.fixture
def time_travel(monkeypatch):
    """with time_travel(seconds_ago): links signed inside the block carry that old timestamp."""

    @contextmanager
    def _travel(seconds_ago: int):
        real_time = time.time
        with monkeypatch.context() as patch:
            patch.setattr(itsdangerous.timed, "time", SimpleNamespace(time=lambda: real_time() - seconds_ago))
            yield

    return _travel


def link_path(body: str, prefix: str) -> str:
    """The path of the absolute link in an email body that starts with `prefix` (e.g. /auth/verify/)."""
    match = re.search(r"http://localhost(" + re.escape(prefix) + r"\S+)", body)
    assert match, f"no {prefix} link in: {body}"
    return match.group(1)


def sign_up(client, **fields):
    data = {
        "email": "new.member@example.com",
        "display_name": "Sam Rivera",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    data.update(fields)
    return client.post("/auth/signup", data=data)


def log_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    return client.get("/me/").status_code == 200
