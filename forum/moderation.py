"""Moderators' actions on topics and posts: pin, lock, hide and their undo.

Hiding keeps the row (a moderator can still read it and undo) and takes it out of the counts
members see. Each change is guarded in its UPDATE's WHERE clause, so a double click or two
moderators at once move the counts only once.
"""

from datetime import datetime

import sqlalchemy as sa

from courseware.extensions import db
from forum.models import Post, Topic
from forum.services import move_board_counts

TOPIC_ACTIONS = ("pin", "unpin", "lock", "unlock", "hide", "unhide")
POST_ACTIONS = ("hide", "unhide")


class ModerationError(Exception):
    """The action does not apply; the message says why."""


def moderate_topic(topic: Topic, action: str, now: datetime) -> str:
    """Apply one of TOPIC_ACTIONS; returns what to tell the moderator."""
    if action in ("pin", "unpin"):
        _update_topic(topic, pinned=action == "pin")
        return "The topic is pinned to the top of the board." if action == "pin" else "The topic is unpinned."
    if action in ("lock", "unlock"):
        _update_topic(topic, locked=action == "lock")
        if action == "lock":
            return "The topic is locked: no new replies."
        return "The topic is open for replies again."
    if action == "hide":
        _hide_topic(topic, now)
        return "The topic is hidden: only moderators see it now."
    if action == "unhide":
        _unhide_topic(topic)
        return "The topic is visible to members again."
    raise ModerationError("Unknown action.")


def moderate_post(topic: Topic, post: Post, action: str, now: datetime) -> str:
    """Apply one of POST_ACTIONS to a reply (the opening post goes with its topic)."""
    if post.number == 1:
        raise ModerationError("The opening post is hidden with its topic: use “Hide topic” above it.")
    if action == "hide":
        changed = _set_post_hidden(post, now)
        delta = -1
        message = f"Post #{post.number} is hidden: only moderators see it now."
    elif action == "unhide":
        changed = _set_post_hidden(post, None)
        delta = 1
        message = f"Post #{post.number} is visible to members again."
    else:
        raise ModerationError("Unknown action.")
    if changed:
        _move_topic_post_counts(topic, delta)
        if topic.hidden_at is None:
            move_board_counts(topic.board_id, posts=delta)
        _refresh_last_post(topic)
    return message


def _update_topic(topic: Topic, **values) -> None:
    for name, value in values.items():
        setattr(topic, name, value)
    db.session.flush()


def _hide_topic(topic: Topic, now: datetime) -> None:
    changed = db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id, Topic.hidden_at.is_(None)).values(hidden_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        move_board_counts(topic.board_id, topics=-1, posts=-topic.post_count)
        topic.hidden_at = now


def _unhide_topic(topic: Topic) -> None:
    changed = db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id, Topic.hidden_at.is_not(None)).values(hidden_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        move_board_counts(topic.board_id, topics=1, posts=topic.post_count)
        topic.hidden_at = None


def _set_post_hidden(post: Post, hidden_at: datetime | None) -> bool:
    currently = Post.hidden_at.is_(None) if hidden_at is not None else Post.hidden_at.is_not(None)
    changed = db.session.execute(
        sa.update(Post).where(Post.id == post.id, currently).values(hidden_at=hidden_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    post.hidden_at = hidden_at
    return bool(changed)


def _move_topic_post_counts(topic: Topic, delta: int) -> None:
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id)
        .values(post_count=Topic.post_count + delta, reply_count=Topic.reply_count + delta)
        .execution_options(synchronize_session=False)
    )


def _refresh_last_post(topic: Topic) -> None:
    """The board lists the topic's latest visible post: after a hide or unhide, find it again."""
    latest = db.session.execute(
        sa.select(Post.id, Post.author_id, Post.created_at)
        .where(Post.topic_id == topic.id, Post.hidden_at.is_(None))
        .order_by(Post.number.desc())
        .limit(1)
    ).one()  # the opening post is never hidden on its own
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id)
        .values(last_post_id=latest.id, last_poster_id=latest.author_id, last_post_at=latest.created_at)
        .execution_options(synchronize_session=False)
    )
