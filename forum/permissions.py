"""Who may see and do what in the forum: the one place views and tests ask.

A course board is private to the course's enrolled learners, the author and the moderators; the
lounge is open to every signed-in member. Whoever may not see a board gets a 404 for it, for its
topics and for links to its posts, so a private board's existence is not given away.

`enrolled` says whether the user holds an enrolment in the board's course. The pages load it in
the same statement as the board; leave it out and it is looked up (one statement).
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from courseware.accounts.models import Role, User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from forum.models import Board, BoardKind, ForumSuspension, Post, Topic

VERIFY_FIRST = (
    "Please verify your email address before you post: open the link we emailed you, or send a new one."
)
LOCKED = "This topic is locked by a moderator: it is kept for reading and takes no new replies."
CLOSED = "This topic is closed: it is kept for reading and takes no new replies."
DELETE_TOO_LATE = (
    "A post can be deleted only in the first {minutes} minutes after it is posted. "
    "Edit it instead, or ask a moderator."
)


def is_moderator(user) -> bool:
    return _signed_in(user) and user.role in (Role.MODERATOR, Role.ADMIN)


INSTRUCTOR_ROLES = (Role.AUTHOR, Role.ADMIN)


def is_instructor(user) -> bool:
    """The course author (and admins): her posts carry the "Instructor" badge."""
    return _signed_in(user) and user.role in INSTRUCTOR_ROLES


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


def posting_problem(
    user, board: Board, topic: Topic | None = None, suspended: bool | None = None
) -> str | None:
    """Why this (viewing) user may not post here now, or None. The rate limit is checked apart.
    `suspended` is whether the page's own statement found a suspension (`suspended_now`); None
    looks it up."""
    if not user.is_verified:
        return VERIFY_FIRST
    if topic is not None and topic.locked and not can_moderate(user, board):
        return CLOSED if topic.closed_at is not None else LOCKED
    suspension = active_suspension(user.id, utcnow()) if suspended is not False else None
    if suspension is not None:
        return suspension_message(suspension)
    return None


def suspended_now(user_id, now) -> sa.Label[bool]:
    """A column for a page's own statement: whether the member's posting is suspended now
    (`user_id` and `now` may be values or bind parameters)."""
    return sa.exists().where(
        ForumSuspension.user_id == user_id, ForumSuspension.until > now, ForumSuspension.lifted_at.is_(None)
    ).label("suspended")


def active_suspension(user_id: int, now: datetime) -> ForumSuspension | None:
    """The member's suspension in force now (the one that ends last), in one indexed statement."""
    return db.session.scalar(
        sa.select(ForumSuspension)
        .where(ForumSuspension.user_id == user_id, ForumSuspension.until > now,
               ForumSuspension.lifted_at.is_(None))
        .order_by(ForumSuspension.until.desc())
        .limit(1)
    )


def suspension_message(suspension: ForumSuspension) -> str:
    until = suspension.until
    return f"Your posting is suspended until {until:%B} {until.day}, {until.year}: {suspension.reason}"


def can_post(user, board: Board, topic: Topic | None = None, enrolled: bool | None = None) -> bool:
    if topic is not None and not can_view_topic(user, board, topic, enrolled):
        return False
    if topic is None and not can_view_board(user, board, enrolled):
        return False
    return posting_problem(user, board, topic) is None


def can_accept_answer(user, board: Board, topic: Topic) -> bool:
    """The asker, the instructor on her course boards, or a moderator marks the accepted answer."""
    if not _signed_in(user):
        return False
    return topic.author_id == user.id or can_moderate(user, board)


def works_the_queues(user) -> bool:
    """The instructor and the moderators: the unanswered questions and the reported posts are their
    to-do lists (the instructor's reports are those on her course boards, the ones she moderates)."""
    return is_instructor(user) or is_moderator(user)


def can_see_history(user, board: Board) -> bool:
    """Edit diffs are for moderators and the instructor on her boards; members see "edited"."""
    return can_moderate(user, board)


def delete_grace() -> timedelta:
    return timedelta(minutes=current_app.config["FORUM_DELETE_GRACE_MINUTES"])


def can_delete_post(user, post: Post, now: datetime) -> bool:
    """Her own post, within the grace period (the page hides the button after it)."""
    return _signed_in(user) and post.author_id == user.id and within_delete_grace(post, now)


def within_delete_grace(post: Post, now: datetime) -> bool:
    """Whether its author may still delete the post (the topic page asks without knowing who reads)."""
    return post.deleted_at is None and now - post.created_at <= delete_grace()


def can_report(user, post: Post) -> bool:
    """Any member may report someone else's visible post."""
    return _signed_in(user) and post.author_id != user.id and post.deleted_at is None


def can_suspend(user) -> bool:
    return is_moderator(user)


def may_be_suspended(member) -> bool:
    """Members only: the instructor must always be able to answer in her community, and a moderator
    (or an admin) cannot be silenced by another, or by mistake by themselves."""
    return member.role == Role.MEMBER


def visible_boards_filter(user) -> sa.ColumnElement[bool]:
    """The WHERE clause for "boards this user may see", for a query that outer-joins the user's
    enrolment (`Enrolment.id` is NULL where they hold none)."""
    if is_moderator(user) or is_instructor(user):
        return sa.true()
    return sa.or_(Board.kind == BoardKind.LOUNGE, Enrolment.id.is_not(None))


def readers_filter(board: Board) -> sa.ColumnElement[bool]:
    """can_view_board as SQL over `users`: who may be told about this board's posts."""
    if board.kind == BoardKind.LOUNGE:
        return sa.true()
    enrolled = sa.exists().where(
        Enrolment.user_id == User.id, Enrolment.course_id == board.course_id, Enrolment.revoked_at.is_(None)
    )
    return sa.or_(User.role.in_((Role.MODERATOR, *INSTRUCTOR_ROLES)), enrolled)


def enrolment_join(board, user_id: int) -> sa.ColumnElement[bool]:
    """The user's live enrolment in the board's course, for an outer join beside the board: a
    revoked enrolment (a refund) no longer opens the course's board."""
    return sa.and_(
        Enrolment.course_id == board.course_id, Enrolment.user_id == user_id, Enrolment.revoked_at.is_(None)
    )


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _enrolled(user, board: Board) -> bool:
    statement = sa.select(Enrolment.id).where(
        Enrolment.user_id == user.id, Enrolment.course_id == board.course_id, Enrolment.revoked_at.is_(None)
    )
    return db.session.scalar(statement) is not None
