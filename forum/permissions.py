"""Who may see and do what in the forum: the one place views and tests ask.

A course board is private to the course's enrolled learners, the author and the moderators; the
lounge is open to every signed-in member. Whoever may not see a board gets a 404 for it, for its
topics and for links to its posts, so a private board's existence is not given away.

`enrolled` says whether the user holds an enrolment in the board's course. The pages load it in
the same statement as the board; leave it out and it is looked up (one statement).
"""

import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.extensions import db
from courseware.learning.models import Enrolment
from forum.models import Board, BoardKind, Topic

VERIFY_FIRST = (
    "Please verify your email address before you post: open the link we emailed you, or send a new one."
)
LOCKED = "This topic is locked by a moderator: it is kept for reading and takes no new replies."


def is_moderator(user) -> bool:
    return _signed_in(user) and user.role in (Role.MODERATOR, Role.ADMIN)


def is_instructor(user) -> bool:
    """The course author (and admins): her posts carry the "Instructor" badge."""
    return _signed_in(user) and user.role in (Role.AUTHOR, Role.ADMIN)


def can_view_board(user, board: Board, enrolled: bool | None = None) -> bool:
    if not _signed_in(user):
        return False
    if board.kind == BoardKind.LOUNGE or is_moderator(user) or is_instructor(user):
        return True
    if board.course_id is None:
        return False
    return _enrolled(user, board) if enrolled is None else enrolled


def can_moderate(user, board: Board) -> bool:
    """Moderators everywhere; the author on her course boards."""
    return is_moderator(user) or (is_instructor(user) and board.kind == BoardKind.COURSE)


def can_view_topic(user, board: Board, topic: Topic, enrolled: bool | None = None) -> bool:
    if not can_view_board(user, board, enrolled):
        return False
    return topic.hidden_at is None or can_moderate(user, board)


def posting_problem(user, board: Board, topic: Topic | None = None) -> str | None:
    """Why this (viewing) user may not post here now, or None. The rate limit is checked apart."""
    if not user.is_verified:
        return VERIFY_FIRST
    if topic is not None and topic.locked and not can_moderate(user, board):
        return LOCKED
    return None


def can_post(user, board: Board, topic: Topic | None = None, enrolled: bool | None = None) -> bool:
    if topic is not None and not can_view_topic(user, board, topic, enrolled):
        return False
    if topic is None and not can_view_board(user, board, enrolled):
        return False
    return posting_problem(user, board, topic) is None


def can_edit_post(user, board: Board, topic: Topic, post) -> bool:
    """A member edits the body of her own post while the topic is open; moderators always."""
    if not _signed_in(user) or post.author_id != user.id:
        return False
    return not topic.locked or can_moderate(user, board)


def visible_boards_filter(user) -> sa.ColumnElement[bool]:
    """The WHERE clause for "boards this user may see", for a query that outer-joins the user's
    enrolment (`Enrolment.id` is NULL where they hold none)."""
    if is_moderator(user) or is_instructor(user):
        return sa.true()
    return sa.or_(Board.kind == BoardKind.LOUNGE, Enrolment.id.is_not(None))


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _enrolled(user, board: Board) -> bool:
    statement = sa.select(Enrolment.id).where(
        Enrolment.user_id == user.id, Enrolment.course_id == board.course_id
    )
    return db.session.scalar(statement) is not None
