"""The forum's index, the unanswered queue, board pages and starting a topic (with "Ask about this
lesson")."""

import flask
from flask import abort, flash, redirect, render_template
from flask_login import current_user, login_required

from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number
from forum import notifying, pages, permissions, reading, services
from forum.forms import (
    TopicForm,
)
from forum.views import bp
from forum.views.lookup import (
    answers_questions,
    board_or_404,
    post_url,
    topic_url,
    viewer_id,
)
from forum.views.watching import watch_form


@bp.get("/")
@login_required
def index():
    queues = None
    if permissions.works_the_queues(current_user):
        queues = pages.queue_counts(course_boards_only=not permissions.is_moderator(current_user))
    return render_template("forum/index.html", boards=pages.visible_boards(current_user), queues=queues)


@bp.get("/unanswered")
@login_required
def unanswered():
    """The instructor's queue: questions on course boards nobody has answered yet, oldest first."""
    if not permissions.works_the_queues(current_user):
        abort(403, "The unanswered queue is for the instructor and the moderators.")
    return render_template("forum/unanswered.html", listing=pages.unanswered_topics(page_number()))


@bp.get("/<slug>/")
def board(slug: str):
    located = board_or_404(slug)
    board = located.board
    lesson = pages.find_lesson(board, flask.request.args.get("lesson"), utcnow())
    listing = pages.board_topics(
        board,
        page_number(),
        permissions.can_moderate(current_user, board),
        lesson_id=lesson.id if lesson else None,
    )
    now = utcnow()
    read = pages.read_positions(viewer_id(), listing.items)
    markers = {topic.id: reading.marker(topic, read.get(topic.id), now) for topic in listing.items}
    return render_template(
        "forum/board.html",
        board=board,
        listing=listing,
        lesson=lesson,
        markers=markers,
        links={topic.id: _first_unread_url(topic, read.get(topic.id)) for topic in listing.items},
        problem=permissions.posting_problem(current_user, board),
        watch_form=watch_form(located.board_level),
    )


def _first_unread_url(topic, last_read: int | None) -> str:
    """Where the reader left off: the first post they have not read, on its page; the top for a
    topic they never opened or have read to the end."""
    if last_read is None or last_read >= topic.highest_number:
        return topic_url(topic)
    return post_url(topic, last_read + 1)


@bp.route("/<slug>/new", methods=["GET", "POST"])
@login_required
def new_topic(slug: str):
    located = board_or_404(slug)
    board = located.board
    problem = permissions.posting_problem(current_user, board)
    about = _lesson_asked_about(board)
    form = TopicForm()
    if problem is not None or not form.is_submitted():
        status = 403 if form.is_submitted() else 200
        return _render_new_topic(board, form, about, problem=problem, status=status)
    if not form.validate() or form.preview.data:
        return _render_new_topic(board, form, about, preview=form.preview.data and not form.errors)
    now = utcnow()
    try:
        services.check_rate_limit(current_user, now, new_topic=True)
    except services.RateLimited as error:
        form.body.errors.append(str(error))
        return _render_new_topic(board, form, about, status=429)
    topic = services.create_topic(
        board,
        current_user.id,
        form.title.data,
        form.body.data,
        now,
        lesson_id=about.lesson.id if about else None,
        video_seconds=about.seconds if about else None,
        by_instructor=answers_questions(board),
    )
    url = topic_url(topic)
    notifying.after_new_topic(board, topic, form.body.data, current_user, post_url(topic, 1), now)
    db.session.commit()
    flash("Your topic is posted.", "success")
    return redirect(url)


class AskedAbout:
    """The lesson (and, for a video, the second) a new question is about, from ?lesson= and ?t=."""

    def __init__(self, lesson, seconds: int | None):
        self.lesson = lesson
        self.seconds = seconds

    @property
    def query(self) -> dict:
        return {"lesson": self.lesson.slug, "t": self.seconds}


def _lesson_asked_about(board) -> AskedAbout | None:
    """A live lesson of the board's course; `t` only for its video and within its length. Anything
    else in the query string is ignored: the question is then posted without it."""
    lesson = pages.find_lesson(board, flask.request.args.get("lesson"), utcnow())
    if lesson is None:
        return None
    seconds = flask.request.args.get("t", type=int)
    if not lesson.has_video or seconds is None or not 0 <= seconds <= (lesson.duration_seconds or 0):
        seconds = None
    return AskedAbout(lesson, seconds)


def _render_new_topic(
    board,
    form: TopicForm,
    about: AskedAbout | None,
    problem: str | None = None,
    preview: bool = False,
    status: int = 200,
):
    preview_html = services.cook(form.body.data) if preview else None
    html = render_template(
        "forum/new_topic.html",
        board=board,
        form=form,
        problem=problem,
        preview_html=preview_html,
        about=about,
    )
    return html, status
