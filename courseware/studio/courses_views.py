"""Courses in the studio: a new course, its settings page, publishing it."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from courseware.accounts.permissions import author_required
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio import author_time, courses, editor
from courseware.studio.courses_forms import CourseSettingsForm, NewCourseForm, PublishForm

bp = Blueprint("studio_courses", __name__, url_prefix="/studio/courses")

TAKEN = 'Another course already uses the address "{}": choose another.'
CONFLICT = (
    "This course changed since you opened its settings (someone saved them, or a lesson was published). "
    "What you typed is kept below: check it against the saved course and save again."
)


@bp.route("/new", methods=["GET", "POST"])
@author_required
def new():
    form = NewCourseForm()
    if not form.is_submitted():
        form.instructor.data = current_user.display_name
        return _render_new(form)
    valid = form.validate()
    if not form.slug.errors and courses.slug_taken(form.slug.data):
        form.slug.errors.append(TAKEN.format(form.slug.data))
        valid = False
    if not valid:
        return _render_new(form, 400)
    try:
        course = courses.create_course(form.slug.data, form.details(), utcnow())
        db.session.commit()
    except IntegrityError:  # another course took the slug a moment ago
        db.session.rollback()
        form.slug.errors.append(TAKEN.format(form.slug.data))
        return _render_new(form, 400)
    flash("Course created as a draft. Fill in its settings, then add lessons.", "success")
    return redirect(url_for(".settings", slug=course.slug))


@bp.route("/<slug>/settings", methods=["GET", "POST"])
@author_required
def settings(slug: str):
    course = editor.find_course(slug) or abort(404)
    posted = request.method == "POST"
    form = CourseSettingsForm() if posted else CourseSettingsForm.of(course, courses.version_of(course))
    if not form.is_submitted():
        return _render_settings(course, form)
    if not form.validate():
        return _render_settings(course, form, status=400)
    try:
        courses.update_settings(course, form.settings(), form.version.data or "", utcnow())
        db.session.commit()
    except courses.SettingsRefused as refused:
        db.session.rollback()
        getattr(form, refused.field).errors.append(str(refused))
        return _render_settings(editor.find_course(slug), form, status=400)
    except (editor.EditConflict, IntegrityError):
        db.session.rollback()
        course = editor.find_course(slug)
        form.version.data = courses.version_of(course)  # saving again, having looked, replaces it
        return _render_settings(course, form, status=409, conflict=CONFLICT)
    flash("Settings saved.", "success")
    return redirect(url_for(".settings", slug=slug))


@bp.post("/<slug>/publish")
@author_required
def publish(slug: str):
    course = editor.find_course(slug) or abort(404)
    form = PublishForm()
    if not form.validate():
        return _render_settings(course, CourseSettingsForm.of(course, courses.version_of(course)), 400,
                                publish_form=form)
    now = utcnow()
    try:
        message = _publish(course, form, now)
        db.session.commit()
    except courses.SettingsRefused as refused:
        db.session.rollback()
        form.publish_at.errors.append(str(refused))
        course = editor.find_course(slug)
        return _render_settings(course, CourseSettingsForm.of(course, courses.version_of(course)), 400,
                                publish_form=form)
    flash(message, "success")
    return redirect(url_for(".settings", slug=slug))


def _publish(course: Course, form: PublishForm, now: datetime) -> str:
    if form.unpublish.data:
        courses.unpublish_course(course, now)
        return "Unpublished: the course is no longer in the catalogue and takes no new enrolments."
    if form.schedule.data:
        courses.publish_course(course, now, author_time.to_utc(form.publish_at.data))
        return "Scheduled: the course appears in the catalogue at the time you chose."
    courses.publish_course(course, now)
    return "Published: the course is in the catalogue now."


def _render_new(form: NewCourseForm, status: int = 200):
    return render_template("studio/course_new.html", form=form), status


def _render_settings(course: Course, form: CourseSettingsForm, status: int = 200, **extra):
    publish_form = extra.pop("publish_form", None) or _filled_publish_form(course)
    return render_template(
        "studio/course_settings.html", course=course, form=form, publish_form=publish_form,
        learners=courses.enrolled_learners(course), author_zone=author_time.zone().key, now=utcnow(),
        local_time=author_time.label, **extra,
    ), status


def _filled_publish_form(course: Course) -> PublishForm:
    return PublishForm(formdata=None, publish_at=author_time.scheduled_field(course.publish_at, utcnow()))
