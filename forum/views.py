"""The forum's pages: boards, topics, replies, edits and moderation.

Each view finds its board, topic or post together with the viewer's right to see it (pages.py and
permissions.py: 404 for whoever may not see it), parses one form, calls one service, commits once,
then redirects or renders. GET pages never write.
"""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number, unauthorized
from forum import moderation, pages, permissions, receivers, services
from forum.forms import EditPostForm, PostForm, PostModerationForm, TopicForm, TopicModerationForm
from forum.models import Topic

bp = Blueprint("forum", __name__, url_prefix="/forum")
# Registering the blueprint connects the forum's signal receivers (boards follow course syncs).
_RECEIVERS = receivers


class SignInFirst(Exception):
    """An anonymous visitor asked for the lounge: the log-in page, then back here."""


@bp.errorhandler(SignInFirst)
def _sign_in_first(_error):
    return unauthorized()


@bp.get("/")
@login_required
def index():
    return render_template("forum/index.html", boards=pages.visible_boards(current_user))


@bp.get("/<slug>/")
def board(slug: str):
    located = _board_or_404(slug)
    board = located.board
    listing = pages.board_topics(board, page_number(), permissions.can_moderate(current_user, board))
    return render_template("forum/board.html", board=board, listing=listing,
                           problem=permissions.posting_problem(current_user, board))


@bp.route("/<slug>/new", methods=["GET", "POST"])
@login_required
def new_topic(slug: str):
    located = _board_or_404(slug)
    board = located.board
    problem = permissions.posting_problem(current_user, board)
    form = TopicForm()
    if problem is not None or not form.is_submitted():
        return _render_new_topic(board, form, problem=problem, status=403 if form.is_submitted() else 200)
    if not form.validate() or form.preview.data:
        return _render_new_topic(board, form, preview=form.preview.data and not form.errors)
    now = utcnow()
    try:
        services.check_rate_limit(current_user, now, new_topic=True)
    except services.RateLimited as error:
        form.body.errors.append(str(error))
        return _render_new_topic(board, form, status=429)
    topic = services.create_topic(board, current_user.id, form.title.data, form.body.data, now)
    url = _topic_url(topic)
    db.session.commit()
    flash("Your topic is posted.", "success")
    return redirect(url)


@bp.get("/t/<int:topic_id>")
@bp.get("/t/<int:topic_id>-<slug>")
def topic(topic_id: int, slug: str | None = None):
    located = _topic_or_404(topic_id)
    page = page_number()
    if slug != located.topic.slug:
        return redirect(_topic_url(located.topic, page=page if page > 1 else None), 301)
    return _render_topic(located, PostForm(formdata=None), page)


@bp.post("/t/<int:topic_id>/reply")
@login_required
def reply(topic_id: int):
    located = _topic_or_404(topic_id)
    topic = located.topic
    problem = permissions.posting_problem(current_user, located.board, topic)
    if problem is not None:
        flash(problem, "error")
        return redirect(_topic_url(topic, _anchor="reply"))
    form = PostForm()
    last_page = pages.page_of_post(topic.highest_number)
    if not form.validate() or form.preview.data:
        return _render_topic(located, form, last_page, preview=form.preview.data and not form.errors)
    now = utcnow()
    try:
        services.check_rate_limit(current_user, now, new_topic=False)
    except services.RateLimited as error:
        form.body.errors.append(str(error))
        return _render_topic(located, form, last_page, status=429)
    post = services.reply(topic, current_user.id, form.body.data, now)
    url = _post_url(topic, post.number)
    db.session.commit()
    return redirect(url)


@bp.post("/t/<int:topic_id>/moderate")
@login_required
def moderate_topic(topic_id: int):
    located = _topic_or_404(topic_id)
    if not permissions.can_moderate(current_user, located.board):
        abort(403)
    form = TopicModerationForm()
    if not form.validate():
        abort(400, "That is not a moderation action. Reload the topic and use its buttons.")
    message = moderation.moderate_topic(located.topic, form.action.data, utcnow())
    db.session.commit()
    flash(message, "success")
    return redirect(_topic_url(located.topic))


@bp.get("/p/<int:post_id>")
def post_link(post_id: int):
    located = _post_or_404(post_id)
    return redirect(_post_url(located.topic, located.post.number))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    located = _post_or_404(post_id)
    topic, post = located.topic, located.post
    if post.author_id != current_user.id:
        abort(403)
    if not permissions.can_edit_post(current_user, located.board, topic, post):
        flash(permissions.LOCKED, "error")
        return redirect(_post_url(topic, post.number))
    form = EditPostForm(data={"body": post.body_md})
    if not form.is_submitted() or not form.validate() or form.preview.data:
        preview = form.is_submitted() and form.preview.data and not form.errors
        return _render_edit(located, form, preview)
    services.edit_post(post, form.body.data, utcnow())
    url = _post_url(topic, post.number)
    db.session.commit()
    flash("Your post is updated.", "success")
    return redirect(url)


@bp.post("/p/<int:post_id>/moderate")
@login_required
def moderate_post(post_id: int):
    located = _post_or_404(post_id)
    if not permissions.can_moderate(current_user, located.board):
        abort(403)
    form = PostModerationForm()
    if not form.validate():
        abort(400, "That is not a moderation action. Reload the topic and use its buttons.")
    try:
        message = moderation.moderate_post(located.topic, located.post, form.action.data, utcnow())
        db.session.commit()
        flash(message, "success")
    except moderation.ModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(_post_url(located.topic, located.post.number))


# Finding things through the viewer's rights


def _board_or_404(slug: str) -> pages.Located:
    located = pages.find_board(slug, _viewer_id())
    if located is None:
        abort(404)
    _check_board(located)
    return located


def _topic_or_404(topic_id: int) -> pages.Located:
    located = pages.find_topic(topic_id, _viewer_id())
    if located is None:
        abort(404)
    _check_board(located)
    if not permissions.can_view_topic(current_user, located.board, located.topic, located.enrolled):
        abort(404)
    return located


def _post_or_404(post_id: int) -> pages.Located:
    located = pages.find_post(post_id, _viewer_id())
    if located is None:
        abort(404)
    _check_board(located)
    board = located.board
    if not permissions.can_view_topic(current_user, board, located.topic, located.enrolled):
        abort(404)
    if located.post.hidden_at is not None and not permissions.can_moderate(current_user, board):
        abort(404)
    return located


def _check_board(located: pages.Located) -> None:
    if permissions.can_view_board(current_user, located.board, located.enrolled):
        return
    if not current_user.is_authenticated and located.board.is_lounge:
        raise SignInFirst
    abort(404)


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


# Rendering


def _render_topic(
    located: pages.Located, form: PostForm, page: int, preview: bool = False, status: int = 200
):
    board, topic = located.board, located.topic
    moderator = permissions.can_moderate(current_user, board)
    listing = pages.topic_posts(topic, page, include_hidden=moderator)
    problem = permissions.posting_problem(current_user, board, topic)
    preview_html = services.cook(form.body.data) if preview else None
    html = render_template("forum/topic.html", board=board, topic=topic, listing=listing, form=form,
                           problem=problem, moderator=moderator, preview_html=preview_html)
    return html, status


def _render_new_topic(
    board, form: TopicForm, problem: str | None = None, preview: bool = False, status: int = 200
):
    preview_html = services.cook(form.body.data) if preview else None
    html = render_template("forum/new_topic.html", board=board, form=form, problem=problem,
                           preview_html=preview_html)
    return html, status


def _render_edit(located: pages.Located, form: EditPostForm, preview: bool):
    preview_html = services.cook(form.body.data) if preview else None
    return render_template("forum/edit_post.html", board=located.board, topic=located.topic,
                           post=located.post, form=form, preview_html=preview_html)


def _topic_url(topic: Topic, **kwargs) -> str:
    return url_for("forum.topic", topic_id=topic.id, slug=topic.slug, **kwargs)


def _post_url(topic: Topic, number: int) -> str:
    page = pages.page_of_post(number)
    return _topic_url(topic, page=page if page > 1 else None, _anchor=f"post-{number}")


@bp.context_processor
def _helpers() -> dict:
    return {"poster_badge": _poster_badge, "ago": _ago}


def _poster_badge(user) -> str | None:
    if permissions.is_instructor(user):
        return "Instructor"
    if permissions.is_moderator(user):
        return "Moderator"
    return None


def _ago(value: datetime | None) -> str:
    """A time as people say it: "just now", "5 minutes ago", "3 days ago", then the date."""
    if value is None:
        return ""
    seconds = int((utcnow() - value).total_seconds())
    for limit, size, unit in ((3600, 60, "minute"), (86_400, 3600, "hour"), (7 * 86_400, 86_400, "day")):
        if seconds < limit:
            count = seconds // size
            if count < 1:
                return "just now"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return f"{value:%B} {value.day}, {value.year}"
