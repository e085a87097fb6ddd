"""Who hears about a new post, and how: watch levels per topic and board, @mentions, quotes and
accepted answers, turned into notifications through courseware's inbox in the posting request.

A member's level on the topic wins over their level on the board; the default is tracking (told
only of what is addressed to them). Nobody is told about their own post, and nobody is told about
a board they may not see (a refunded learner stops hearing about the course's private board).
"""

import re
from datetime import datetime

import sqlalchemy as sa

from courseware.accounts.handles import HANDLE_PATTERN
from courseware.accounts.models import User
from courseware.db import insert_ignoring_duplicates
from courseware.extensions import db
from courseware.markdown import text_outside_quotes_and_code
from courseware.notifications import inbox
from courseware.notifications.models import NotificationKind
from forum import permissions
from forum.models import Board, BoardWatch, Post, Topic, TopicWatch, WatchLevel

MENTIONS_MAX = 10  # more @names than this in one post notifies the first ten (a spam guard)
_MENTION = re.compile(rf"(?<![\w@.])@({HANDLE_PATTERN})", re.IGNORECASE)
# The quote the reply form writes: "> **Name** wrote (#12):"
_QUOTE = re.compile(r"^> \*\*.+?\*\* wrote \(#(\d{1,9})\):", re.MULTILINE)
# Addressed to someone beats "something new": one notification per member per post.
_PRECEDENCE = (NotificationKind.MENTION, NotificationKind.QUOTE, NotificationKind.REPLY,
               NotificationKind.NEW_TOPIC)


def after_new_topic(board: Board, topic: Topic, body: str, author: User, path: str, now: datetime) -> int:
    """The opening post (`body`) is posted: its author watches the topic; the board's watchers,
    and whoever it mentions, hear of it."""
    watch(topic.id, author.id, WatchLevel.WATCHING, only_if_unset=True)
    kinds = _addressed(body, topic)
    for user_id in _board_watchers(board.id):
        kinds.setdefault(user_id, NotificationKind.NEW_TOPIC)
    return _send(board, topic, body, author, path, kinds, now)


def after_reply(board: Board, topic: Topic, body: str, author: User, path: str, now: datetime) -> int:
    """A reply is posted: its author watches the topic from now on (unless they muted it)."""
    watch(topic.id, author.id, WatchLevel.WATCHING, only_if_unset=True)
    kinds = _addressed(body, topic)
    for user_id in _watchers(board.id, topic.id):
        kinds.setdefault(user_id, NotificationKind.REPLY)
    return _send(board, topic, body, author, path, kinds, now)


def after_accept(board: Board, topic: Topic, answer: Post, accepter: User, path: str, now: datetime) -> int:
    kinds = {answer.author_id: NotificationKind.ACCEPTED}
    return _send(board, topic, answer.body_md, accepter, path, kinds, now)


def watch(topic_id: int, user_id: int, level: str, *, only_if_unset: bool = False) -> None:
    """Set the member's level on a topic; `only_if_unset` keeps a level they chose (a mute)."""
    values = {"topic_id": topic_id, "user_id": user_id, "level": level}
    if insert_ignoring_duplicates(db.session, TopicWatch, values) or only_if_unset:
        return
    db.session.execute(
        sa.update(TopicWatch).where(TopicWatch.topic_id == topic_id, TopicWatch.user_id == user_id)
        .values(level=level).execution_options(synchronize_session=False)
    )


def watch_board(board_id: int, user_id: int, level: str) -> None:
    values = {"board_id": board_id, "user_id": user_id, "level": level}
    if not insert_ignoring_duplicates(db.session, BoardWatch, values):
        db.session.execute(
            sa.update(BoardWatch).where(BoardWatch.board_id == board_id, BoardWatch.user_id == user_id)
            .values(level=level).execution_options(synchronize_session=False)
        )


def mentioned_handles(body: str) -> list[str]:
    """The @names written in the post's own text: not inside quotes (the quoted member already
    heard) nor code. Lower-cased, in order, each once, at most MENTIONS_MAX."""
    found = dict.fromkeys(m.lower() for m in _MENTION.findall(text_outside_quotes_and_code(body)))
    return list(found)[:MENTIONS_MAX]


def quoted_numbers(body: str) -> list[int]:
    return sorted({int(number) for number in _QUOTE.findall(body)})


def _addressed(body: str, topic: Topic) -> dict[int, str]:
    """Members mentioned or quoted by the post: one statement for both."""
    handles, numbers = mentioned_handles(body), quoted_numbers(body)
    if not handles and not numbers:
        return {}
    mentioned = sa.select(User.id, sa.literal(NotificationKind.MENTION.value)).where(User.handle.in_(handles))
    quoted = (
        sa.select(Post.author_id, sa.literal(NotificationKind.QUOTE.value))
        .where(Post.topic_id == topic.id, Post.number.in_(numbers), Post.deleted_at.is_(None))
    )
    kinds: dict[int, str] = {}
    for user_id, kind in db.session.execute(sa.union_all(mentioned, quoted)):
        kinds[user_id] = min(kinds.get(user_id, kind), kind, key=_PRECEDENCE.index)
    return kinds


def _watchers(board_id: int, topic_id: int) -> list[int]:
    """Members watching the topic, or the board without a level of their own on the topic."""
    on_topic = sa.select(TopicWatch.user_id).where(TopicWatch.topic_id == topic_id,
                                                   TopicWatch.level == WatchLevel.WATCHING)
    own_level = sa.exists().where(TopicWatch.topic_id == topic_id, TopicWatch.user_id == BoardWatch.user_id)
    on_board = sa.select(BoardWatch.user_id).where(BoardWatch.board_id == board_id,
                                                   BoardWatch.level == WatchLevel.WATCHING, ~own_level)
    return list(db.session.scalars(sa.union(on_topic, on_board)))


def _board_watchers(board_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(BoardWatch.user_id).where(BoardWatch.board_id == board_id,
                                            BoardWatch.level == WatchLevel.WATCHING)
    ))


def _send(board: Board, topic: Topic, body: str, actor: User, path: str, kinds: dict[int, str],
          now: datetime) -> int:
    kinds.pop(actor.id, None)
    if not kinds or topic.hidden_at is not None:  # a hidden topic is for moderators' eyes only
        return 0
    allowed = db.session.scalars(
        sa.select(User.id)
        .where(User.id.in_(list(kinds)), permissions.readers_filter(board), ~_muted(board, topic))
    )
    kinds = {user_id: kinds[user_id] for user_id in allowed}
    event = inbox.Event(
        title=topic.title, path=path, excerpt=inbox.excerpt(text_outside_quotes_and_code(body) or body),
        actor_id=actor.id,
        actor_name=actor.display_name, topic_id=topic.id, mute_endpoint="forum.mute_by_email",
    )
    return inbox.notify(event, kinds, now)


def _muted(board: Board, topic: Topic) -> sa.ColumnElement[bool]:
    """The member muted the topic, or muted the board and set nothing on the topic."""
    topic_level = (
        sa.select(TopicWatch.level)
        .where(TopicWatch.topic_id == topic.id, TopicWatch.user_id == User.id)
        .scalar_subquery()
    )
    board_muted = sa.exists().where(BoardWatch.board_id == board.id, BoardWatch.user_id == User.id,
                                    BoardWatch.level == WatchLevel.MUTED)
    # COALESCE: with no topic level, "= 'muted'" would be NULL, and NOT NULL would drop the member.
    topic_muted = sa.func.coalesce(topic_level, "") == WatchLevel.MUTED
    return sa.or_(topic_muted, sa.and_(topic_level.is_(None), board_muted))
