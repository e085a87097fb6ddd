from flask import Blueprint, abort, render_template
from flask_login import current_user

from courseware.catalog import services
from courseware.db import utcnow
from courseware.learning import pages
from courseware.web import page_number

bp = Blueprint("catalog", __name__)


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


HOME_COURSES = 6


@bp.get("/")
def home():
    return _course_list("catalog/home.html", page=1, per_page=HOME_COURSES)


@bp.get("/courses/")
def catalogue():
    return _course_list("catalog/catalogue.html", page=page_number())


def _course_list(template: str, page: int, per_page: int = services.COURSES_PER_PAGE):
    courses = services.live_courses(utcnow(), page, per_page)
    enrolled = services.enrolled_course_ids(_user_id(), courses.items)
    return render_template(template, courses=courses, enrolled=enrolled)


@bp.get("/courses/<slug>")
def landing(slug: str):
    page = pages.course_home(slug, _user_id(), utcnow())
    if page is None:
        abort(404)
    return render_template("catalog/landing.html", page=page)
