from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from courseware.db import utcnow
from courseware.extensions import db


class OutboxEmail(db.Model):
    """An email written in the same transaction as the change that caused it; a worker sends it."""

    __tablename__ = "outbox_emails"
    __table_args__ = (sa.Index("ix_outbox_emails_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    # Extra headers, e.g. List-Unsubscribe on every mailing-list email.
    headers: Mapped[dict | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)


class Subscriber(db.Model):
    """Someone on the author's mailing list, with the consent they gave and when.

    Joining is double opt-in: `confirmed_at` is set when they open the link emailed to them (or at
    once for a signed-in member whose email is verified). Once `unsubscribed_at` is set, nothing is
    mailed to the address until they ask again and confirm again.
    """

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    first_name: Mapped[str] = mapped_column(sa.String(80))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(sa.String(80))  # the free download that brought them
    consent_text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]

    @property
    def status(self) -> str:
        if self.unsubscribed_at is not None:
            return "unsubscribed"
        return "confirmed" if self.confirmed_at is not None else "awaiting confirmation"


class NotificationKind(StrEnum):
    REPLY = "reply"
    MENTION = "mention"
    QUOTE = "quote"
    ACCEPTED = "accepted"
    NEW_TOPIC = "new_topic"
    NEW_LESSON = "new_lesson"
    ANNOUNCEMENT = "announcement"


class EmailChoice(StrEnum):
    """How a member wants notifications by email (users.notification_emails)."""

    EACH = "each"
    DAILY = "daily"
    NEVER = "never"


class Notification(db.Model):
    """Something a member should know about, shown under the bell and (by their choice) emailed.

    `path` is the site path it opens; `topic_id` and `course_id` are kept so that reading the topic,
    or opening the new lesson, reaches its notifications. `digest_pending` marks the ones waiting
    for their member's daily digest.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # The bell's list: a member's notifications, newest first.
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
        # The daily digest: what waits for it, per member.
        sa.Index("ix_notifications_digest_pending_user_id", "digest_pending", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(sa.String(80), default="")
    title: Mapped[str] = mapped_column(sa.String(200))
    excerpt: Mapped[str] = mapped_column(sa.String(300), default="")
    path: Mapped[str] = mapped_column(sa.String(500))
    topic_id: Mapped[int | None]
    # A new lesson's course: the dashboard marks the course's card until the lesson is opened.
    course_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    digest_pending: Mapped[bool] = mapped_column(default=False)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
