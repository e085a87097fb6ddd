"""Accounts services: plain arguments in, users out. They flush; the view or command commits.

Sessions hang on `User.session_token` (Flask-Login's alternative id): rotating it ends every
session and remember-me cookie of that user at once.
"""

from datetime import date
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from courseware.accounts import emails, handles, passwords, signals, tokens
from courseware.accounts.models import Licence, Role, User, new_session_token
from courseware.accounts.tokens import LinkExpired, LinkInvalid
from courseware.db import utcnow
from courseware.extensions import db

__all__ = [
    "DuplicateLicence", "EmailTaken", "LinkExpired", "LinkInvalid", "add_licence", "authenticate",
    "change_password", "end_other_sessions", "ensure_account", "load_user_by_session_token",
    "normalize_email", "register_user", "remove_licence", "request_password_reset", "reset_password",
    "send_verification_email", "update_profile", "user_for_reset_token", "verify_email",
]


class EmailTaken(Exception):
    """An account with this email already exists."""


class DuplicateLicence(Exception):
    """The user already has a licence for this state and profession."""


def load_user_by_session_token(token: str) -> User | None:
    return db.session.scalar(_user_by_session_token(), {"token": token})


@cache
def _user_by_session_token() -> sa.Select:
    """Built once: Flask-Login runs it on every signed-in request, and building a statement costs
    as much as running this one."""
    return sa.select(User).where(User.session_token == sa.bindparam("token"))


def normalize_email(email: str) -> str:
    return email.strip().lower()


# Sign-up, log-in and email verification


def register_user(email: str, display_name: str, password: str) -> User:
    """Create an unverified member and queue the verification email. Raises EmailTaken."""
    email = normalize_email(email)
    if _email_registered(email):
        raise EmailTaken(email)
    password_hash = passwords.hash_password(password)
    display_name = display_name.strip()
    for attempt in range(3):
        user = User(email=email, display_name=display_name, password_hash=password_hash,
                    handle=handles.unique_handle(display_name))
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError as error:
            # Another request registered the same email between our check and our insert, or
            # took the same @handle at the same moment: then the next free handle is tried.
            if attempt == 2 or not handles.is_taken(user.handle):
                raise EmailTaken(email) from error
        else:
            break
    emails.queue_verification(user)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None; both failures take the same time."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        passwords.spend_equal_time(password)
        return None
    return user if passwords.password_matches(user.password_hash, password) else None


def send_verification_email(user: User) -> None:
    emails.queue_verification(user)


def verify_email(token: str, max_age: int) -> tuple[User, bool]:
    """Mark the link's user verified; returns (user, newly_verified). Raises LinkInvalid/LinkExpired."""
    payload = tokens.read_token(tokens.VERIFY_EMAIL_SALT, token, max_age)
    user = _user_by_id(payload.get("uid"))
    # A link sent to an earlier address must not verify the current one.
    if user is None or payload.get("email") != user.email:
        raise LinkInvalid
    if user.is_verified:
        return user, False
    user.email_verified_at = utcnow()
    db.session.flush()
    return user, True


# Passwords and sessions


def request_password_reset(email: str) -> None:
    """Queue a reset link if an account uses this email; do nothing visible otherwise."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is not None:
        emails.queue_password_reset(user)


def user_for_reset_token(token: str, max_age: int) -> User:
    """The user a reset link is for, if it is genuine, fresh and unused. Raises LinkInvalid/LinkExpired."""
    payload = tokens.read_token(tokens.RESET_PASSWORD_SALT, token, max_age)
    user = _user_by_id(payload.get("uid"))
    # The fingerprint of the password hash changes with the password: a used link is dead.
    if user is None or not tokens.fingerprints_match(
        payload.get("pw"), tokens.password_fingerprint(user.password_hash)
    ):
        raise LinkInvalid
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set the password from a reset link: every session ends; the email is proven, so verified."""
    _set_password(user, new_password)
    if not user.is_verified:
        user.email_verified_at = utcnow()
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> bool:
    """Set a new password if the current one is right; ends every session and emails the user."""
    if not passwords.password_matches(user.password_hash, current_password):
        return False
    _set_password(user, new_password)
    emails.queue_password_changed(user)
    db.session.flush()
    return True


def end_other_sessions(user: User) -> None:
    """Rotate the session token: every session ends; the caller logs the current one in again."""
    user.session_token = new_session_token()
    db.session.flush()


# Profile and licences


def update_profile(
    user: User, display_name: str, handle: str, legal_name: str | None, credential: str | None,
    time_zone: str | None,
) -> None:
    """Raises handles.HandleTaken when another member has the @name (nothing is changed then)."""
    shown_before = _public_name(user)
    handles.change_handle(user, handle)
    user.display_name = display_name.strip()
    _announce_public_name(user, shown_before)
    if not user.legal_name_locked:  # printed on a certificate: only a reissue corrects it
        user.legal_name = (legal_name or "").strip() or None
    user.credential = (credential or "").strip() or None
    user.time_zone = time_zone or None
    db.session.flush()


def add_licence(user: User, state: str, profession: str, number: str, renewal_date: date | None) -> Licence:
    """Add a licence; one per state and profession. Raises DuplicateLicence."""
    existing = db.session.scalar(
        sa.select(Licence.id).where(
            Licence.user_id == user.id, Licence.state == state, Licence.profession == profession
        )
    )
    if existing is not None:
        raise DuplicateLicence(state, profession)
    licence = Licence(
        user_id=user.id, state=state, profession=profession, number=number.strip(), renewal_date=renewal_date
    )
    db.session.add(licence)
    db.session.flush()
    return licence


def remove_licence(user: User, licence_id: int) -> bool:
    """Delete one of the user's licences; False when the user has no licence with this id."""
    licence = db.session.scalar(
        sa.select(Licence).where(Licence.id == licence_id, Licence.user_id == user.id)
    )
    if licence is None:
        return False
    db.session.delete(licence)
    db.session.flush()
    return True


def set_role(email: str, role: Role) -> User | None:
    """Give the account with this email a role (an author, a forum moderator); None if there is none.
    Posts show their author's role (the "Instructor" badge), so the change is announced."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        return None
    shown_before = _public_name(user)
    user.role = role
    _announce_public_name(user, shown_before)
    db.session.flush()
    return user


# Demo data


def ensure_account(
    email: str,
    password: str,
    *,
    display_name: str,
    legal_name: str | None = None,
    credential: str | None = None,
    role: str = Role.MEMBER,
    licences: tuple[tuple[str, str, str, date | None], ...] = (),
) -> User:
    """Create or update a verified account so it matches these values exactly (idempotent)."""
    email = normalize_email(email)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(email=email, password_hash=passwords.hash_password(password))
        db.session.add(user)
    elif not passwords.password_matches(user.password_hash, password):
        _set_password(user, password)
    shown_before = _public_name(user)
    user.display_name, user.credential = display_name, credential
    user.handle = user.handle or handles.unique_handle(display_name)
    if not user.legal_name_locked:  # printed on a certificate: it stays as printed
        user.legal_name = legal_name
    user.role = role
    _announce_public_name(user, shown_before)
    user.email_verified_at = user.email_verified_at or utcnow()
    db.session.flush()
    held = {(licence.state, licence.profession) for licence in user.licences}
    for state, profession, number, renewal_date in licences:
        if (state, profession) not in held:
            user.licences.append(
                Licence(state=state, profession=profession, number=number, renewal_date=renewal_date)
            )
    db.session.flush()
    return user


def _public_name(user: User) -> tuple:
    return user.display_name, user.handle, user.role


def _announce_public_name(user: User, before: tuple) -> None:
    if user.id is not None and _public_name(user) != before:
        signals.public_name_changed.send(user_id=user.id)


def _email_registered(email: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == email)) is not None


def _user_by_id(user_id: object) -> User | None:
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_token = new_session_token()
