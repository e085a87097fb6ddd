"""A topic's page, rendered through forum.post_cache and filled in for each reader.

Two entries serve a page:
- its post list, once per topic version, page, kind of reader and minute, for every rendering of
  the page (a reply's preview and errors included);
- the whole page around it, for the plain GET most readers make, keyed also on everything else
  the page shows a reader: the topic's board and lesson, why they may not post, their watch level
  and their unread count under the bell. The header, the reply and watch forms and the
  moderators' controls then cost nothing per request.

A reader the whole page cannot be shared with gets it rendered around the cached post list: a
moderator (the board list to move a topic to), an unverified member (the banner with their
address), a page with a flashed message, a reply form opened with a quote or sent back with an
error or a preview.

`cached_page` serves the whole page to a signed-in member from one statement of plain columns
(pages.topic_summary), without Flask-Login loading the member: about half the page's time.
Anything else (no entry yet, a reading position to move, a redirect or a 404) goes through
`render`, which answers it as before.
"""

from datetime import datetime

from flask import render_template, request, session
from sqlalchemy.orm.attributes import set_committed_value

from courseware.accounts.signed_in import signed_in_token
from courseware.cookies import csrf_token
from courseware.db import utcnow
from courseware.extensions import db
from forum import pages, permissions, post_cache, reading, services
from forum.forms import PostForm
from forum.models import Board, Topic
from forum.post_cache import Markers, ViewerKind
from forum.views.lookup import current_viewer
from forum.views.watching import watch_form

BELL_MAX = 100  # the bell shows "99+" from here on: one key for every count above


def cached_page(topic_id: int, slug: str | None, page: int) -> bytes | None:
    """The page from the cache for the signed-in member this session names, or None to render it.

    The member is found by the session's token inside the topic's statement, as the lesson
    player's progress reports are (a rotated token finds nobody). Flask-Login's check that the
    session comes from the same browser only ever marks a session "not fresh"; every request that
    loads the member through Flask-Login still makes it."""
    token = signed_in_token()
    if token is None or "quote" in request.args:
        return None
    located = pages.topic_summary(topic_id, token)
    if located is None or located.reader is None or located.topic.slug != slug or located.suspended:
        return None  # render() redirects, answers 404, or words the suspension
    reader, board, topic = located.reader, located.board, located.topic
    if not permissions.can_view_topic(reader, board, topic, located.enrolled):
        return None
    problem = permissions.posting_problem(reader, board, topic, suspended=False)
    viewer = _viewer_kind(reader, board, topic, may_post=problem is None)
    if not _shared_page(reader, viewer):
        return None
    entry = post_cache.cached(_page_key(located, reader, page, viewer, problem, utcnow()))
    if entry is None or reading.moves_forward(located.last_read_number, entry.highest_shown):
        return None
    return entry.utf8_for(reader.id, csrf_token())


def render(
    located: pages.Located,
    page: int,
    form: PostForm | None = None,
    preview: bool = False,
    status: int = 200,
    record_reading: bool = False,
):
    """The page as a (html, status) view result. `form`: the reply form as sent or opened with a
    quote; None is an empty one. `record_reading`: a reader's GET, which moves their reading
    position forward and may be served whole from the cache."""
    reader = current_viewer()
    board, topic = located.board, located.topic
    now = utcnow()
    problem = permissions.posting_problem(reader, board, topic, suspended=located.suspended)
    viewer = _viewer_kind(reader, board, topic, may_post=problem is None)
    minute = now.replace(second=0, microsecond=0)
    posts = post_cache.rendered(
        (topic.id, topic.version, page, viewer, minute),
        lambda markers: _render_posts(topic, page, viewer, markers, now),
    )
    if record_reading:
        _record_reading(reader, located, posts.highest_shown)
    reader_id = reader.id if viewer.signed_in else None
    token = csrf_token() if viewer.signed_in else ""
    if record_reading and form is None and _shared_page(reader, viewer):

        def render_whole(markers: Markers) -> tuple[str, int | None]:
            empty_form = PostForm(formdata=None)
            html = _render_page(located, reader, empty_form, page, problem, viewer, posts.marked(markers),
                                None, csrf_token=lambda: markers.csrf_token)
            return html, posts.highest_shown

        key = _page_key(located, reader, page, viewer, problem, now)
        return post_cache.rendered(key, render_whole).utf8_for(reader_id, token), status
    form = form or PostForm(formdata=None)
    preview_html = services.cook(form.body.data) if preview else None
    return _render_page(located, reader, form, page, problem, viewer, posts.html_for(reader_id, token),
                        preview_html), status


def _page_key(located: pages.Located, reader, page: int, viewer: ViewerKind, problem: str | None,
              now: datetime) -> tuple:
    """Everything the whole page shows a reader of its kind: `render` stores under it and
    `cached_page` looks it up, from a Located of ORM objects or of summaries alike."""
    board, topic = located.board, located.topic
    bell = min(reader.unread_notifications, BELL_MAX) if viewer.signed_in else 0
    level = located.topic_level or located.board_level
    minute = now.replace(second=0, microsecond=0)
    return ("page", topic.id, topic.version, page, viewer, minute, board.id, board.slug, board.title,
            located.lesson, problem, level, bell)


def _shared_page(reader, viewer: ViewerKind) -> bool:
    """Whether the whole page shows this reader nothing but what every reader of its key sees."""
    if viewer.moderator or permissions.is_moderator(reader):
        return False
    if viewer.signed_in and not reader.is_verified:
        return False
    return "_flashes" not in session  # a flashed message shows once, to this reader


def _viewer_kind(reader, board: Board, topic: Topic, may_post: bool) -> ViewerKind:
    return ViewerKind(
        signed_in=reader.is_authenticated,
        may_post=may_post,
        moderator=permissions.can_moderate(reader, board),
        may_accept=permissions.can_accept_answer(reader, board, topic),
        may_see_history=permissions.can_see_history(reader, board),
        may_suspend=permissions.can_suspend(reader),
    )


def _render_posts(
    topic: Topic, page: int, viewer: ViewerKind, markers: Markers, now: datetime
) -> tuple[str, int | None]:
    listing = pages.topic_posts(topic, page, include_hidden=viewer.moderator)
    html = render_template(
        "forum/_posts.html",
        topic=topic,
        listing=listing,
        accepted=pages.accepted_answer(topic, include_hidden=viewer.moderator),
        viewer=viewer,
        markers=markers,
        # Every form in the list carries the placeholder; each reader's own token replaces it.
        csrf_token=lambda: markers.csrf_token,
        now=now,
    )
    return html, listing.items[-1].number if listing.items else None


def _render_page(located, reader, form, page, problem, viewer, posts_html, preview_html, **context) -> str:
    board, topic = located.board, located.topic
    may_move = permissions.is_moderator(reader)
    return render_template(
        "forum/topic.html",
        board=board,
        topic=topic,
        posts_html=posts_html,
        page_links=pages.topic_pager(topic, page),
        form=form,
        problem=problem,
        moderator=viewer.moderator,
        preview_html=preview_html,
        lesson=located.lesson,
        may_move=may_move,
        boards=pages.visible_boards(reader) if may_move else [],
        watch_form=watch_form(located.topic_level or located.board_level),
        **context,
    )


def _record_reading(reader, located: pages.Located, highest_shown: int | None) -> None:
    """Commits only when the page showed the signed-in reader a post beyond where they had read."""
    if not reader.is_authenticated:
        return
    if reading.moves_forward(located.last_read_number, highest_shown):
        unread = reader.unread_notifications
        read = reading.record(reader.id, located.topic.id, highest_shown, unread, utcnow())
        db.session.commit()
        # This page's bell already counts without them (the UPDATE left the loaded user as it was).
        set_committed_value(reader, "unread_notifications", max(0, unread - read))
