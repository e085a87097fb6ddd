"""The author's learners page per course: progress, filters, CSV, and the actions that help a learner.

Each view parses its form, calls one service in studio.learners, commits once, then redirects or renders.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from courseware.accounts.permissions import author_required
from courseware.accounts.services import normalize_email
from courseware.content.models import Course
from courseware.csvexport import csv_response
from courseware.db import utcnow
from courseware.extensions import db
from courseware.payments import grants
from courseware.studio import learners
from courseware.studio.learner_csv import CSV_HEADER, csv_rows
from courseware.studio.learner_forms import (
    AnnouncementForm,
    GrantAccessForm,
    LearnerFilterForm,
    RevokeAccessForm,
)
from courseware.web import page_number

bp = Blueprint("studio_learners", __name__, url_prefix="/studio")

GRANTED = {
    learners.Granted.NEW: "{email} now has access to {title}.",
    learners.Granted.REINSTATED: "{email}'s access to {title} is reinstated, with their progress.",
    learners.Granted.ALREADY: "{email} already has access to {title}: nothing changed.",
}


@bp.get("/courses/<slug>/learners")
@author_required
def course(slug: str):
    return _render_learners(_course(slug), LearnerFilterForm(request.args), GrantAccessForm())


@bp.get("/courses/<slug>/learners.csv")
@author_required
def course_csv(slug: str):
    course = _course(slug)
    form = LearnerFilterForm(request.args)
    if not form.validate():
        abort(400, f"The learners cannot be exported with these filters: {_errors(form)}")
    rows = learners.learner_rows(course, form.filters(), utcnow())
    filename = f"learners_{course.slug}_{form.filters().status}.csv"
    return csv_response(filename, CSV_HEADER, csv_rows(course, rows))


@bp.post("/courses/<slug>/learners/grant")
@author_required
def grant(slug: str):
    course = _course(slug)
    form = GrantAccessForm()
    if not form.validate():
        return _render_learners(course, LearnerFilterForm(None), form, status=400)
    try:
        outcome = learners.grant_access(course, form.email.data, utcnow())
    except grants.NoSuchLearner as missing:
        db.session.rollback()
        form.email.errors.append(str(missing))
        return _render_learners(course, LearnerFilterForm(None), form, status=400)
    db.session.commit()
    category = "info" if outcome == learners.Granted.ALREADY else "success"
    flash(GRANTED[outcome].format(email=normalize_email(form.email.data), title=course.title), category)
    return redirect(url_for(".course", slug=slug))


@bp.route("/courses/<slug>/learners/<int:enrolment_id>/revoke", methods=["GET", "POST"])
@author_required
def revoke(slug: str, enrolment_id: int):
    course = _course(slug)
    enrolment = learners.find_enrolment(course.id, enrolment_id) or abort(404)
    form = RevokeAccessForm()
    if request.method == "POST" and form.validate():
        email = enrolment.user.email
        if learners.revoke_access(enrolment, form.reason.data, utcnow()):
            db.session.commit()
            flash(f"{email} no longer has access to {course.title}. Their progress is kept.", "success")
        else:
            flash(f"{email}'s access was revoked already: nothing changed.", "info")
        return redirect(url_for(".course", slug=slug))
    status = 400 if form.errors else 200
    return render_template(
        "studio/learners_revoke.html", course=course, enrolment=enrolment, form=form
    ), status


@bp.route("/courses/<slug>/announcement", methods=["GET", "POST"])
@author_required
def announce(slug: str):
    course = _course(slug)
    form = AnnouncementForm()
    if request.method == "POST" and form.validate():
        course_path = url_for("learning.course_home", slug=course.slug)
        told, emailed = learners.queue_announcement(
            course, form.subject.data, form.message.data, course_path, utcnow()
        )
        db.session.commit()
        if told:
            flash(_announcement_sent(told, emailed), "success")
        else:
            flash("No learner has access to this course yet: nothing was sent.", "info")
        return redirect(url_for(".course", slug=slug))
    recipients = len(learners.announcement_recipients(course.id))
    status = 400 if form.errors else 200
    return render_template(
        "studio/learners_announce.html", course=course, form=form, recipients=recipients
    ), status


def _render_learners(course: Course, filter_form: LearnerFilterForm, grant_form: GrantAccessForm, status=200):
    page, filters = None, learners.LearnerFilters()
    if filter_form.validate():
        filters = filter_form.filters()
        page = learners.learners_page(course, filters, page_number(), utcnow())
    else:
        status = 400
    # The pager and the CSV link keep the filters (as read, never the raw query string).
    filter_args = {"status": filters.status, "days": filters.days, "q": filters.q}
    return render_template(
        "studio/learners.html",
        course=course,
        filter_form=filter_form,
        grant_form=grant_form,
        page=page,
        filters=filters,
        filter_args=filter_args,
        pager_args=MultiDict({**filter_args, "slug": course.slug}),
    ), status


def _course(slug: str) -> Course:
    return grants.course_by_slug(slug) or abort(404)


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _announcement_sent(told: int, emailed: int) -> str:
    learners_told = f"{told} learner{'s' if told != 1 else ''}"
    if emailed == told:
        return f"Sent to {learners_told}."
    return f"Sent to {learners_told}: {emailed} by email; the others chose no emails and see it in the app."
