"""Watching, tracking or muting a topic or a board, and muting a topic from a notification email
without signing in."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from courseware.accounts import tokens
from courseware.extensions import csrf, db
from courseware.notifications import emails
from forum import notifying
from forum.forms import (
    WatchForm,
)
from forum.models import WATCH_LEVELS, Topic, WatchLevel
from forum.views import bp
from forum.views.lookup import (
    board_or_404,
    topic_or_404,
    topic_url,
)


@bp.post("/t/<int:topic_id>/watch")
@login_required
def watch_topic(topic_id: int):
    located = topic_or_404(topic_id)
    level = _watch_level_or_400()
    notifying.watch(located.topic.id, current_user.id, level)
    db.session.commit()
    flash(f"This topic is now {WATCH_LEVELS[level].lower()}.", "success")
    return redirect(topic_url(located.topic))


@bp.post("/<slug>/watch")
@login_required
def watch_board(slug: str):
    board = board_or_404(slug).board
    level = _watch_level_or_400()
    notifying.watch_board(board.id, current_user.id, level)
    db.session.commit()
    flash(f"This board is now {WATCH_LEVELS[level].lower()}.", "success")
    return redirect(url_for("forum.board", slug=board.slug))


@bp.route("/t/<int:topic_id>/mute/<token>", methods=["GET", "POST"])
@csrf.exempt  # the link in a notification email works without signing in; the token is the key
def mute_by_email(topic_id: int, token: str):
    user_id = _email_token_user(token, topic_id)
    topic = db.session.get(Topic, topic_id) if user_id is not None else None
    if topic is None:
        return render_template("forum/muted.html", topic=None), 400
    notifying.watch(topic.id, user_id, WatchLevel.MUTED)
    db.session.commit()
    return render_template("forum/muted.html", topic=topic, token=token)


@bp.post("/t/<int:topic_id>/mute/<token>/undo")
def unmute_by_email(topic_id: int, token: str):
    user_id = _email_token_user(token, topic_id)
    if user_id is None or db.session.get(Topic, topic_id) is None:
        abort(400, "This link is not valid. Sign in and use the topic's notification setting.")
    notifying.watch(topic_id, user_id, WatchLevel.WATCHING)
    db.session.commit()
    flash("You will hear about this topic again.", "success")
    return redirect(url_for("catalog.home"))


def _email_token_user(token: str, topic_id: int) -> int | None:
    try:
        user_id, token_topic = emails.read_unsubscribe_token(token)
    except tokens.LinkInvalid:
        return None
    return user_id if token_topic == topic_id else None


def watch_form(level: str | None) -> WatchForm:
    return WatchForm(formdata=None, data={"level": level or WatchLevel.TRACKING})


def _watch_level_or_400() -> str:
    form = WatchForm()
    if not form.validate():
        abort(400, "Choose watching, tracking or muted.")
    return form.level.data
