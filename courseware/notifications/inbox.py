"""In-app notifications: the bell, its list, and the emails each member chose for them.

`notify` is called by the feature where something happened (the forum, a published lesson), in that
request's transaction: the rows, the bell counts and any email are written together or not at all.
Every step is one statement for all recipients, so a reply watched by 500 members costs what one
watched by 5 does.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.notifications import emails, wording
from courseware.notifications.models import EmailChoice, Notification, NotificationKind

NOTIFICATIONS_PER_PAGE = 30
EXCERPT_MAX = 300


@dataclass(frozen=True)
class Event:
    """What happened, as every recipient's notification will say it."""

    title: str
    path: str  # the site path the notification opens
    excerpt: str = ""
    actor_id: int | None = None
    actor_name: str = ""
    topic_id: int | None = None
    course_id: int | None = None
    # The endpoint (with topic_id and token) that mutes the topic from an email, for forum events.
    mute_endpoint: str | None = None


def notify(event: Event, kinds: Mapping[int, str], now: datetime) -> int:
    """One notification per recipient (user id -> kind), the bell counts moved, and an email now
    for those who want each one; the daily-digest members' rows wait for the digest. Returns the
    number of members notified."""
    recipients = _recipients(kinds)
    _add(event, kinds, recipients, now, digest=True)
    for recipient in recipients:
        if recipient.notification_emails == EmailChoice.EACH:
            emails.queue_notification(recipient, kinds[recipient.id], event)
    return len(recipients)


def announce(
    event: Event, message: str, course_title: str, user_ids: list[int], now: datetime
) -> tuple[int, int]:
    """The instructor's announcement: under every learner's bell, and the whole message by email to
    those who take notification emails (a digest member gets it at once: it is news of the course).
    Returns (learners told, emails queued)."""
    kinds = dict.fromkeys(user_ids, NotificationKind.ANNOUNCEMENT)
    recipients = _recipients(kinds)
    _add(event, kinds, recipients, now, digest=False)
    emailed = [r for r in recipients if r.notification_emails != EmailChoice.NEVER]
    for recipient in emailed:
        emails.queue_announcement(recipient, event, message, course_title)
    return len(recipients), len(emailed)


def _recipients(kinds: Mapping[int, str]) -> list:
    if not kinds:
        return []
    return list(db.session.execute(
        sa.select(User.id, User.email, User.display_name, User.notification_emails)
        .where(User.id.in_(list(kinds)))
    ))


def _add(event: Event, kinds: Mapping[int, str], recipients: list, now: datetime, digest: bool) -> None:
    if not recipients:
        return
    db.session.execute(
        sa.insert(Notification), [_row(event, kinds[r.id], r, now, digest) for r in recipients]
    )
    db.session.execute(
        sa.update(User).where(User.id.in_([r.id for r in recipients]))
        .values(unread_notifications=User.unread_notifications + 1)
        .execution_options(synchronize_session=False)
    )


def latest(user_id: int, page: int) -> Pagination:
    statement = (
        sa.select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc())
    )
    return db.paginate(statement, page=page, per_page=NOTIFICATIONS_PER_PAGE, error_out=False,
                       max_per_page=NOTIFICATIONS_PER_PAGE)


def find(user_id: int, notification_id: int) -> Notification | None:
    """The member's own notification; another member's is None (a 404)."""
    return db.session.scalar(
        sa.select(Notification).where(Notification.id == notification_id, Notification.user_id == user_id)
    )


def mark_read(notification: Notification, now: datetime) -> None:
    """Guarded, so two clicks on one notification lower the bell once."""
    changed = db.session.execute(
        sa.update(Notification).where(Notification.id == notification.id, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        notification.read_at = now
        _lower_count(notification.user_id, changed)


def mark_topic_read(user_id: int, topic_id: int, now: datetime) -> int:
    """Reading a topic reads its notifications: called only when the reader's position moved.
    Returns how many it read."""
    changed = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.topic_id == topic_id,
               Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        _lower_count(user_id, changed)
    return changed


def mark_path_read(user_id: int, path: str, now: datetime) -> None:
    """Opening the page a notification points at (a new lesson) reads it."""
    changed = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user_id, Notification.path == path, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        _lower_count(user_id, changed)


def unread_new_lessons(user_id: int, course_ids: list[int]) -> dict[int, list[Notification]]:
    """Course id -> the new lessons the learner has not opened yet, newest first (one statement)."""
    if not course_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user_id, Notification.kind == NotificationKind.NEW_LESSON,
               Notification.read_at.is_(None), Notification.course_id.in_(course_ids))
        .order_by(Notification.id.desc())
        .limit(50)
    )
    found: dict[int, list[Notification]] = {}
    for notification in rows:
        found.setdefault(notification.course_id, []).append(notification)
    return found


def mark_all_read(user_id: int, now: datetime) -> int:
    changed = db.session.execute(
        sa.update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)
    ).rowcount
    db.session.execute(
        sa.update(User).where(User.id == user_id).values(unread_notifications=0)
        .execution_options(synchronize_session=False)
    )
    return changed


def set_email_choice(user: User, choice: str) -> None:
    """Leaving the digest drops what waited for it: the member sees it under the bell."""
    if choice != EmailChoice.DAILY:
        db.session.execute(
            sa.update(Notification).where(Notification.user_id == user.id, Notification.digest_pending)
            .values(digest_pending=False).execution_options(synchronize_session=False)
        )
    user.notification_emails = choice


def headline(notification: Notification) -> str:
    """What the bell's list says of one notification (the template escapes it)."""
    return wording.headline(notification.kind, notification.title, notification.actor_name)


def excerpt(text: str) -> str:
    """The first words of a post's markdown, on one line, for the list and the email."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_MAX else flat[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"


def withdraw(
    topic_ids: sa.Select | list[int],
    user_ids: sa.Select | list[int] | None = None,
    post_number: int | None = None,
) -> None:
    """Take back the notifications about these topics (or one post of them, by its number), for
    everyone or these members: what they quote is no longer theirs to read (a hidden or deleted
    post, a course board they left or were never in). Each member's bell drops by their unread
    ones; two statements."""
    matching = Notification.topic_id.in_(topic_ids)
    if user_ids is not None:
        matching = sa.and_(matching, Notification.user_id.in_(user_ids))
    if post_number is not None:  # the notification opens the post: its path ends with its anchor
        matching = sa.and_(matching, Notification.path.endswith(f"#post-{post_number}"))
    unread = (
        sa.select(sa.func.count())
        .where(matching, Notification.read_at.is_(None), Notification.user_id == User.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(User)
        .where(User.id.in_(sa.select(Notification.user_id).where(matching, Notification.read_at.is_(None))))
        .values(unread_notifications=sa.case(
            (User.unread_notifications > unread, User.unread_notifications - unread), else_=0
        ))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(Notification).where(matching).execution_options(synchronize_session=False))


def _lower_count(user_id: int, by: int) -> None:
    # Never below zero, whatever order concurrent reads and notifications commit in.
    db.session.execute(
        sa.update(User).where(User.id == user_id)
        .values(unread_notifications=sa.case((User.unread_notifications > by, User.unread_notifications - by),
                                             else_=0))
        .execution_options(synchronize_session=False)
    )


def _row(event: Event, kind: str, recipient, now: datetime, digest: bool) -> dict:
    return {
        "user_id": recipient.id, "kind": kind, "actor_id": event.actor_id, "actor_name": event.actor_name,
        "title": event.title, "excerpt": event.excerpt, "path": event.path, "topic_id": event.topic_id,
        "course_id": event.course_id,
        "created_at": now, "digest_pending": digest and recipient.notification_emails == EmailChoice.DAILY,
    }


DIGEST_MAX_ITEMS = 50


def send_digests(now: datetime) -> int:
    """One email per daily-digest member with unread notifications waiting; returns how many.
    Run once a day (`flask notifications digest`, from cron). What was read in the meantime is
    left out, and everything waiting is cleared, so the next digest starts afresh."""
    rows = db.session.execute(
        sa.select(Notification, User)
        .join(User, Notification.user_id == User.id)
        .where(Notification.digest_pending, User.notification_emails == EmailChoice.DAILY)
        .order_by(Notification.user_id, Notification.id)
    ).all()
    if not rows:
        return 0
    waiting: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in rows:
        waiting.setdefault(user.id, (user, []))[1].append(notification)
    sent = 0
    for user, notifications in waiting.values():
        unread = [n for n in notifications if n.read_at is None]
        if unread:
            emails.queue_digest(user, unread[-DIGEST_MAX_ITEMS:])
            sent += 1
    db.session.execute(
        sa.update(Notification)
        .where(Notification.digest_pending, Notification.id <= max(n.id for n, _ in rows))
        .values(digest_pending=False).execution_options(synchronize_session=False)
    )
    return sent
