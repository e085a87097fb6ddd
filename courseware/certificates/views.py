"""The learner's certificate page, the PDF, public verification, and the author's register."""


from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from courseware.accounts.permissions import author_required
from courseware.certificates import issuing, pages, services
from courseware.certificates.forms import ConfirmForm, RegisterFilterForm, ReissueForm, RevokeForm
from courseware.certificates.pdf import render_certificate_pdf
from courseware.certificates.register import REGISTER_HEADER, register_rows
from courseware.certificates.requirements import Step
from courseware.certificates.snapshot import signature_file
from courseware.csvexport import csv_response
from courseware.db import utcnow
from courseware.extensions import db
from courseware.web import page_number

bp = Blueprint("certificates", __name__)


@bp.route("/learn/<slug>/certificate", methods=["GET", "POST"])
@login_required
def certificate(slug: str):
    now = utcnow()
    checklist = pages.checklist_page(slug, current_user, now) or abort(404)
    form = ConfirmForm.for_learner(current_user, checklist.attestation_required)
    if request.method == "POST":
        if checklist.next_step != Step.ATTESTATION:
            flash("There is nothing to confirm at this step.", "info")
            return redirect(url_for(".certificate", slug=slug))
        if form.validate():
            try:
                licence = form.chosen_licence(current_user)
                services.confirm(checklist, current_user, form.legal_name.data, licence, now)
            except services.CertificateError as error:
                form.legal_name.errors.append(str(error))
            else:
                return _issue_and_show(checklist, now)
    elif checklist.complete and not (checklist.certificate or checklist.revoked_certificate):
        # Every requirement is met but no certificate exists (met before certificates were issued
        # here): issue it now, once, like the moment the last requirement was met.
        return _issue_and_show(checklist, now)
    return render_template(
        "certificates/certificate.html", checklist=checklist, form=form,
        attestation_statement=services.ATTESTATION_STATEMENT,
    )


def _issue_and_show(checklist, now):
    certificate = issuing.issue_if_due(checklist, current_user, now)
    db.session.commit()
    if certificate is not None:
        flash("Congratulations! Your certificate is ready.", "success")
    return redirect(url_for(".certificate", slug=checklist.course.slug))


@bp.get("/certificates/<public_id>.pdf")
@login_required
def pdf(public_id: str):
    certificate = pages.certificate_for(public_id, current_user) or abort(404)
    watermark = None if certificate.is_valid else "REVOKED"
    snapshot = certificate.snapshot
    response = make_response(render_certificate_pdf(snapshot, signature_file(snapshot), watermark))
    response.mimetype = "application/pdf"
    filename = f"certificate-{certificate.serial}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/verify/<public_id>")
def verify(public_id: str):
    found = pages.verification(public_id)
    if found is None:
        abort(404, "No certificate has this id. Check the address against the certificate.")
    return render_template("certificates/verify.html", found=found, certificate=found.certificate)


@bp.get("/studio/certificates")
@author_required
def register():
    form = RegisterFilterForm(request.args)
    form.course.choices = pages.course_choices()
    query = pages.register_query(*_filters(form))
    certificates = db.paginate(query, page=page_number(), per_page=pages.REGISTER_PER_PAGE, error_out=False)
    return render_template("certificates/register.html", form=form, certificates=certificates)


@bp.get("/studio/certificates.csv")
@author_required
def register_csv():
    form = RegisterFilterForm(request.args)
    form.course.choices = pages.course_choices()
    if not form.validate():
        errors = " ".join(error for errors in form.errors.values() for error in errors)
        abort(400, f"The register cannot be exported for these filters: {errors}")
    start, end, course_id = _filters(form)
    rows = register_rows(db.session.scalars(pages.register_query(start, end, course_id)))
    span = f"{start or 'start'}_to_{end or 'today'}"
    return csv_response(f"certificate-register_{span}.csv", REGISTER_HEADER, rows)


def _filters(form: RegisterFilterForm):
    if not form.validate():
        return None, None, None
    course_id = int(form.course.data) if form.course.data else None  # one of the offered ids
    return form.start.data, form.end.data, course_id


@bp.get("/studio/certificates/<public_id>")
@author_required
def evidence(public_id: str):
    found = pages.evidence(public_id) or abort(404)
    return render_template(
        "certificates/evidence.html", evidence=found, certificate=found.certificate,
        revoke_form=RevokeForm(), reissue_form=_reissue_form(found.certificate),
    )


def _reissue_form(certificate, **kwargs) -> ReissueForm:
    return ReissueForm(data={"legal_name": certificate.snapshot["holder"]["legal_name"]}, **kwargs)


@bp.post("/studio/certificates/<public_id>/revoke")
@author_required
def revoke(public_id: str):
    found = pages.evidence(public_id) or abort(404)
    form = RevokeForm()
    if form.validate():
        try:
            services.revoke(found.certificate, form.revoke_reason.data, current_user.id, utcnow())
        except services.CertificateError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"Certificate {found.certificate.serial} is revoked.", "success")
            return redirect(url_for(".evidence", public_id=public_id))
    return render_template(
        "certificates/evidence.html", evidence=found, certificate=found.certificate,
        revoke_form=form, reissue_form=_reissue_form(found.certificate),
    ), 400


@bp.post("/studio/certificates/<public_id>/reissue")
@author_required
def reissue(public_id: str):
    found = pages.evidence(public_id) or abort(404)
    form = ReissueForm()
    if form.validate() and found.certificate.is_valid:
        old = found.certificate
        settings = issuing.settings_for(old.course)
        replacement = services.reissue(
            old, form.legal_name.data, form.reason.data, current_user.id, settings,
            issuing.verify_url_for, utcnow(),
        )
        db.session.commit()
        flash(f"Certificate {old.serial} is revoked and replaced by {replacement.serial}.", "success")
        return redirect(url_for(".evidence", public_id=replacement.public_id))
    if not found.certificate.is_valid:
        flash("This certificate is already revoked; correct its replacement instead.", "error")
    return render_template(
        "certificates/evidence.html", evidence=found, certificate=found.certificate,
        revoke_form=RevokeForm(), reissue_form=form,
    ), 400
