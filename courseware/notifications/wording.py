"""How a notification is said, the same under the bell and in an email's subject."""

from courseware.notifications.models import NotificationKind

HEADLINES = {
    NotificationKind.REPLY: "{actor} replied in “{title}”",
    NotificationKind.MENTION: "{actor} mentioned you in “{title}”",
    NotificationKind.QUOTE: "{actor} quoted you in “{title}”",
    NotificationKind.ACCEPTED: "Your answer in “{title}” was accepted",
    NotificationKind.NEW_TOPIC: "{actor} started “{title}”",
    NotificationKind.NEW_LESSON: "New lesson: {title}",
    NotificationKind.ANNOUNCEMENT: "{actor}: {title}",
}


def headline(kind: str, title: str, actor: str) -> str:
    return HEADLINES.get(kind, "{title}").format(actor=actor or "Someone", title=title)
