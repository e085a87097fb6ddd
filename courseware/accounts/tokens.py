"""Signed, expiring links (itsdangerous), one salt per purpose so one kind never passes for another."""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL_SALT = "accounts.verify-email"
RESET_PASSWORD_SALT = "accounts.reset-password"


class LinkInvalid(Exception):
    """The link was tampered with, is for another purpose, or was already used."""


class LinkExpired(LinkInvalid):
    """The link was genuine but is older than its maximum age."""


def make_token(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def read_token(salt: str, token: str, max_age: int) -> dict:
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired from error
    except BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(payload, dict):
        raise LinkInvalid
    return payload


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: a reset link stops working once the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def fingerprints_match(a: object, b: str) -> bool:
    return isinstance(a, str) and hmac.compare_digest(a, b)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    # Flask's SECRET_KEY_FALLBACKS lets old links keep working for a while after a key rotation.
    keys = [*(current_app.config.get("SECRET_KEY_FALLBACKS") or []), current_app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=salt)
