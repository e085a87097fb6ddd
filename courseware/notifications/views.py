"""Free downloads for joining the mailing list, unsubscribing, and the author's subscriber list."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from courseware.accounts import tokens
from courseware.accounts.permissions import author_required
from courseware.csvexport import csv_response
from courseware.db import utcnow
from courseware.extensions import csrf, db, limiter
from courseware.notifications import mailing_list
from courseware.notifications.forms import FreeDownloadForm
from courseware.web import page_number

bp = Blueprint("mailing_list", __name__)


@bp.route("/free/<key>", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def free_download(key: str):
    download = _download_or_404(key)
    member = current_user if current_user.is_authenticated else None
    form = FreeDownloadForm(data=_prefill(member) if request.method == "GET" else None)
    if not form.validate_on_submit():
        return render_template("notifications/free_download.html", download=download, form=form)
    subscriber, confirmed = mailing_list.join(
        download, form.first_name.data, form.email.data, member, utcnow()
    )
    if confirmed:
        db.session.commit()
        return redirect(_links(subscriber, download).download)
    if mailing_list.may_email(subscriber):
        mailing_list.send_confirmation(subscriber, download, _links(subscriber, download))
    db.session.commit()
    return render_template("notifications/check_email.html", download=download, email=subscriber.email)


@bp.get("/free/<key>/download/<token>")
def download_file(key: str, token: str):
    download = _download_or_404(key)
    try:
        subscriber = mailing_list.subscriber_from_download_token(token, download)
    except tokens.LinkExpired:
        return _link_problem(download, "This download link has expired.", 410)
    except tokens.LinkInvalid:
        return _link_problem(download, "This download link is not valid.", 400)
    mailing_list.confirm(subscriber, utcnow())
    db.session.commit()
    return send_from_directory(current_app.config["COURSES_DIR"], download.file, as_attachment=True)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail programs' one-click unsubscribe POSTs without a form (RFC 8058); the token is the key
def unsubscribe(token: str):
    try:
        subscriber = mailing_list.subscriber_from_unsubscribe_token(token)
    except tokens.LinkInvalid:
        return render_template("notifications/unsubscribed.html", subscriber=None), 400
    mailing_list.unsubscribe(subscriber, utcnow())
    db.session.commit()
    return render_template("notifications/unsubscribed.html", subscriber=subscriber, token=token)


@bp.post("/unsubscribe/<token>/undo")
def resubscribe(token: str):
    try:
        subscriber = mailing_list.subscriber_from_unsubscribe_token(token)
    except tokens.LinkInvalid:
        abort(400)
    mailing_list.confirm(subscriber, utcnow())
    db.session.commit()
    flash("You are back on the list. Thank you!", "success")
    return redirect(url_for("catalog.home"))


@bp.get("/studio/subscribers")
@author_required
def subscribers():
    return render_template(
        "notifications/subscribers.html", subscribers=mailing_list.subscribers(page_number())
    )


@bp.get("/studio/subscribers.csv")
@author_required
def subscribers_csv():
    rows = (
        (
            s.email,
            s.first_name,
            s.status,
            s.source,
            s.created_at.isoformat(timespec="seconds"),
            s.confirmed_at.isoformat(timespec="seconds") if s.confirmed_at else "",
            s.unsubscribed_at.isoformat(timespec="seconds") if s.unsubscribed_at else "",
            s.consent_text,
        )
        for s in mailing_list.all_subscribers()
    )
    header = [
        "Email",
        "First name",
        "Status",
        "Source",
        "Joined (UTC)",
        "Confirmed (UTC)",
        "Unsubscribed (UTC)",
        "Consent given",
    ]
    return csv_response("subscribers.csv", header, rows)


def _download_or_404(key: str) -> mailing_list.FreeDownload:
    return mailing_list.find_download(current_app.config["FREE_DOWNLOADS_FILE"], key) or abort(404)


def _prefill(member) -> dict:
    if member is None:
        return {}
    return {"first_name": member.display_name.split(" ")[0], "email": member.email}


def _links(subscriber, download) -> mailing_list.Links:
    return mailing_list.Links(
        url_for(
            "mailing_list.download_file",
            key=download.key,
            token=mailing_list.download_token(subscriber, download),
            _external=True,
        ),
        url_for("mailing_list.unsubscribe", token=mailing_list.unsubscribe_token(subscriber), _external=True),
    )


def _link_problem(download, message: str, status: int):
    return render_template("notifications/link_problem.html", download=download, message=message), status
