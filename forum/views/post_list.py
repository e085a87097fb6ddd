"""The topic page's list of posts, rendered through forum.post_cache: once per topic version,
page, kind of reader and minute, then filled in for each reader."""

from datetime import datetime

from flask import render_template
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum import pages, permissions, post_cache
from forum.models import Board, Topic
from forum.post_cache import Markers, ViewerKind


def post_list(
    board: Board, topic: Topic, page: int, now: datetime, may_post: bool
) -> post_cache.RenderedPosts:
    viewer = viewer_kind(board, topic, may_post)
    minute = now.replace(second=0, microsecond=0)
    key = (topic.id, topic.version, page, viewer, minute)
    return post_cache.rendered_posts(key, lambda markers: _render(topic, page, viewer, markers, now))


def viewer_kind(board: Board, topic: Topic, may_post: bool) -> ViewerKind:
    moderator = permissions.can_moderate(current_user, board)
    return ViewerKind(
        signed_in=current_user.is_authenticated,
        may_post=may_post,
        moderator=moderator,
        may_accept=permissions.can_accept_answer(current_user, board, topic),
        may_see_history=permissions.can_see_history(current_user, board),
        may_suspend=permissions.can_suspend(current_user),
    )


def for_this_reader(rendered: post_cache.RenderedPosts) -> Markup:
    reader_id = current_user.id if current_user.is_authenticated else None
    return rendered.html_for(reader_id, generate_csrf() if reader_id is not None else "")


def _render(
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
