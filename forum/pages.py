"""What the forum pages show, each in a constant number of statements whatever the forum's size.

A board or topic is loaded with the viewer's enrolment in its course (one join), so the
permission check costs nothing more; lists load only the columns the page shows, with their
authors in the same statement. Nothing here writes (a topic page records how far its reader got,
through forum.reading, and only when that moves forward).
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, load_only

from courseware.accounts.models import User
from courseware.content.models import Course, Lesson
from courseware.content.structure import LessonEntry, course_structure
from courseware.db import DriverRead, read_connection, utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.web import PageLinks
from forum import permissions
from forum.models import (
    Board,
    BoardKind,
    BoardWatch,
    Post,
    PostReport,
    PostRevision,
    Topic,
    TopicRead,
    TopicWatch,
)

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 50
QUEUE_PER_PAGE = 30
LESSON_QUESTIONS_SHOWN = 10


@dataclass(frozen=True)
class LessonLink:
    """The lesson a question is about, as the topic page links to it."""

    course_slug: str
    slug: str
    title: str


@dataclass
class Located:
    """A board (and topic, and post) as found, with whether the viewer is enrolled in its course."""

    board: Board
    enrolled: bool
    topic: Topic | None = None
    post: Post | None = None
    lesson: LessonLink | None = None
    # The viewer's reading position and watch levels (topic pages only; None where unset).
    last_read_number: int | None = None
    topic_level: str | None = None
    board_level: str | None = None
    # Whether the viewer's posting is suspended now (topic pages only; None where not looked up).
    suspended: bool | None = None
    # The signed-in member the topic's statement found by their session token (topic pages only).
    reader: User | None = None


@dataclass(frozen=True)
class TopicSummary:
    """What a cached topic page needs of its topic: the columns of its key and of the permission
    checks (forum.permissions reads these names on a Topic too)."""

    id: int
    board_id: int
    author_id: int
    slug: str
    version: int
    locked: bool
    closed_at: datetime | None
    hidden_at: datetime | None


@dataclass(frozen=True)
class BoardSummary:
    id: int
    slug: str
    title: str
    kind: str
    course_id: int | None


@dataclass(frozen=True)
class ReaderSummary:
    """The signed-in member as the permission checks read a User."""

    id: int
    role: str
    email_verified_at: datetime | None
    unread_notifications: int
    is_authenticated = True

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


@dataclass
class LessonQuestions:
    """A lesson's latest questions for its player page, and whether there are more to see."""

    board_slug: str
    lesson_slug: str
    topics: list[Topic]
    more: bool


@dataclass
class Listing(PageLinks):
    """One page of a list, with what the pager macro (templates/_partials/pagination.html) reads."""

    items: list
    page: int
    pages: int


@dataclass
class Pager(PageLinks):
    """Where a page is among its list's pages, for a page that shows its items some other way."""

    page: int
    pages: int


def visible_boards(user) -> list[Board]:
    """The boards the user may see, the lounge first, in one statement."""
    statement = (
        sa.select(Board)
        .outerjoin(Enrolment, permissions.enrolment_join(Board, user.id))
        .where(permissions.visible_boards_filter(user))
        .order_by(Board.position, Board.title, Board.id)
    )
    return list(db.session.scalars(statement))


def find_board(slug: str, user_id: int | None) -> Located | None:
    """The board with the viewer's enrolment and watch level: one statement."""
    viewer = user_id or -1
    row = db.session.execute(
        sa.select(Board, Enrolment.id, BoardWatch.level)
        .outerjoin(Enrolment, permissions.enrolment_join(Board, viewer))
        .outerjoin(BoardWatch, sa.and_(BoardWatch.board_id == Board.id, BoardWatch.user_id == viewer))
        .where(Board.slug == slug)
    ).one_or_none()
    return None if row is None else Located(row[0], row[1] is not None, board_level=row[2])


def read_positions(user_id: int | None, topics: list[Topic]) -> dict[int, int]:
    """Topic id -> the highest post number the viewer has read, for the topics of one page."""
    if user_id is None or not topics:
        return {}
    rows = db.session.execute(
        sa.select(TopicRead.topic_id, TopicRead.last_read_number)
        .where(TopicRead.user_id == user_id, TopicRead.topic_id.in_([topic.id for topic in topics]))
    )
    return {topic_id: number for topic_id, number in rows}


def find_topic(topic_id: int, reader_token: str | None) -> Located | None:
    """The topic, its board, the lesson it asks about, and its reader (the member whose session
    token this is) with their enrolment, reading position, watch levels and suspension: one
    statement, where loading the member first would cost one more."""
    row = db.session.execute(_find_topic_statement(), _topic_params(topic_id, reader_token)).one_or_none()
    return None if row is None else _located(*row)


def topic_summary(topic_id: int, reader_token: str) -> Located | None:
    """What `find_topic` finds, as summaries (TopicSummary, BoardSummary, ReaderSummary) read in
    one statement of plain columns on a connection of its own (db.read_connection), for the
    cached topic page."""
    params = _topic_params(topic_id, reader_token)
    with read_connection(db.engines) as connection:
        row = _topic_summary_read(connection.dialect.name).one_or_none(connection, params)
    if row is None:
        return None
    reader = ReaderSummary(*row[13:17]) if row[13] is not None else None
    return _located(TopicSummary(*row[:8]), BoardSummary(*row[8:13]), reader, *row[17:])


def _topic_params(topic_id: int, reader_token: str | None) -> dict:
    return {"topic_id": topic_id, "token": reader_token, "now": utcnow()}


def _located(topic, board, reader, enrolment_id, course_slug, lesson_slug, lesson_title, last_read_number,
             topic_level, board_level, suspended) -> Located:
    lesson = LessonLink(course_slug, lesson_slug, lesson_title) if lesson_slug is not None else None
    return Located(board, enrolment_id is not None, topic=topic, lesson=lesson,
                   last_read_number=last_read_number, topic_level=topic_level, board_level=board_level,
                   suspended=suspended, reader=reader)


def find_lesson(board: Board, lesson_slug: str | None, now: datetime) -> LessonEntry | None:
    """A live lesson of the board's course (from the course structure in memory), or None."""
    if not lesson_slug or board.course_id is None:
        return None
    course = db.session.get(Course, board.course_id)
    if course is None or not course.is_live(now):
        return None
    for lesson, _module in course_structure(course).live(now):
        if lesson.slug == lesson_slug:
            return lesson
    return None


def lesson_questions(course_id: int, course_slug: str, lesson: LessonEntry) -> LessonQuestions:
    """The lesson's visible questions on its course's board, newest first, in one statement.
    (A course's board carries the course's slug.)"""
    topics = list(db.session.scalars(
        sa.select(Topic)
        .join(Board, Topic.board_id == Board.id)
        .options(load_only(Topic.id, Topic.slug, Topic.title, Topic.created_at, Topic.reply_count,
                           Topic.accepted_post_id, Topic.video_seconds))
        .where(Board.course_id == course_id, Topic.lesson_id == lesson.id, Topic.hidden_at.is_(None))
        .order_by(Topic.created_at.desc(), Topic.id.desc())
        .limit(LESSON_QUESTIONS_SHOWN + 1)
    ))
    return LessonQuestions(course_slug, lesson.slug, topics[:LESSON_QUESTIONS_SHOWN],
                           len(topics) > LESSON_QUESTIONS_SHOWN)


def find_post(post_id: int, user_id: int | None) -> Located | None:
    row = db.session.execute(
        sa.select(Post, Topic, Board, Enrolment.id)
        .join(Topic, Post.topic_id == Topic.id)
        .join(Board, Topic.board_id == Board.id)
        .outerjoin(Enrolment, permissions.enrolment_join(Board, user_id or -1))
        .where(Post.id == post_id)
    ).one_or_none()
    return None if row is None else Located(row[2], row[3] is not None, topic=row[1], post=row[0])


def board_topics(board: Board, page: int, include_hidden: bool, lesson_id: int | None = None) -> Listing:
    """Pinned first, then latest activity; the page count comes from the board's kept count (a
    lesson's questions: from whether there is one more page)."""
    statement = _board_topics_statement(include_hidden)
    params = {"board_id": board.id, "limit": TOPICS_PER_PAGE + 1, "offset": (page - 1) * TOPICS_PER_PAGE}
    if lesson_id is not None:
        statement = statement.where(Topic.lesson_id == lesson_id)
    topics = list(db.session.scalars(statement, params).unique())
    pages = 1 if lesson_id is not None else max(1, -(-board.topic_count // TOPICS_PER_PAGE))
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
    return Listing(posts, page, topic_pages(topic))


def topic_pages(topic: Topic) -> int:
    return max(1, -(-topic.highest_number // POSTS_PER_PAGE))


def topic_pager(topic: Topic, page: int) -> Pager:
    return Pager(page, topic_pages(topic))


def page_of_post(number: int) -> int:
    return (number - 1) // POSTS_PER_PAGE + 1


def accepted_answer(topic: Topic, include_hidden: bool) -> Post | None:
    """The accepted reply with its author (one statement), shown under the question."""
    if topic.accepted_post_id is None:
        return None
    statement = (
        _topic_posts_statement(include_hidden)
        .where(Post.id == topic.accepted_post_id, Post.deleted_at.is_(None))
    )
    params = {"topic_id": topic.id, "first": 2, "last": topic.highest_number}
    return db.session.scalars(statement, params).first()


def quotable_post(topic: Topic, number: int) -> tuple[str, str] | None:
    """(author's name, markdown) of a visible post to quote in a reply, or None."""
    row = db.session.execute(
        sa.select(User.display_name, Post.body_md)
        .join(User, Post.author_id == User.id)
        .where(Post.topic_id == topic.id, Post.number == number, Post.hidden_at.is_(None),
               Post.deleted_at.is_(None))
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def post_revisions(post: Post) -> list[PostRevision]:
    """The post's revisions, oldest first, with who made each edit (one statement)."""
    statement = (
        sa.select(PostRevision)
        .outerjoin(PostRevision.edited_by)
        .options(contains_eager(PostRevision.edited_by).load_only(User.id, User.display_name, User.role))
        .where(PostRevision.post_id == post.id)
        .order_by(PostRevision.number)
    )
    return list(db.session.scalars(statement))


def _unanswered() -> sa.ColumnElement[bool]:
    """Questions on course boards with no instructor reply and no accepted answer: a range of the
    (answered_at, created_at) index."""
    return sa.and_(Topic.answered_at.is_(None), Topic.hidden_at.is_(None), Board.kind == BoardKind.COURSE)


def _open_report(course_boards_only: bool) -> sa.ColumnElement[bool]:
    """Reports nobody has resolved; for the instructor, only those on course boards (hers to moderate)."""
    if course_boards_only:
        return sa.and_(PostReport.resolved_at.is_(None), Board.kind == BoardKind.COURSE)
    return PostReport.resolved_at.is_(None)


def unanswered_topics(page: int) -> Listing:
    """The unanswered questions, oldest first."""
    statement = (
        sa.select(Topic, Board.slug, Board.title)
        .join(Board, Topic.board_id == Board.id)
        .join(Topic.author)
        .options(
            load_only(Topic.id, Topic.board_id, Topic.title, Topic.slug, Topic.created_at,
                      Topic.reply_count, Topic.lesson_id),
            contains_eager(Topic.author).load_only(User.id, User.display_name, User.role),
        )
        .where(_unanswered())
        .order_by(Topic.created_at, Topic.id)
        .limit(QUEUE_PER_PAGE + 1)
        .offset((page - 1) * QUEUE_PER_PAGE)
    )
    rows = db.session.execute(statement).all()
    return _open_ended(rows, page)


def open_reports(page: int, course_boards_only: bool) -> Listing:
    """Open reports, oldest first, each with its post, topic, board and reporter (one statement)."""
    statement = (
        sa.select(PostReport, Post, Topic.id, Topic.slug, Topic.title, Board.title, User.display_name)
        .join(Post, PostReport.post_id == Post.id)
        .join(Topic, Post.topic_id == Topic.id)
        .join(Board, Topic.board_id == Board.id)
        .join(User, PostReport.reporter_id == User.id)
        .options(load_only(Post.id, Post.number, Post.body_html, Post.hidden_at, Post.author_id))
        .where(_open_report(course_boards_only))
        .order_by(PostReport.created_at, PostReport.id)
        .limit(QUEUE_PER_PAGE + 1)
        .offset((page - 1) * QUEUE_PER_PAGE)
    )
    return _open_ended(db.session.execute(statement).all(), page)


@dataclass(frozen=True)
class QueueCounts:
    """How much waits in the instructor's and moderators' queues, for the forum's index."""

    unanswered: int
    reports: int


def queue_counts(course_boards_only: bool) -> QueueCounts:
    """Both counts in one statement (only staff see them, on the index: not a hot page)."""
    unanswered = sa.select(sa.func.count()).select_from(Topic).join(Board, Topic.board_id == Board.id)
    reports = (
        sa.select(sa.func.count())
        .select_from(PostReport)
        .join(Post, PostReport.post_id == Post.id)
        .join(Topic, Post.topic_id == Topic.id)
        .join(Board, Topic.board_id == Board.id)
    )
    row = db.session.execute(
        sa.select(
            unanswered.where(_unanswered()).scalar_subquery(),
            reports.where(_open_report(course_boards_only)).scalar_subquery(),
        )
    ).one()
    return QueueCounts(unanswered=row[0], reports=row[1])


def _open_ended(rows: list, page: int) -> Listing:
    """A page of a list without a kept count: there is a next page if one more row came back."""
    more = len(rows) > QUEUE_PER_PAGE
    return Listing(rows[:QUEUE_PER_PAGE], page, page + 1 if more else page)


@cache
def _find_topic_statement() -> sa.Select:
    """Built once: every topic page runs it, and building a statement of seven joins costs several
    times what running it does."""
    return _with_reader(sa.select(Topic, Board, User))


@cache
def _topic_summary_read(dialect_name: str) -> DriverRead:
    return DriverRead(_topic_summary_statement(), db.engine.dialect)


def _topic_summary_statement() -> sa.Select:
    return _with_reader(sa.select(
        Topic.id, Topic.board_id, Topic.author_id, Topic.slug, Topic.version, Topic.locked, Topic.closed_at,
        Topic.hidden_at, Board.id, Board.slug, Board.title, Board.kind, Board.course_id,
        User.id, User.role, User.email_verified_at, User.unread_notifications,
    ))


def _with_reader(statement: sa.Select) -> sa.Select:
    """The topic's board and lesson, and the member the `token` parameter names with what the
    topic page shows them: enrolment, reading position, watch levels, suspension."""
    return (
        statement.add_columns(
            Enrolment.id, Course.slug, Lesson.slug, Lesson.title, TopicRead.last_read_number,
            TopicWatch.level, BoardWatch.level, permissions.suspended_now(User.id, sa.bindparam("now")),
        )
        .select_from(Topic)
        .join(Board, Topic.board_id == Board.id)
        .outerjoin(User, User.session_token == sa.bindparam("token"))
        .outerjoin(Enrolment, permissions.enrolment_join(Board, User.id))
        .outerjoin(Lesson, Topic.lesson_id == Lesson.id)
        .outerjoin(Course, Lesson.course_id == Course.id)
        .outerjoin(TopicRead, sa.and_(TopicRead.topic_id == Topic.id, TopicRead.user_id == User.id))
        .outerjoin(TopicWatch, sa.and_(TopicWatch.topic_id == Topic.id, TopicWatch.user_id == User.id))
        .outerjoin(BoardWatch, sa.and_(BoardWatch.board_id == Board.id, BoardWatch.user_id == User.id))
        .where(Topic.id == sa.bindparam("topic_id"))
    )


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
                Topic.reply_count, Topic.pinned, Topic.locked, Topic.hidden_at, Topic.closed_at,
                Topic.accepted_post_id, Topic.lesson_id, Topic.highest_number,
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
                Post.edited_at, Post.hidden_at, Post.deleted_at,
            ),
            contains_eager(Post.author).load_only(User.id, User.display_name, User.role, User.handle),
        )
        .where(Post.topic_id == sa.bindparam("topic_id"))
        .where(Post.number.between(sa.bindparam("first"), sa.bindparam("last")))
        .order_by(Post.number)
    )
    return statement if include_hidden else statement.where(Post.hidden_at.is_(None))
