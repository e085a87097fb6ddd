"""Value rules of the course files: each parser takes the text as written and raises ValueError
with the message an author sees after `path:line: field:`."""

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUMBERED_NAME = re.compile(r"^(\d+)-(.+)$")
LEVELS = ("Introductory", "Intermediate", "Advanced")
STATUSES = ("draft", "published")
VIDEO_SUFFIXES = (".mp4", ".webm")
MAX_CONTACT_HOURS = Decimal(100)

_DURATION = re.compile(r"^(?:(\d+):([0-5]\d)|(\d+):([0-5]\d):([0-5]\d))$")
_PRICE = re.compile(r"^(\d{1,6})(?:\.(\d{2}))? ([A-Z]{3})$")


def parse_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f'"{value}" must be lowercase letters, digits and single hyphens')
    return value


def parse_duration(value: str) -> int:
    """m:ss or h:mm:ss -> seconds."""
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError(f'"{value}" is not m:ss or h:mm:ss')
    minutes, seconds, hours, h_minutes, h_seconds = match.groups()
    if minutes is not None:
        total = int(minutes) * 60 + int(seconds)
    else:
        total = int(hours) * 3600 + int(h_minutes) * 60 + int(h_seconds)
    if total == 0:
        raise ValueError(f'"{value}" must be longer than 0:00')
    return total


def format_duration(seconds: int) -> str:
    """The inverse of parse_duration: 30 -> "0:30", 3723 -> "1:02:03"."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def parse_price(value: str) -> tuple[int, str]:
    """`20.00 USD` -> (2000, "USD"); `free` -> (0, "USD")."""
    if value.strip().lower() == "free":
        return 0, "USD"
    match = _PRICE.match(value.strip())
    if not match:
        raise ValueError(f'"{value}" is not a price like "20.00 USD", or "free"')
    units, cents, currency = match.groups()
    return int(units) * 100 + int(cents or 0), currency


def parse_contact_hours(value: str) -> Decimal:
    try:
        hours = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f'"{value}" is not a number of hours like 6.75') from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_CONTACT_HOURS:
        raise ValueError(f'"{value}" must be more than 0 and at most {MAX_CONTACT_HOURS}')
    if hours.as_tuple().exponent < -2:
        raise ValueError(f'"{value}" has more than 2 decimals')
    if (hours * 60) % 1:
        raise ValueError(f'"{value}" hours is not a whole number of minutes ({hours * 60})')
    return hours


def parse_publish_at(value: str) -> datetime:
    """An ISO date or date-time; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        example = "2025-09-01 or 2025-09-01T09:00:00-05:00"
        raise ValueError(f'"{value}" is not an ISO date or date-time like {example}') from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def split_numbered_name(name: str) -> tuple[int, str] | None:
    """`03-model-coach-fade` -> (3, "model-coach-fade"), or None when the name is not NN-slug."""
    match = NUMBERED_NAME.match(name)
    if not match or not SLUG.match(match.group(2)):
        return None
    return int(match.group(1)), match.group(2)


def share_credit(total: int, explicit: list[int | None]) -> list[int]:
    """Credit minutes per published lesson; ValueError when they cannot add up to `total`.

    Lessons that give credit_minutes keep them; the others share what remains equally, in whole
    minutes, the leftover minutes going to the earliest lessons.
    """
    given = sum(minutes for minutes in explicit if minutes is not None)
    open_count = sum(1 for minutes in explicit if minutes is None)
    if open_count == 0 and given != total:
        raise ValueError(f"lessons give {given} credit minutes in all")
    if given > total:
        raise ValueError(f"lessons with credit_minutes already give {given}")
    share, leftover = divmod(total - given, open_count or 1)
    shares = []
    for minutes in explicit:
        if minutes is None:
            minutes, leftover = share + (1 if leftover > 0 else 0), leftover - 1
        shares.append(minutes)
    return shares
