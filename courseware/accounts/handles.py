"""Forum handles, the @name others use to mention a member: made from the display name, unique."""

import re
import unicodedata

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db

HANDLE_MAX = 30
# Starts and ends with a letter or digit, so "@jo." at the end of a sentence is "jo".
HANDLE_PATTERN = r"[a-z0-9](?:[a-z0-9_.-]{0,28}[a-z0-9])?"
_HANDLE = re.compile(rf"{HANDLE_PATTERN}\Z")
HANDLE_RULES = (
    "Use 1 to 30 lower-case letters, digits, dots, dashes or underscores, starting and ending with a "
    "letter or digit."
)


class HandleTaken(Exception):
    pass


def is_valid_handle(handle: str) -> bool:
    return bool(_HANDLE.match(handle))


def unique_handle(display_name: str) -> str:
    """'Zoë Ñúñez-O'Brien' -> 'zoe_nunez-obrien', or with 2, 3, ... added when taken (one statement)."""
    base = _base(display_name)
    similar = sa.select(User.handle).where(User.handle.startswith(base, autoescape=True))
    taken = set(db.session.scalars(similar))
    if base not in taken:
        return base
    number = 2
    while f"{base[: HANDLE_MAX - len(str(number))]}{number}" in taken:
        number += 1
    return f"{base[: HANDLE_MAX - len(str(number))]}{number}"


def is_taken(handle: str) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.handle == handle)) is not None


def change_handle(user: User, handle: str) -> None:
    """Raises HandleTaken when another member holds it (checked again by the unique index)."""
    if handle == user.handle:
        return
    holder = db.session.scalar(sa.select(User.id).where(User.handle == handle, User.id != user.id))
    if holder is not None:
        raise HandleTaken(handle)
    user.handle = handle


def _base(display_name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9_.-]+", " ", ascii_name.lower().replace("'", "")).split()
    base = "_".join(words)[:HANDLE_MAX].strip("_.-")
    return base if is_valid_handle(base) else "member"
