"""The bell's pages: the member's notifications, their email settings, and the one-click link in
every notification email that stops them without signing in."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from courseware.accounts import tokens
from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import csrf, db
from courseware.notifications import emails, inbox, receivers
from courseware.notifications.forms import NotificationSettingsForm
from courseware.notifications.models import EmailChoice
from courseware.web import is_safe_next, page_number

bp = Blueprint("notifications", __name__)
# Registering the blueprint connects the package's signal receivers (new lessons are announced).
_RECEIVERS = receivers


@bp.get("/me/notifications", endpoint="inbox")
@login_required
def inbox_page():
    listing = inbox.latest(current_user.id, page_number())
    return render_template("notifications/inbox.html", listing=listing)


@bp.get("/me/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    notification = inbox.find(current_user.id, notification_id) or abort(404)
    inbox.mark_read(notification, utcnow())
    path = notification.path
    db.session.commit()
    return redirect(path if is_safe_next(path) else url_for("notifications.inbox"))


@bp.post("/me/notifications/read")
@login_required
def mark_all_read():
    changed = inbox.mark_all_read(current_user.id, utcnow())
    db.session.commit()
    flash("All notifications are marked as read." if changed else "Nothing was unread.", "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/me/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = NotificationSettingsForm(data={"emails": current_user.notification_emails})
    if form.validate_on_submit():
        inbox.set_email_choice(current_user, form.emails.data)
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), 400 if form.errors else 200


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs' one-click unsubscribe POSTs without a form (RFC 8058); the token is the key
def unsubscribe(token: str):
    member = _member_from_token(token)
    if member is None:
        return render_template("notifications/stopped.html", member=None), 400
    previous = member.notification_emails
    inbox.set_email_choice(member, EmailChoice.NEVER)
    db.session.commit()
    return render_template("notifications/stopped.html", member=member, token=token, previous=previous)


@bp.post("/notifications/unsubscribe/<token>/undo")
def resubscribe(token: str):
    member = _member_from_token(token) or abort(400)
    inbox.set_email_choice(member, EmailChoice.EACH)
    db.session.commit()
    flash("Notification emails are on again.", "success")
    return redirect(url_for("catalog.home"))


def _member_from_token(token: str) -> User | None:
    try:
        user_id, topic_id = emails.read_unsubscribe_token(token)
    except tokens.LinkInvalid:
        return None
    return db.session.get(User, user_id) if topic_id is None else None
