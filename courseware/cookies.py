"""The session cookie and the CSRF token, each verified or signed once per worker.

A browser sends the same session cookie with every request until its session changes, and every
page that shows a form signs the same raw CSRF token again. Verifying the cookie (two HMACs,
base64, zlib, JSON) and signing the token (two HMACs, JSON, base64, a new serializer) on every
request cost the busiest page (a member's cached forum topic) over a quarter of its CPU: 0.60 ms
a request, 0.43 ms without. Both results depend only on their input and the secret key, so each
worker remembers them: what it remembers is what it would have computed again, and nothing is
accepted that the signature would not accept.
"""

import time
from collections import OrderedDict
from contextlib import suppress

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

REMEMBERED = 4096  # cookies or tokens per worker, each a few hundred bytes; the oldest goes first
_PLAIN_VALUES = (str, int, float, bool, type(None))


class _Remembered(OrderedDict):
    """A bounded dict that forgets its oldest entry first (popitem is one step, so threads of one
    worker may share it)."""

    def remember(self, key, value) -> None:
        if len(self) >= REMEMBERED:
            with suppress(KeyError):  # another thread emptied it meanwhile
                self.popitem(last=False)
        self[key] = value


class RememberingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, remembering the cookies it has verified.

    A remembered cookie is still held to the session's lifetime (PERMANENT_SESSION_LIFETIME from
    the time it was signed, as itsdangerous holds it) and to the secret key it was verified with.
    Only sessions of plain values are remembered, and each request gets its own copy, so nothing
    one request changes reaches another: a changed session is a new cookie."""

    def __init__(self) -> None:
        self._verified = _Remembered()

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        remembered = self._verified.get(value)
        if remembered is not None:
            secret_key, signed_at, data = remembered
            if secret_key == app.secret_key and 0 <= int(time.time()) - signed_at <= max_age:
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(item, _PLAIN_VALUES) for item in data.values()):
            self._verified.remember(value, (app.secret_key, int(signed_at.timestamp()), data))
        return self.session_class(data)


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf()`, signing each session's raw token once per worker.

    Only while tokens never expire (WTF_CSRF_TIME_LIMIT = None, the token living as long as the
    session): a token signed earlier is then exactly as valid as one signed now. It is also kept
    in `g`, where Flask-WTF's forms look for this request's token."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    if field in g:
        return g.get(field)
    raw = session.get(field)
    if not isinstance(raw, str) or current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    signed_tokens = current_app.extensions["signed_csrf_tokens"]
    secret_key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    signed = signed_tokens.get((secret_key, raw))
    if signed is None:
        signed = generate_csrf()
        signed_tokens.remember((secret_key, raw), signed)
    setattr(g, field, signed)
    return signed


def init_app(app: Flask) -> None:
    """After Flask-WTF's CSRFProtect: templates' `csrf_token()` becomes the remembering one."""
    app.session_interface = RememberingSessionInterface()
    app.extensions["signed_csrf_tokens"] = _Remembered()
    app.jinja_env.globals["csrf_token"] = csrf_token
    # Flask-WTF also puts generate_csrf in every template's context; a later processor wins.
    app.context_processor(lambda: {"csrf_token": csrf_token})
