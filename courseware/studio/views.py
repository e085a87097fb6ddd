"""The studio home page; each studio area (learners, analytics, ...) has its own blueprint."""

from flask import Blueprint, render_template

from courseware.accounts.permissions import author_required
from courseware.studio import services

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.get("/")
@author_required
def home():
    return render_template("studio/home.html", summaries=services.course_summaries())
