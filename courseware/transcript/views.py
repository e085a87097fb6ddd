"""The learner's transcript page, its PDF and CSV, and the credits recorded by hand.

Each view parses input, calls the transcript services, commits once, then redirects or renders.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from courseware.csvexport import csv_response
from courseware.db import utcnow
from courseware.extensions import db
from courseware.transcript import services, uploads
from courseware.transcript.exports import CSV_HEADER, transcript_rows
from courseware.transcript.forms import ExternalCreditForm
from courseware.transcript.pdf import render_transcript_pdf
from courseware.transcript.rules import load_rules

bp = Blueprint("transcript", __name__)


@bp.get("/me/transcript")
@login_required
def page():
    transcript = _load_transcript()
    return _render_page(transcript, _credit_form(transcript.today, formdata=None))


@bp.post("/me/transcript/credits")
@login_required
def add_credit():
    today = _today()
    form = _credit_form(today)
    if not form.validate_on_submit():
        return _render_page(_load_transcript(today), form)
    upload = form.certificate.data
    stored = uploads.store_pdf(upload, _uploads_dir()) if upload else None
    try:
        services.record_external_credit(
            current_user.id,
            form.title.data,
            form.provider.data,
            form.completed_on.data,
            form.hours,
            form.format.data,
            stored,
            uploads.clean_original_name(upload.filename) if upload else None,
        )
        db.session.commit()
    except Exception:
        uploads.remove_stored(_uploads_dir(), stored)  # no row points at it
        raise
    flash(f"“{form.title.data}” is on your transcript.", "success")
    return redirect(url_for(".page", _anchor="activities"))


@bp.get("/me/transcript/credits/<int:credit_id>/certificate.pdf")
@login_required
def credit_file(credit_id: int):
    credit = services.find_own_credit(current_user.id, credit_id) or abort(404)
    path = uploads.stored_path(_uploads_dir(), credit.file_name)
    if path is None:
        abort(404, "No PDF is stored for this certificate.")
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=uploads.download_name(credit.original_filename),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/me/transcript/credits/<int:credit_id>/delete")
@login_required
def confirm_delete(credit_id: int):
    credit = services.find_own_credit(current_user.id, credit_id) or abort(404)
    return render_template("transcript/confirm_delete.html", credit=credit)


@bp.post("/me/transcript/credits/<int:credit_id>/delete")
@login_required
def delete_credit(credit_id: int):
    credit = services.find_own_credit(current_user.id, credit_id) or abort(404)
    title = credit.title
    stored = services.delete_credit(credit)
    db.session.commit()
    uploads.remove_stored(_uploads_dir(), stored)  # after the commit: a rollback keeps the file
    flash(f"“{title}” is removed from your transcript.", "success")
    return redirect(url_for(".page", _anchor="activities"))


@bp.get("/me/transcript.csv")
@login_required
def csv():
    transcript = _load_transcript()
    rows = transcript_rows(transcript, _verify_url)
    return _private(csv_response(f"transcript-{transcript.today.isoformat()}.csv", CSV_HEADER, rows))


@bp.get("/me/transcript.pdf")
@login_required
def pdf():
    transcript = _load_transcript()
    response = make_response(
        render_transcript_pdf(transcript, transcript.today, current_app.config["SITE_NAME"])
    )
    response.mimetype = "application/pdf"
    filename = f"transcript-{transcript.today.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error):
    db.session.rollback()
    limit = uploads.size_words(current_app.config["UPLOAD_MAX_BYTES"])
    message = (
        f"The file is too large: certificates can be PDFs of up to {limit}. Go back and choose a smaller one."
    )
    return render_template("errors/error.html", code=413, title="File too large", message=message), 413


# Helpers


def _today():
    return services.learner_today(utcnow(), current_user.time_zone, current_app.config["DEFAULT_TIME_ZONE"])


def _credit_form(today, **kwargs) -> ExternalCreditForm:
    return ExternalCreditForm(today=today, max_upload_bytes=current_app.config["UPLOAD_MAX_BYTES"], **kwargs)


def _load_transcript(today=None) -> services.Transcript:
    rules = load_rules(current_app.config["RENEWAL_RULES_FILE"])
    return services.load_transcript(current_user._get_current_object(), today or _today(), rules)


def _render_page(transcript: services.Transcript, form: ExternalCreditForm):
    return render_template(
        "transcript/page.html",
        transcript=transcript,
        form=form,
        max_upload=uploads.size_words(current_app.config["UPLOAD_MAX_BYTES"]),
    )


def _verify_url(public_id: str) -> str:
    return url_for("certificates.verify", public_id=public_id, _external=True)


def _uploads_dir() -> str:
    return current_app.config["UPLOADS_DIR"]


def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response
