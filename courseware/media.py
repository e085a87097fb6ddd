"""Course media (videos, captions, handouts) served only to those who may see the lesson."""

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, send_from_directory
from flask_login import current_user

from courseware.content.models import Lesson, Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.services import find_course_and_enrolment

bp = Blueprint("media", __name__)

_INLINE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt"}


@bp.get("/learn/<slug>/media/<path:filename>")
def course_file(slug: str, filename: str):
    user_id = current_user.id if current_user.is_authenticated else None
    course, enrolment = find_course_and_enrolment(slug, user_id, utcnow())
    if course is None:
        abort(404)
    lesson_preview = _lesson_using(course.id, filename)
    if lesson_preview is None or not (enrolment is not None or lesson_preview):
        abort(404)
    suffix = Path(filename).suffix.lower()
    return send_from_directory(
        Path(current_app.config["COURSES_DIR"]) / slug,
        filename,
        mimetype=_INLINE_TYPES.get(suffix),
        as_attachment=suffix not in _INLINE_TYPES,
        conditional=True,
        max_age=3600,
    )


def _lesson_using(course_id: int, filename: str) -> bool | None:
    """Whether the live lesson that uses this file is a free preview; None if no lesson uses it.

    Only files a lesson names are served: course.md, post-tests and anything else in the folder
    stay private.
    """
    rows = db.session.execute(
        sa.select(Lesson.video_path, Lesson.captions_path, Lesson.downloads, Lesson.preview)
        .where(Lesson.course_id == course_id, Lesson.retired_at.is_(None))
        .where(Lesson.status == Status.PUBLISHED)
    )
    found = None
    for video, captions, downloads, preview in rows:
        if filename in (video, captions) or filename in (downloads or []):
            found = bool(found) or preview
    return found
