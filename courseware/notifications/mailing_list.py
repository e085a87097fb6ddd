"""The author's mailing list, and the free downloads people join it for (DESIGN §1).

Joining is double opt-in: the form records the person with the consent they ticked and emails a
link; opening the link confirms the subscription and downloads the file. A signed-in member whose
email is already verified is confirmed at once. Every list email carries a one-click unsubscribe
link (and the List-Unsubscribe headers mail programs show as a button); an unsubscribed address is
never mailed again: its owner can rejoin only by signing in with it and asking again.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask_sqlalchemy.pagination import Pagination

from courseware.accounts import tokens
from courseware.accounts.models import User
from courseware.accounts.services import normalize_email
from courseware.extensions import db
from courseware.notifications.models import Subscriber
from courseware.notifications.services import queue_email

DOWNLOAD_SALT = "mailing-list.download"
UNSUBSCRIBE_SALT = "mailing-list.unsubscribe"
DOWNLOAD_LINK_MAX_AGE = 30 * 24 * 3600  # the confirmation link works for a month
UNSUBSCRIBE_LINK_MAX_AGE = 10 * 365 * 24 * 3600  # an old email's unsubscribe link still works
CONSENT = (
    "Email me the download and the occasional note with new courses and tips. I can unsubscribe at any time."
)
SUBSCRIBERS_PER_PAGE = 50


@dataclass(frozen=True)
class FreeDownload:
    key: str
    title: str
    summary: str
    file: str  # relative to the courses folder
    course: str | None = None


@dataclass(frozen=True)
class Links:
    """Absolute URLs for one subscriber, made by the view (services never build URLs)."""

    download: str
    unsubscribe: str


def find_download(downloads_file: str, key: str) -> FreeDownload | None:
    path = Path(downloads_file)
    if not path.is_file():
        return None
    return _downloads(str(path), path.stat().st_mtime_ns).get(key)


def join(
    download: FreeDownload, first_name: str, email: str, member: User | None, now: datetime
) -> tuple[Subscriber, bool]:
    """Record the request; (subscriber, confirmed now). A signed-in member asking for their own,
    verified address is confirmed at once; anyone else must open the emailed link first."""
    address = normalize_email(email)
    subscriber = db.session.scalar(sa.select(Subscriber).where(Subscriber.email == address))
    if subscriber is None:
        subscriber = Subscriber(
            email=address,
            first_name=first_name.strip(),
            source=download.key,
            consent_text=CONSENT,
            created_at=now,
        )
        db.session.add(subscriber)
    subscriber.first_name = first_name.strip() or subscriber.first_name
    if member is not None:
        subscriber.user_id = member.id
    db.session.flush()
    if member is not None and member.is_verified and member.email == address:
        confirm(subscriber, now)
        return subscriber, True
    return subscriber, False


def send_confirmation(subscriber: Subscriber, download: FreeDownload, links: Links) -> None:
    body = (
        f"Hello {subscriber.first_name},\n\n"
        f'Here is your copy of "{download.title}". Open this link to confirm your email address and '
        "download it:\n\n"
        f"{links.download}\n\n"
        "You asked for it on our site and agreed to this: " + CONSENT + "\n"
        "If that was not you, ignore this email: you will not hear from us again.\n\n"
        f"Unsubscribe with one click: {links.unsubscribe}\n"
    )
    queue_email(
        subscriber.email, f"Your download: {download.title}", body, headers=unsubscribe_headers(links)
    )


def unsubscribe_headers(links: Links) -> dict[str, str]:
    """RFC 8058: mail programs show an Unsubscribe button that POSTs to the link."""
    return {
        "List-Unsubscribe": f"<{links.unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirm(subscriber: Subscriber, now: datetime) -> None:
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.unsubscribed_at = None
    subscriber.consent_text = CONSENT


def unsubscribe(subscriber: Subscriber, now: datetime) -> None:
    subscriber.unsubscribed_at = subscriber.unsubscribed_at or now


def may_email(subscriber: Subscriber) -> bool:
    """An address that unsubscribed gets nothing more from the list, not even a confirmation that
    someone else may have asked for; its owner rejoins by signing in with it (one click, no email)."""
    return subscriber.unsubscribed_at is None


def download_token(subscriber: Subscriber, download: FreeDownload) -> str:
    return tokens.make_token(DOWNLOAD_SALT, {"subscriber": subscriber.id, "download": download.key})


def unsubscribe_token(subscriber: Subscriber) -> str:
    return tokens.make_token(UNSUBSCRIBE_SALT, {"subscriber": subscriber.id})


def subscriber_from_download_token(token: str, download: FreeDownload) -> Subscriber:
    """Raises tokens.LinkInvalid / LinkExpired."""
    payload = tokens.read_token(DOWNLOAD_SALT, token, DOWNLOAD_LINK_MAX_AGE)
    if payload.get("download") != download.key:
        raise tokens.LinkInvalid
    return _subscriber(payload)


def subscriber_from_unsubscribe_token(token: str) -> Subscriber:
    return _subscriber(tokens.read_token(UNSUBSCRIBE_SALT, token, UNSUBSCRIBE_LINK_MAX_AGE))


def subscribers(page: int) -> Pagination:
    query = sa.select(Subscriber).order_by(Subscriber.created_at.desc(), Subscriber.id.desc())
    return db.paginate(
        query, page=page, per_page=SUBSCRIBERS_PER_PAGE, error_out=False, max_per_page=SUBSCRIBERS_PER_PAGE
    )


def all_subscribers() -> list[Subscriber]:
    return list(db.session.scalars(sa.select(Subscriber).order_by(Subscriber.created_at, Subscriber.id)))


def _subscriber(payload: dict) -> Subscriber:
    subscriber_id = payload.get("subscriber")
    subscriber = db.session.get(Subscriber, subscriber_id) if isinstance(subscriber_id, int) else None
    if subscriber is None:
        raise tokens.LinkInvalid
    return subscriber


@cache
def _downloads(path: str, _mtime_ns: int) -> dict[str, FreeDownload]:
    """The downloads file, read again only when it changes (the mtime is part of the key)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {
        key: FreeDownload(key, entry["title"], entry.get("summary", ""), entry["file"], entry.get("course"))
        for key, entry in data.items()
        if isinstance(entry, dict) and {"title", "file"} <= entry.keys()
    }
