"""Moderators' actions: pin, lock, close, hide and their undo; moving a topic; the review queue's
reports; suspensions.

Hiding keeps the row (a moderator can still read it and undo) and takes it out of the counts
members see. Each change is guarded in its UPDATE's WHERE clause, so a double click or two
moderators at once move the counts only once.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.notifications import inbox
from forum import permissions
from forum.models import REPORT_REASONS, Board, ForumSuspension, Post, PostReport, Topic
from forum.services import (
    answered_on_arrival,
    hide_topic,
    move_board_counts,
    refresh_last_post,
    topic_changed,
)

TOPIC_ACTIONS = ("pin", "unpin", "lock", "unlock", "close", "reopen", "hide", "unhide")
POST_ACTIONS = ("hide", "unhide")
REPORT_ACTIONS = ("dismiss", "hide")


class ModerationError(Exception):
    """The action does not apply; the message says why."""


def moderate_topic(topic: Topic, action: str, now: datetime) -> str:
    """Apply one of TOPIC_ACTIONS; returns what to tell the moderator."""
    topic_changed(topic.id)
    if action in ("pin", "unpin"):
        _update_topic(topic, pinned=action == "pin")
        return "The topic is pinned to the top of the board." if action == "pin" else "The topic is unpinned."
    if action in ("lock", "unlock"):
        _update_topic(topic, locked=action == "lock", closed_at=None)
        if action == "lock":
            return "The topic is locked: no new replies."
        return "The topic is open for replies again."
    if action in ("close", "reopen"):
        # Closing is the lock with its own label: the same "no new replies" everywhere.
        closing = action == "close"
        _update_topic(topic, locked=closing, closed_at=now if closing else None)
        return "The topic is closed: no new replies." if closing else "The topic is open for replies again."
    if action == "hide":
        hide_topic(topic, now)
        return "The topic is hidden: only moderators see it now."
    if action == "unhide":
        _unhide_topic(topic)
        return "The topic is visible to members again."
    raise ModerationError("Unknown action.")


def moderate_post(topic: Topic, post: Post, action: str, now: datetime) -> str:
    """Apply one of POST_ACTIONS to a reply (the opening post goes with its topic)."""
    if post.number == 1:
        raise ModerationError("The opening post is hidden with its topic: use “Hide topic” above it.")
    if post.deleted_at is not None:
        raise ModerationError(f"Post #{post.number} was deleted by its author: it is not shown to members.")
    if action == "hide":
        changed = _set_post_hidden(post, now)
        delta = -1
        message = f"Post #{post.number} is hidden: only moderators see it now."
        inbox.withdraw([topic.id], post_number=post.number)  # their excerpts quote it
    elif action == "unhide":
        changed = _set_post_hidden(post, None)
        delta = 1
        message = f"Post #{post.number} is visible to members again."
    else:
        raise ModerationError("Unknown action.")
    if changed:
        topic_changed(topic.id)
        _move_topic_post_counts(topic, delta)
        if topic.hidden_at is None:
            move_board_counts(topic.board_id, posts=delta)
        refresh_last_post(topic)
    return message


def move_topic(topic: Topic, to_board: Board) -> str:
    """The topic and its visible posts leave one board's counts and join the other's."""
    if to_board.id == topic.board_id:
        raise ModerationError("The topic is already on that board.")
    changed = db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id, Topic.board_id == topic.board_id)
        .values(board_id=to_board.id).execution_options(synchronize_session=False)
    ).rowcount
    if changed and topic.hidden_at is None:
        move_board_counts(topic.board_id, topics=-1, posts=-topic.post_count)
        move_board_counts(to_board.id, topics=1, posts=topic.post_count, last_post_at=None)
        _later_last_post_at(to_board.id, topic.last_post_at)
    topic.board_id = to_board.id
    topic.answered_at = answered_on_arrival(topic)  # the unanswered queue's rule, on any board
    # Onto a private board: who may not read it loses what their bell says of the topic.
    outsiders = sa.select(User.id).where(sa.not_(permissions.readers_filter(to_board)))
    inbox.withdraw([topic.id], user_ids=outsiders)
    return f"The topic is moved to {to_board.title}."


def report_post(post: Post, reporter_id: int, reason: str, details: str, now: datetime) -> None:
    """One report per member per post: a second one raises ModerationError (the unique key also
    holds it against a double click)."""
    if reason not in REPORT_REASONS:
        raise ModerationError("Choose a reason for your report.")
    already = db.session.scalar(
        sa.select(PostReport.id).where(PostReport.post_id == post.id, PostReport.reporter_id == reporter_id)
    )
    if already is not None:
        raise ModerationError("You have already reported this post. Thanks: a moderator will look at it.")
    db.session.add(PostReport(post_id=post.id, reporter_id=reporter_id, reason=reason, details=details,
                              created_at=now))
    db.session.flush()


def resolve_reports(topic: Topic, post: Post, action: str, moderator_id: int, now: datetime) -> str:
    """Dismisses every open report of the post, or hides the post (the opening post: its topic)
    and resolves them all as "hidden"."""
    if action == "hide":
        if post.number == 1:
            message = moderate_topic(topic, "hide", now)
        else:
            message = moderate_post(topic, post, "hide", now)
        resolution = "hidden"
    elif action == "dismiss":
        message = "The reports are dismissed: the post stays as it is."
        resolution = "dismissed"
    else:
        raise ModerationError("Unknown action.")
    db.session.execute(
        sa.update(PostReport).where(PostReport.post_id == post.id, PostReport.resolved_at.is_(None))
        .values(resolved_at=now, resolved_by_id=moderator_id, resolution=resolution)
        .execution_options(synchronize_session=False)
    )
    return message


def suspend(user_id: int, days: int, reason: str, moderator_id: int, now: datetime) -> ForumSuspension:
    suspension = ForumSuspension(
        user_id=user_id, until=now + timedelta(days=days), reason=reason, by_id=moderator_id, created_at=now,
    )
    db.session.add(suspension)
    db.session.flush()
    return suspension


def lift_suspensions(user_id: int, now: datetime) -> int:
    """Ends every suspension in force for the member; returns how many there were."""
    return db.session.execute(
        sa.update(ForumSuspension)
        .where(ForumSuspension.user_id == user_id, ForumSuspension.until > now,
               ForumSuspension.lifted_at.is_(None))
        .values(lifted_at=now).execution_options(synchronize_session=False)
    ).rowcount


def _update_topic(topic: Topic, **values) -> None:
    for name, value in values.items():
        setattr(topic, name, value)
    db.session.flush()


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


def _later_last_post_at(board_id: int, last_post_at: datetime) -> None:
    """The board's latest activity moves forward only: a moved old topic does not turn it back."""
    db.session.execute(
        sa.update(Board)
        .where(Board.id == board_id, sa.or_(Board.last_post_at.is_(None), Board.last_post_at < last_post_at))
        .values(last_post_at=last_post_at).execution_options(synchronize_session=False)
    )
