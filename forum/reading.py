"""How far each member has read each topic, for the "new" markers on board pages.

A page view writes only when it shows the reader a post number beyond their stored position: going
back over read pages, or reloading, costs no write. Reading a topic also reads its notifications.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from courseware.db import insert_ignoring_duplicates
from courseware.extensions import db
from courseware.notifications import inbox
from forum.models import Topic, TopicRead

# A topic nobody has opened is "new" to a member only while it is fresh: a member who joins today
# is not told that two years of topics are new.
NEW_TOPIC_WINDOW = timedelta(days=14)


def moves_forward(last_read: int | None, highest_shown: int | None) -> bool:
    return highest_shown is not None and (last_read is None or highest_shown > last_read)


def record(user_id: int, topic_id: int, highest_shown: int, unread_notifications: int, now: datetime) -> int:
    """Move the reader's position to `highest_shown` (never back: two tabs may race); returns how
    many of the reader's notifications that read."""
    values = {"user_id": user_id, "topic_id": topic_id, "last_read_number": highest_shown}
    if not insert_ignoring_duplicates(db.session, TopicRead, values):
        db.session.execute(
            sa.update(TopicRead)
            .where(TopicRead.user_id == user_id, TopicRead.topic_id == topic_id,
                   TopicRead.last_read_number < highest_shown)
            .values(last_read_number=highest_shown)
            .execution_options(synchronize_session=False)
        )
    return inbox.mark_topic_read(user_id, topic_id, now) if unread_notifications else 0


def marker(topic: Topic, last_read: int | None, now: datetime) -> str | None:
    """What the board page says of a topic for this reader: "New", "3 new", or nothing."""
    if last_read is None:
        return "New" if now - topic.last_post_at <= NEW_TOPIC_WINDOW else None
    unread = topic.highest_number - last_read
    return f"{unread} new" if unread > 0 else None
