"""The forum follows the courses: what it does when the content and learning packages announce
something."""

import sqlalchemy as sa
from flask import current_app
from flask_login import current_user

from courseware.accounts import signals as account_signals
from courseware.content import signals as content_signals
from courseware.learning import signals as learning_signals
from courseware.notifications import inbox
from forum import pages, permissions, services
from forum.models import Board, Topic


@content_signals.courses_synced.connect
def refresh_course_boards(_sender=None, **_extra) -> None:
    """A sync may have added a community course or renamed one: its board follows at once, in the
    sync's own transaction, so no community link ever points at a board that does not exist yet."""
    report = services.ensure_course_boards()
    for slug in report.skipped:
        current_app.logger.warning("The course %s has no board: its slug is a forum path. Rename it.", slug)


@account_signals.public_name_changed.connect
def show_new_name_on_posts(_sender=None, user_id: int | None = None, **_extra) -> None:
    """The member's posts show their name, @handle and badge: their topics render them again."""
    if user_id is not None:
        services.authors_renamed(user_id)


@learning_signals.enrolment_revoked.connect
def forget_course_board_notifications(_sender=None, user_id: int | None = None, course_id: int | None = None,
                                      **_extra) -> None:
    """A learner who left the course may no longer read its board, nor the titles and excerpts of
    its posts under their bell."""
    if user_id is not None and course_id is not None:
        board_topics = (
            sa.select(Topic.id).join(Board, Topic.board_id == Board.id).where(Board.course_id == course_id)
        )
        inbox.withdraw(board_topics, user_ids=[user_id])


@learning_signals.player_page_loaded.connect
def add_lesson_questions(_sender=None, page=None, **_extra) -> None:
    """The lesson's questions under the player, for whoever may see the course's board (its
    learners, the instructor, moderators): one statement. The "Ask about this lesson" link shows
    with them."""
    if page is None or not page.course.community or not _may_see_course_board(page):
        return
    page.extras["lesson_questions"] = pages.lesson_questions(page.course.id, page.course.slug, page.lesson)


def _may_see_course_board(page) -> bool:
    # The player already knows the enrolment, so no board lookup is needed.
    return page.enrolment is not None or permissions.is_instructor(current_user) or permissions.is_moderator(
        current_user
    )
