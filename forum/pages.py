"""What the forum pages show, each in a constant number of statements whatever the forum's size.

A board or topic is loaded with the viewer's enrolment in its course (one join), so the
permission check costs nothing more; lists load only the columns the page shows, with their
authors in the same statement. Nothing here writes: a page view never changes a row.
"""

from dataclasses import dataclass
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, load_only

from courseware.accounts.models import User
from courseware.extensions import db
from courseware.learning.models import Enrolment
from forum import permissions
from forum.models import Board, Post, Topic

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 50


@dataclass
class Located:
    """A board (and topic, and post) as found, with whether the viewer is enrolled in its course."""

    board: Board
    enrolled: bool
    topic: Topic | None = None
    post: Post | None = None


@dataclass
class Listing:
    """One page of a list, with what the pager macro (templates/_partials/pagination.html) reads."""

    items: list
    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def visible_boards(user) -> list[Board]:
    """The boards the user may see, the lounge first, in one statement."""
    statement = (
        sa.select(Board)
        .outerjoin(Enrolment, _enrolment_join(Board, user.id))
        .where(permissions.visible_boards_filter(user))
        .order_by(Board.position, Board.title, Board.id)
    )
    return list(db.session.scalars(statement))


def find_board(slug: str, user_id: int | None) -> Located | None:
    row = db.session.execute(
        sa.select(Board, Enrolment.id).outerjoin(Enrolment, _enrolment_join(Board, user_id or -1))
        .where(Board.slug == slug)
    ).one_or_none()
    return None if row is None else Located(row[0], row[1] is not None)


def find_topic(topic_id: int, user_id: int | None) -> Located | None:
    row = db.session.execute(
        sa.select(Topic, Board, Enrolment.id)
        .join(Board, Topic.board_id == Board.id)
        .outerjoin(Enrolment, _enrolment_join(Board, user_id or -1))
        .where(Topic.id == topic_id)
    ).one_or_none()
    return None if row is None else Located(row[1], row[2] is not None, topic=row[0])


def find_post(post_id: int, user_id: int | None) -> Located | None:
    row = db.session.execute(
        sa.select(Post, Topic, Board, Enrolment.id)
        .join(Topic, Post.topic_id == Topic.id)
        .join(Board, Topic.board_id == Board.id)
        .outerjoin(Enrolment, _enrolment_join(Board, user_id or -1))
        .where(Post.id == post_id)
    ).one_or_none()
    return None if row is None else Located(row[2], row[3] is not None, topic=row[1], post=row[0])


def board_topics(board: Board, page: int, include_hidden: bool) -> Listing:
    """Pinned first, then latest activity; the page count comes from the board's kept count."""
    statement = _board_topics_statement(include_hidden)
    params = {"board_id": board.id, "limit": TOPICS_PER_PAGE + 1, "offset": (page - 1) * TOPICS_PER_PAGE}
    topics = list(db.session.scalars(statement, params).unique())
    pages = max(1, -(-board.topic_count // TOPICS_PER_PAGE))
    if len(topics) > TOPICS_PER_PAGE:  # hidden topics (moderators) are not in the kept count
        topics = topics[:TOPICS_PER_PAGE]
        pages = max(pages, page + 1)
    return Listing(topics, page, max(pages, page if topics else 1))


def topic_posts(topic: Topic, page: int, include_hidden: bool) -> Listing:
    """Page n holds post numbers (n-1)*50+1 .. n*50: a range on the (topic_id, number) index, so
    the last page of a 10,000-post topic costs what the first does (no OFFSET)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    params = {"topic_id": topic.id, "first": first, "last": first + POSTS_PER_PAGE - 1}
    posts = list(db.session.scalars(_topic_posts_statement(include_hidden), params))
    pages = max(1, -(-topic.highest_number // POSTS_PER_PAGE))
    return Listing(posts, page, pages)


def page_of_post(number: int) -> int:
    return (number - 1) // POSTS_PER_PAGE + 1


def _enrolment_join(board, user_id) -> sa.ColumnElement[bool]:
    return sa.and_(Enrolment.course_id == board.course_id, Enrolment.user_id == user_id)


@cache
def _board_topics_statement(include_hidden: bool) -> sa.Select:
    """Built once per kind of viewer: the board page runs it on every visit."""
    last_poster = aliased(User)
    statement = (
        sa.select(Topic)
        .join(Topic.author)
        .outerjoin(last_poster, Topic.last_poster_id == last_poster.id)
        .options(
            load_only(
                Topic.id, Topic.board_id, Topic.title, Topic.slug, Topic.created_at, Topic.last_post_at,
                Topic.reply_count, Topic.pinned, Topic.locked, Topic.hidden_at,
            ),
            contains_eager(Topic.author).load_only(User.id, User.display_name, User.role),
            contains_eager(Topic.last_poster.of_type(last_poster)).load_only(
                last_poster.id, last_poster.display_name, last_poster.role
            ),
        )
        .where(Topic.board_id == sa.bindparam("board_id"))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )
    return statement if include_hidden else statement.where(Topic.hidden_at.is_(None))


@cache
def _topic_posts_statement(include_hidden: bool) -> sa.Select:
    statement = (
        sa.select(Post)
        .join(Post.author)
        .options(
            load_only(
                Post.id, Post.topic_id, Post.author_id, Post.number, Post.body_html, Post.created_at,
                Post.edited_at, Post.hidden_at,
            ),
            contains_eager(Post.author).load_only(User.id, User.display_name, User.role),
        )
        .where(Post.topic_id == sa.bindparam("topic_id"))
        .where(Post.number.between(sa.bindparam("first"), sa.bindparam("last")))
        .order_by(Post.number)
    )
    return statement if include_hidden else statement.where(Post.hidden_at.is_(None))
