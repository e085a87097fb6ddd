"""Times in the studio's pages and forms are the author's own (her profile's time zone, else the
site's); they are stored in UTC. For views and templates: these read the signed-in author."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_login import current_user


def zone() -> ZoneInfo:
    default = current_app.config["DEFAULT_TIME_ZONE"]
    try:
        return ZoneInfo(current_user.time_zone or default)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def label(moment: datetime | None) -> str:
    """"December 4, 2026 at 9:30 AM CST"; "" for no moment."""
    if moment is None:
        return ""
    local = moment.astimezone(zone())
    return f"{local:%B} {local.day}, {local.year} at {local:%-I:%M %p %Z}"


def to_utc(local: datetime) -> datetime:
    """What the author typed in a date-time field, where she is, as stored."""
    return local.replace(tzinfo=zone()).astimezone(UTC)


def scheduled_field(publish_at: datetime | None, now: datetime) -> datetime | None:
    """A date-time field's value for a publishing time still to come (a past one is not a schedule)."""
    if publish_at is None or publish_at <= now:
        return None
    return publish_at.astimezone(zone()).replace(tzinfo=None)
