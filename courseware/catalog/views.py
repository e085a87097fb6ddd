from flask import Blueprint, abort, render_template
from flask_login import current_user

from courseware.catalog import services
from courseware.db import utcnow
from courseware.learning import pages

bp = Blueprint("catalog", __name__)


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


@bp.get("/")
def home():
    return _course_list("catalog/home.html")


@bp.get("/courses/")
def catalogue():
    return _course_list("catalog/catalogue.html")


def _course_list(template: str):
    courses = services.live_courses(utcnow())
    return render_template(template, courses=courses, enrolled=services.enrolled_course_ids(_user_id()))


@bp.get("/courses/<slug>")
def landing(slug: str):
    page = pages.course_home(slug, _user_id(), utcnow())
    if page is None:
        abort(404)
    return render_template("catalog/landing.html", page=page)
