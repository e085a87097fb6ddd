"""Helpers the forum's templates call: poster badges and "5 minutes ago"."""

from datetime import datetime

from courseware.db import utcnow
from forum import permissions
from forum.models import WATCH_HINT
from forum.views import bp


@bp.context_processor
def _helpers() -> dict:
    return {"poster_badge": _poster_badge, "ago": _ago, "permissions": permissions, "WATCH_HINT": WATCH_HINT}


def _poster_badge(user) -> str | None:
    if permissions.is_instructor(user):
        return "Instructor"
    if permissions.is_moderator(user):
        return "Moderator"
    return None


def _ago(value: datetime | None) -> str:
    """A time as people say it: "just now", "5 minutes ago", "3 days ago", then the date."""
    if value is None:
        return ""
    seconds = int((utcnow() - value).total_seconds())
    for limit, size, unit in ((3600, 60, "minute"), (86_400, 3600, "hour"), (7 * 86_400, 86_400, "day")):
        if seconds < limit:
            count = seconds // size
            if count < 1:
                return "just now"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return f"{value:%B} {value.day}, {value.year}"
