"""The forum's pages: boards, topics, replies, edits and moderation.

Each view finds its board, topic or post together with the viewer's right to see it (pages.py and
permissions.py: 404 for whoever may not see it), parses one form, calls one service, commits once,
then redirects or renders. GET pages never write.
"""

from datetime import datetime

import flask
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number, unauthorized
from forum import moderation, pages, permissions, receivers, services
from forum.forms import (
    AcceptForm,
    EditPostForm,
    MoveForm,
    PostForm,
    PostModerationForm,
    ReportActionForm,
    ReportForm,
    SuspendForm,
    TopicForm,
    TopicModerationForm,
)
from forum.models import REPORT_REASONS, Topic

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


@bp.get("/unanswered")
@login_required
def unanswered():
    """The instructor's queue: questions on course boards nobody has answered yet, oldest first."""
    if not permissions.can_see_unanswered(current_user):
        abort(403, "The unanswered queue is for the instructor and the moderators.")
    return render_template("forum/unanswered.html", listing=pages.unanswered_topics(page_number()))


@bp.get("/<slug>/")
def board(slug: str):
    located = _board_or_404(slug)
    board = located.board
    lesson = pages.find_lesson(board, flask.request.args.get("lesson"), utcnow())
    listing = pages.board_topics(board, page_number(), permissions.can_moderate(current_user, board),
                                 lesson_id=lesson.id if lesson else None)
    return render_template("forum/board.html", board=board, listing=listing, lesson=lesson,
                           problem=permissions.posting_problem(current_user, board))


@bp.route("/<slug>/new", methods=["GET", "POST"])
@login_required
def new_topic(slug: str):
    located = _board_or_404(slug)
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
        board, current_user.id, form.title.data, form.body.data, now,
        lesson_id=about.lesson.id if about else None, video_seconds=about.seconds if about else None,
        by_instructor=_answers_questions(board),
    )
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
    return _render_topic(located, PostForm(formdata=None, data={"body": _quote(located.topic)}), page)


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
    post = services.reply(topic, current_user.id, form.body.data, now,
                          by_instructor=_answers_questions(located.board))
    url = _post_url(topic, post.number)
    db.session.commit()
    return redirect(url)


@bp.post("/t/<int:topic_id>/accept")
@login_required
def accept_answer(topic_id: int):
    """Marks a reply as the accepted answer (or unmarks it with an empty `post`)."""
    located = _topic_or_404(topic_id)
    topic = located.topic
    if not permissions.can_accept_answer(current_user, located.board, topic):
        abort(403, "Only the person who asked, the instructor or a moderator marks the accepted answer.")
    form = AcceptForm()
    if not form.validate():
        abort(400, "That is not a post of this topic. Reload the topic and use its buttons.")
    post = None
    if form.post.data is not None:
        found = pages.find_post(form.post.data, current_user.id)
        if found is None or found.topic.id != topic.id:
            abort(400, "That is not a post of this topic. Reload the topic and use its buttons.")
        post = found.post
    try:
        message = services.accept_answer(topic, post, utcnow())
    except services.PostingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_topic_url(topic))
    db.session.commit()
    flash(message, "success")
    return redirect(_post_url(topic, post.number) if post is not None else _topic_url(topic))


@bp.post("/t/<int:topic_id>/move")
@login_required
def move_topic(topic_id: int):
    located = _topic_or_404(topic_id)
    if not permissions.is_moderator(current_user):
        abort(403, "Only moderators move topics between boards.")
    form = MoveForm()
    boards = {board.id: board for board in pages.visible_boards(current_user)}
    form.board.choices = [SelectChoice(str(board.id), board.title) for board in boards.values()]
    if not form.validate():
        abort(400, "Choose one of the boards listed under the topic.")
    try:
        message = moderation.move_topic(located.topic, boards[form.board.data])
    except moderation.ModerationError as error:
        flash(str(error), "error")
        return redirect(_topic_url(located.topic))
    db.session.commit()
    flash(message, "success")
    return redirect(_topic_url(located.topic))


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
    if post.author_id != current_user.id or post.deleted_at is not None:
        abort(403)
    if not permissions.can_edit_post(current_user, located.board, topic, post):
        flash(permissions.LOCKED, "error")
        return redirect(_post_url(topic, post.number))
    form = EditPostForm(data={"body": post.body_md})
    if not form.is_submitted() or not form.validate() or form.preview.data:
        preview = form.is_submitted() and form.preview.data and not form.errors
        return _render_edit(located, form, preview)
    services.edit_post(post, form.body.data, utcnow(), editor_id=current_user.id)
    url = _post_url(topic, post.number)
    db.session.commit()
    flash("Your post is updated.", "success")
    return redirect(url)


@bp.get("/p/<int:post_id>/history")
@login_required
def post_history(post_id: int):
    """Each edit as a line diff of the body before it and after it (moderators, the instructor)."""
    located = _post_or_404(post_id)
    if not permissions.can_see_history(current_user, located.board):
        abort(403, "The edit history is for moderators and the instructor.")
    revisions = pages.post_revisions(located.post)
    return render_template("forum/history.html", board=located.board, topic=located.topic,
                           post=located.post, changes=services.revision_diffs(revisions, located.post))


@bp.post("/p/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    located = _post_or_404(post_id)
    topic, post = located.topic, located.post
    now = utcnow()
    if post.author_id != current_user.id:
        abort(403, "Only its author may delete a post; moderators hide posts instead.")
    if not permissions.can_delete_post(current_user, post, now):
        minutes = int(permissions.delete_grace().total_seconds() // 60)
        abort(403, permissions.DELETE_TOO_LATE.format(minutes=minutes))
    try:
        message = services.delete_post(topic, post, now)
    except services.PostingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_post_url(topic, post.number))
    db.session.commit()
    flash(message, "success")
    if post.number == 1:
        return redirect(url_for("forum.board", slug=located.board.slug))
    return redirect(_post_url(topic, post.number))


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int):
    located = _post_or_404(post_id)
    if not permissions.can_report(current_user, located.post):
        abort(403, "You cannot report your own post or a deleted one.")
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_post(located.post, current_user.id, form.reason.data, form.details.data,
                                   utcnow())
        except moderation.ModerationError as error:
            db.session.rollback()
            flash(str(error), "info")
            return redirect(_post_url(located.topic, located.post.number))
        db.session.commit()
        flash("Thanks, a moderator will look at it.", "success")
        return redirect(_post_url(located.topic, located.post.number))
    return render_template("forum/report.html", board=located.board, topic=located.topic,
                           post=located.post, form=form), 400 if form.errors else 200


@bp.get("/reports")
@login_required
def reports():
    """The review queue: open reports, oldest first."""
    if not permissions.can_review_reports(current_user):
        abort(403, "The review queue is for moderators.")
    return render_template("forum/reports.html", listing=pages.open_reports(page_number()),
                           reasons=REPORT_REASONS)


@bp.post("/p/<int:post_id>/reports")
@login_required
def resolve_reports(post_id: int):
    located = _post_or_404(post_id)
    if not permissions.can_review_reports(current_user):
        abort(403, "The review queue is for moderators.")
    form = ReportActionForm()
    if not form.validate():
        abort(400, "That is not a review action. Reload the queue and use its buttons.")
    try:
        message = moderation.resolve_reports(located.topic, located.post, form.action.data, current_user.id,
                                             utcnow())
    except moderation.ModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("forum.reports"))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("forum.reports"))


@bp.route("/u/<int:user_id>/suspend", methods=["GET", "POST"])
@login_required
def suspend_user(user_id: int):
    if not permissions.can_suspend(current_user):
        abort(403, "Only moderators suspend members.")
    member = db.get_or_404(User, user_id)
    now = utcnow()
    form = SuspendForm()
    if form.validate_on_submit():
        suspension = moderation.suspend(member.id, form.days.data, form.reason.data, current_user.id, now)
        until = suspension.until
        db.session.commit()
        flash(f"{member.display_name} cannot post until {until:%B} {until.day}, {until.year}.", "success")
        return redirect(url_for("forum.suspend_user", user_id=member.id))
    suspension = permissions.active_suspension(member.id, now)
    return render_template("forum/suspend.html", member=member, form=form, suspension=suspension), (
        400 if form.errors else 200
    )


@bp.post("/u/<int:user_id>/lift")
@login_required
def lift_suspension(user_id: int):
    if not permissions.can_suspend(current_user):
        abort(403, "Only moderators lift suspensions.")
    member = db.get_or_404(User, user_id)
    lifted = moderation.lift_suspensions(member.id, utcnow())
    db.session.commit()
    message = f"{member.display_name} may post again." if lifted else "There was no suspension to lift."
    flash(message, "success")
    return redirect(url_for("forum.suspend_user", user_id=member.id))


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


def _answers_questions(board) -> bool:
    """The instructor's (or an admin's) post on a course board answers its questions."""
    return permissions.is_instructor(current_user) and not board.is_lounge


# Ask about this lesson


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


def _quote(topic: Topic) -> str | None:
    """?quote=<post number>: the reply form opens with that post as a markdown blockquote."""
    number = flask.request.args.get("quote", type=int)
    if number is None or not 1 <= number <= topic.highest_number:
        return None
    found = pages.quotable_post(topic, number)
    if found is None:
        return None
    name, body = found
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.splitlines())
    return f"> **{name}** wrote (#{number}):\n{quoted}\n\n"


# Rendering


def _render_topic(
    located: pages.Located, form: PostForm, page: int, preview: bool = False, status: int = 200
):
    board, topic = located.board, located.topic
    moderator = permissions.can_moderate(current_user, board)
    listing = pages.topic_posts(topic, page, include_hidden=moderator)
    problem = permissions.posting_problem(current_user, board, topic)
    preview_html = services.cook(form.body.data) if preview else None
    html = render_template(
        "forum/topic.html", board=board, topic=topic, listing=listing, form=form, problem=problem,
        moderator=moderator, preview_html=preview_html, lesson=located.lesson,
        accepted=pages.accepted_answer(topic, include_hidden=moderator),
        may_accept=permissions.can_accept_answer(current_user, board, topic),
        may_see_history=permissions.can_see_history(current_user, board),
        may_move=permissions.is_moderator(current_user),
        boards=pages.visible_boards(current_user) if permissions.is_moderator(current_user) else [],
        now=utcnow(),
    )
    return html, status


def _render_new_topic(
    board, form: TopicForm, about: AskedAbout | None, problem: str | None = None, preview: bool = False,
    status: int = 200,
):
    preview_html = services.cook(form.body.data) if preview else None
    html = render_template("forum/new_topic.html", board=board, form=form, problem=problem,
                           preview_html=preview_html, about=about)
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
    return {"poster_badge": _poster_badge, "ago": _ago, "clock": _clock, "permissions": permissions}


def _clock(seconds: int | None) -> str:
    """205 -> "3:25"; 3725 -> "1:02:05"."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


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


# --- Search (forum/search.py) ---
# Imported here, with the blueprint: importing forum.search registers its index DDL with `posts`,
# so db.create_all() builds the search index too.
from flask import request  # noqa: E402

from forum import search  # noqa: E402


@bp.get("/search")
@login_required
def search_page():
    asked = search.parse_request(request.args)
    results = search.search(current_user, asked) if asked.asked and asked.error is None else None
    return render_template("forum/search.html", asked=asked, results=results,
                           boards=pages.visible_boards(current_user), max_length=search.QUERY_MAX,
                           per_page=search.RESULTS_PER_PAGE)
