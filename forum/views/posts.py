"""One post: its link, editing with history, deletion by its author in the grace period, reports."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from courseware.db import utcnow
from courseware.extensions import db
from forum import moderation, pages, permissions, services
from forum.forms import (
    EditOpeningPostForm,
    EditPostForm,
    ReportForm,
)
from forum.views import bp
from forum.views.lookup import (
    post_or_404,
    post_url,
)


@bp.get("/p/<int:post_id>")
def post_link(post_id: int):
    located = post_or_404(post_id)
    return redirect(post_url(located.topic, located.post.number))


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int):
    located = post_or_404(post_id)
    topic, post = located.topic, located.post
    if post.author_id != current_user.id or post.deleted_at is not None:
        abort(403)
    # Editing is posting: a locked topic (but for moderators) or a suspension stops it too.
    problem = permissions.posting_problem(current_user, located.board, topic)
    if problem is not None:
        flash(problem, "error")
        return redirect(post_url(topic, post.number))
    if post.number == 1:
        form = EditOpeningPostForm(data={"body": post.body_md, "title": topic.title})
    else:
        form = EditPostForm(data={"body": post.body_md})
    if not form.is_submitted() or not form.validate() or form.preview.data:
        preview = form.is_submitted() and form.preview.data and not form.errors
        return _render_edit(located, form, preview)
    services.edit_post(post, form.body.data, utcnow(), editor_id=current_user.id)
    if post.number == 1:
        services.retitle_topic(topic, form.title.data)
    url = post_url(topic, post.number)
    db.session.commit()
    flash("Your post is updated.", "success")
    return redirect(url)


@bp.get("/p/<int:post_id>/history")
@login_required
def post_history(post_id: int):
    """Each edit as a line diff of the body before it and after it (moderators, the instructor)."""
    located = post_or_404(post_id)
    if not permissions.can_see_history(current_user, located.board):
        abort(403, "The edit history is for moderators and the instructor.")
    revisions = pages.post_revisions(located.post)
    return render_template(
        "forum/history.html",
        board=located.board,
        topic=located.topic,
        post=located.post,
        changes=services.revision_diffs(revisions, located.post),
    )


@bp.route("/p/<int:post_id>/delete", methods=["GET", "POST"])
@login_required
def delete_post(post_id: int):
    """GET asks first (the topic page links here for an opening post, which takes its topic with
    it); POST deletes."""
    located = post_or_404(post_id)
    topic, post = located.topic, located.post
    now = utcnow()
    if post.author_id != current_user.id:
        abort(403, "Only its author may delete a post; moderators hide posts instead.")
    if not permissions.can_delete_post(current_user, post, now):
        minutes = int(permissions.delete_grace().total_seconds() // 60)
        abort(403, permissions.DELETE_TOO_LATE.format(minutes=minutes))
    if request.method == "GET":
        problem = services.deletion_problem(topic, post)
        if problem is not None:  # the page would promise a deletion the POST refuses
            flash(problem, "error")
            return redirect(post_url(topic, post.number))
        return render_template("forum/delete_post.html", board=located.board, topic=topic, post=post)
    try:
        message = services.delete_post(topic, post, now)
    except services.PostingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(post_url(topic, post.number))
    db.session.commit()
    flash(message, "success")
    if post.number == 1:
        return redirect(url_for("forum.board", slug=located.board.slug))
    return redirect(post_url(topic, post.number))


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report_post(post_id: int):
    located = post_or_404(post_id)
    if not permissions.can_report(current_user, located.post):
        abort(403, "You cannot report your own post or a deleted one.")
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_post(
                located.post, current_user.id, form.reason.data, form.details.data, utcnow()
            )
        except moderation.ModerationError as error:
            db.session.rollback()
            flash(str(error), "info")
            return redirect(post_url(located.topic, located.post.number))
        db.session.commit()
        flash("Thanks, a moderator will look at it.", "success")
        return redirect(post_url(located.topic, located.post.number))
    return render_template(
        "forum/report.html", board=located.board, topic=located.topic, post=located.post, form=form
    ), 400 if form.errors else 200


def _render_edit(located: pages.Located, form: EditPostForm, preview: bool):
    preview_html = services.cook(form.body.data) if preview else None
    return render_template(
        "forum/edit_post.html",
        board=located.board,
        topic=located.topic,
        post=located.post,
        form=form,
        preview_html=preview_html,
    )
