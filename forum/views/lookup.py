"""Finding a board, topic or post together with the viewer's right to see it (404 for whoever may
not), and the URLs the forum's views redirect to."""

from flask import abort, url_for
from flask_login import current_user

from courseware.accounts.signed_in import preload_reader, signed_in_token
from forum import pages, permissions
from forum.models import Topic


class SignInFirst(Exception):
    """An anonymous visitor asked for the lounge: the log-in page, then back here."""


def board_or_404(slug: str) -> pages.Located:
    located = pages.find_board(slug, viewer_id())
    if located is None:
        abort(404)
    _check_board(located)
    return located


def topic_or_404(topic_id: int) -> pages.Located:
    located = pages.find_topic(topic_id, signed_in_token())
    if located is None:
        abort(404)
    if located.reader is not None:
        preload_reader(located.reader)
    reader = current_viewer()  # Flask-Login's checks, with the member the statement found
    reader_id = reader.id if reader.is_authenticated else None
    if reader_id != (located.reader.id if located.reader is not None else None):
        # Flask-Login decided otherwise (a remember-me cookie, a session it refused): ask again.
        located = pages.find_topic(topic_id, reader.session_token if reader_id is not None else None)
        if located is None:
            abort(404)
    _check_board(located, reader)
    if not permissions.can_view_topic(reader, located.board, located.topic, located.enrolled):
        abort(404)
    return located


def post_or_404(post_id: int) -> pages.Located:
    located = pages.find_post(post_id, viewer_id())
    if located is None:
        abort(404)
    _check_board(located)
    board = located.board
    if not permissions.can_view_topic(current_user, board, located.topic, located.enrolled):
        abort(404)
    if located.post.hidden_at is not None and not permissions.can_moderate(current_user, board):
        abort(404)
    return located


def _check_board(located: pages.Located, reader=None) -> None:
    reader = reader or current_viewer()
    if permissions.can_view_board(reader, located.board, located.enrolled):
        return
    if not reader.is_authenticated and located.board.is_lounge:
        raise SignInFirst
    abort(404)


def current_viewer():
    """The signed-in member or the anonymous visitor itself, for code that asks about them many
    times (each question through Flask-Login's `current_user` proxy costs a lookup)."""
    return current_user._get_current_object()


def viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def answers_questions(board) -> bool:
    """The instructor's (or an admin's) post on a course board answers its questions."""
    return permissions.is_instructor(current_user) and not board.is_lounge


def topic_url(topic: Topic, **kwargs) -> str:
    return url_for("forum.topic", topic_id=topic.id, slug=topic.slug, **kwargs)


def post_url(topic: Topic, number: int) -> str:
    page = pages.page_of_post(number)
    return topic_url(topic, page=page if page > 1 else None, _anchor=f"post-{number}")
