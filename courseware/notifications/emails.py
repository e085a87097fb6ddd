"""Notification emails: one per notification, or the daily digest. Each carries a signed link that
stops these emails in one click without signing in (and the List-Unsubscribe headers that mail
programs show as a button); a forum notification also links to muting its topic."""

from flask import render_template, url_for

from courseware.accounts import tokens
from courseware.notifications import wording
from courseware.notifications.services import queue_email

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_LINK_MAX_AGE = 10 * 365 * 24 * 3600  # an old email's link still works



def unsubscribe_token(user_id: int, topic_id: int | None = None) -> str:
    """For every notification email, or (with a topic) for muting that topic only."""
    payload = {"uid": user_id} if topic_id is None else {"uid": user_id, "topic": topic_id}
    return tokens.make_token(UNSUBSCRIBE_SALT, payload)


def read_unsubscribe_token(token: str) -> tuple[int, int | None]:
    """(user id, topic id or None); raises tokens.LinkInvalid."""
    payload = tokens.read_token(UNSUBSCRIBE_SALT, token, UNSUBSCRIBE_LINK_MAX_AGE)
    user_id, topic_id = payload.get("uid"), payload.get("topic")
    if not isinstance(user_id, int) or not isinstance(topic_id, int | None):
        raise tokens.LinkInvalid
    return user_id, topic_id


def queue_notification(recipient, kind: str, event) -> None:
    stop_all = url_for("notifications.unsubscribe", token=unsubscribe_token(recipient.id), _external=True)
    mute = None
    if event.mute_endpoint is not None and event.topic_id is not None:
        token = unsubscribe_token(recipient.id, event.topic_id)
        mute = url_for(event.mute_endpoint, topic_id=event.topic_id, token=token, _external=True)
    body = render_template(
        "notifications/email/notification.txt", recipient=recipient, kind=kind, event=event,
        link=_external(event.path), stop_all=stop_all, mute=mute,
    )
    queue_email(recipient.email, wording.headline(kind, event.title, event.actor_name)[:200], body,
                _headers(stop_all))


def queue_announcement(recipient, event, message: str, course_title: str) -> None:
    """The instructor's whole message, as she wrote it, with the course's link and the way out."""
    stop_all = url_for("notifications.unsubscribe", token=unsubscribe_token(recipient.id), _external=True)
    body = render_template(
        "notifications/email/announcement.txt", recipient=recipient, event=event, message=message,
        course_title=course_title, link=_external(event.path), stop_all=stop_all,
    )
    queue_email(recipient.email, event.title, body, _headers(stop_all))


def queue_digest(recipient, notifications: list) -> None:
    stop_all = url_for("notifications.unsubscribe", token=unsubscribe_token(recipient.id), _external=True)
    body = render_template(
        "notifications/email/digest.txt", recipient=recipient, notifications=notifications,
        links=[_external(n.path) for n in notifications], subject=wording.headline, stop_all=stop_all,
        settings=url_for("notifications.settings", _external=True),
    )
    count = len(notifications)
    title = f"Your daily summary: {count} new notification{'' if count == 1 else 's'}"
    queue_email(recipient.email, title, body, _headers(stop_all))


def _external(path: str) -> str:
    return url_for("catalog.home", _external=True).rstrip("/") + path


def _headers(stop_all: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{stop_all}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
