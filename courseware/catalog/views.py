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
    return render_template(
        "catalog/home.html",
        courses=services.live_courses(utcnow()),
        enrolled=services.enrolled_course_ids(_user_id()),
    )


@bp.get("/courses/")
def catalogue():
    return render_template(
        "catalog/catalogue.html",
        courses=services.live_courses(utcnow()),
        enrolled=services.enrolled_course_ids(_user_id()),
    )


@bp.get("/courses/<slug>")
def landing(slug: str):
    page = pages.course_home(slug, _user_id(), utcnow())
    if page is None:
        abort(404)
    return render_template("catalog/landing.html", page=page)
