"""Moderation: pin, lock, close, hide, move, the review queue of reports, and suspensions."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import SelectChoice

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number
from forum import moderation, pages, permissions
from forum.forms import (
    MoveForm,
    PostModerationForm,
    ReportActionForm,
    SuspendForm,
    TopicModerationForm,
)
from forum.models import REPORT_REASONS
from forum.views import bp
from forum.views.lookup import (
    post_or_404,
    post_url,
    topic_or_404,
    topic_url,
)


@bp.post("/t/<int:topic_id>/move")
@login_required
def move_topic(topic_id: int):
    located = topic_or_404(topic_id)
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
        return redirect(topic_url(located.topic))
    db.session.commit()
    flash(message, "success")
    return redirect(topic_url(located.topic))


@bp.post("/t/<int:topic_id>/moderate")
@login_required
def moderate_topic(topic_id: int):
    located = topic_or_404(topic_id)
    if not permissions.can_moderate(current_user, located.board):
        abort(403)
    form = TopicModerationForm()
    if not form.validate():
        abort(400, "That is not a moderation action. Reload the topic and use its buttons.")
    message = moderation.moderate_topic(located.topic, form.action.data, utcnow())
    db.session.commit()
    flash(message, "success")
    return redirect(topic_url(located.topic))


@bp.get("/reports")
@login_required
def reports():
    """The review queue: open reports, oldest first; the instructor's holds her course boards' reports."""
    if not permissions.works_the_queues(current_user):
        abort(403, "The review queue is for moderators and the instructor.")
    everywhere = permissions.is_moderator(current_user)
    listing = pages.open_reports(page_number(), course_boards_only=not everywhere)
    return render_template(
        "forum/reports.html", listing=listing, reasons=REPORT_REASONS, everywhere=everywhere
    )


@bp.post("/p/<int:post_id>/reports")
@login_required
def resolve_reports(post_id: int):
    located = post_or_404(post_id)
    if not permissions.can_moderate(current_user, located.board):
        abort(403, "Reports on this board are for the moderators to review.")
    form = ReportActionForm()
    if not form.validate():
        abort(400, "That is not a review action. Reload the queue and use its buttons.")
    try:
        message = moderation.resolve_reports(
            located.topic, located.post, form.action.data, current_user.id, utcnow()
        )
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
    suspendable = permissions.may_be_suspended(member)
    if form.is_submitted() and not suspendable:
        abort(403, f"{member.display_name} is the instructor or a moderator: only members can be suspended.")
    if form.validate_on_submit():
        suspension = moderation.suspend(member.id, form.days.data, form.reason.data, current_user.id, now)
        until = suspension.until
        db.session.commit()
        flash(f"{member.display_name} cannot post until {until:%B} {until.day}, {until.year}.", "success")
        return redirect(url_for("forum.suspend_user", user_id=member.id))
    suspension = permissions.active_suspension(member.id, now)
    return render_template(
        "forum/suspend.html", member=member, form=form, suspension=suspension, suspendable=suspendable
    ), (400 if form.errors else 200)


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
    located = post_or_404(post_id)
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
    return redirect(post_url(located.topic, located.post.number))
