"""Writing to the forum: boards from the courses table, topics, replies, edits, the new-member rate
limit. Moderation is in moderation.py; what pages read is in pages.py.

Services only flush; the view (or CLI command) commits once. Markdown is cooked here, once, into
`body_html`; pages only ever show the stored HTML.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import load_only

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.extensions import db
from courseware.markdown import render
from forum import permissions
from forum.models import Board, BoardKind, Post, Topic

LOUNGE_SLUG = "lounge"
LOUNGE_TITLE = "Members' lounge"
LOUNGE_DESCRIPTION = (
    "Open to every member: introduce yourself, share what works in your schools and ask your colleagues."
)
# Board slugs share /forum/<slug>/ with the forum's own paths.
RESERVED_SLUGS = frozenset({LOUNGE_SLUG, "t", "p", "new", "search"})

# New members (accounts younger than a day) wait between posts: spam arrives with new accounts.
NEW_MEMBER_PERIOD = timedelta(hours=24)
NEW_MEMBER_POST_INTERVAL = timedelta(seconds=30)
NEW_MEMBER_TOPIC_INTERVAL = timedelta(minutes=2)


class RateLimited(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(f"New members post at a gentle pace. You can post again in {seconds} {unit}.")


@dataclass
class BoardsReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def ensure_course_boards() -> BoardsReport:
    """The lounge, and one board per course with `community: true`, titled after it (idempotent)."""
    report = BoardsReport()
    boards = {board.course_id: board for board in db.session.scalars(sa.select(Board))}
    if not any(board.kind == BoardKind.LOUNGE for board in boards.values()):
        db.session.add(
            Board(slug=LOUNGE_SLUG, title=LOUNGE_TITLE, description=LOUNGE_DESCRIPTION,
                  kind=BoardKind.LOUNGE, position=0)
        )
        report.created.append(LOUNGE_SLUG)
    for course in _community_courses():
        if course.slug in RESERVED_SLUGS:
            report.skipped.append(course.slug)
            continue
        board = boards.get(course.id)
        wanted = dict(slug=course.slug, title=course.title, description=course.summary)
        if board is None:
            db.session.add(Board(kind=BoardKind.COURSE, course_id=course.id, position=1, **wanted))
            report.created.append(course.slug)
        elif any(getattr(board, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(board, name, value)
            report.updated.append(course.slug)
    db.session.flush()
    return report


def _community_courses() -> list[Course]:
    statement = (
        sa.select(Course)
        .options(load_only(Course.id, Course.slug, Course.title, Course.summary))
        .where(Course.community.is_(True))
        .order_by(Course.id)
    )
    return list(db.session.scalars(statement))


def create_topic(board: Board, author_id: int, title: str, body: str, now: datetime) -> Topic:
    """A topic and its opening post (number 1); the board's counts move in the same transaction."""
    topic = Topic(
        board_id=board.id, author_id=author_id, title=title, slug=slugify(title), created_at=now,
        last_post_at=now, last_poster_id=author_id, post_count=1, reply_count=0, highest_number=1,
    )
    db.session.add(topic)
    db.session.flush()
    post = _new_post(topic.id, author_id, 1, body, now)
    topic.last_post_id = post.id
    move_board_counts(board.id, topics=1, posts=1, last_post_at=now)
    db.session.flush()
    return topic


def reply(topic: Topic, author_id: int, body: str, now: datetime) -> Post:
    """The next post of the topic. Its number comes from the topic row's own counter, bumped by
    one UPDATE ... RETURNING, so two replies at once never take the same number."""
    number = db.session.execute(
        sa.update(Topic)
        .where(Topic.id == topic.id)
        .values(
            highest_number=Topic.highest_number + 1, post_count=Topic.post_count + 1,
            reply_count=Topic.reply_count + 1, last_post_at=now, last_poster_id=author_id,
        )
        .returning(Topic.highest_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    post = _new_post(topic.id, author_id, number, body, now)
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id).values(last_post_id=post.id)
        .execution_options(synchronize_session=False)
    )
    if topic.hidden_at is None:  # a hidden topic's posts are not in the board's counts
        move_board_counts(topic.board_id, posts=1, last_post_at=now)
    return post


def edit_post(post: Post, body: str, now: datetime) -> None:
    """A new body, cooked again. (Edit history is a later slice.)"""
    post.body_md = body
    post.body_html = cook(body)
    post.edited_at = now
    db.session.flush()


def cook(body: str) -> str:
    """Markdown as members write it -> the sanitised HTML that is stored and shown."""
    return render(body, trusted=False)


def check_rate_limit(user: User, now: datetime, new_topic: bool) -> None:
    """Raises RateLimited while a member whose account is under a day old must wait: one post per
    30 s, one topic per 2 minutes. Read from the member's own latest post or topic (one indexed
    statement), so it holds the same on SQLite and PostgreSQL and across workers."""
    if now - user.created_at >= NEW_MEMBER_PERIOD:
        return
    if permissions.is_moderator(user) or permissions.is_instructor(user):
        return
    model, interval = (Topic, NEW_MEMBER_TOPIC_INTERVAL) if new_topic else (Post, NEW_MEMBER_POST_INTERVAL)
    latest = db.session.scalar(
        sa.select(model.created_at)
        .where(model.author_id == user.id)
        .order_by(model.created_at.desc())
        .limit(1)
    )
    if latest is None:
        return
    wait = latest + interval - now
    if wait > timedelta(0):
        raise RateLimited(max(1, int(wait.total_seconds() + 0.999)))


def slugify(title: str) -> str:
    """'Co-teaching: where do I start?' -> 'co-teaching-where-do-i-start'; 'topic' if nothing is left."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].rstrip("-") or "topic"


def _new_post(topic_id: int, author_id: int, number: int, body: str, now: datetime) -> Post:
    post = Post(
        topic_id=topic_id, author_id=author_id, number=number, body_md=body, body_html=cook(body),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    return post


def move_board_counts(
    board_id: int, topics: int = 0, posts: int = 0, last_post_at: datetime | None = None
) -> None:
    """Board counts move by SQL (`x = x + n`), never read-modify-write: replies race."""
    values = {"topic_count": Board.topic_count + topics, "post_count": Board.post_count + posts}
    if last_post_at is not None:
        values["last_post_at"] = last_post_at
    db.session.execute(
        sa.update(Board).where(Board.id == board_id).values(**values)
        .execution_options(synchronize_session=False)
    )
