"""Course media (videos, captions, handouts) served only to those who may see the lesson.

A lesson names its files by a path in its course folder (`media/intro.mp4`). Files uploaded in the
studio are named the same way but live in the media store (courseware/storage.py), which is asked
first; either way the same rights apply, with range requests so video seeking works (from disk with
conditional=True; from an S3 store through a redirect to a presigned URL, the bucket answering the
ranges), and anything but video and captions goes out as an attachment.
"""

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, send_from_directory
from flask_login import current_user

from courseware.content.models import Course, Lesson, Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.services import find_course_and_enrolment
from courseware.storage import MAX_AGE_SECONDS, STORED_NAME, StoreUnavailable, media_store
from courseware.studio.models import MediaUpload

bp = Blueprint("media", __name__)

_INLINE_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt"}
_ATTACHMENT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


@bp.get("/learn/<slug>/media/<path:filename>")
def course_file(slug: str, filename: str):
    course = _course_for_author(slug, filename) if _is_author() else _course_for_learner(slug, filename)
    if course is None:
        abort(404)
    suffix = Path(filename).suffix.lower()
    uploaded = _uploaded_name(course.id, filename)
    if uploaded is not None:
        response = _send_upload(course.id, filename, suffix, uploaded)
        if response is not None:
            return response
    return send_from_directory(
        Path(current_app.config["COURSES_DIR"]) / slug,
        filename,
        mimetype=_INLINE_TYPES.get(suffix),
        as_attachment=suffix not in _INLINE_TYPES,
        conditional=True,
        max_age=MAX_AGE_SECONDS,
    )


def _course_for_learner(slug: str, filename: str) -> Course | None:
    user_id = current_user.id if current_user.is_authenticated else None
    course, enrolment = find_course_and_enrolment(slug, user_id, utcnow())
    if course is None:
        return None
    lesson_preview = _lesson_using(course.id, filename)
    if lesson_preview is None or not (enrolment is not None or lesson_preview):
        return None
    return course


def _course_for_author(slug: str, filename: str) -> Course | None:
    """The author checks the files of draft lessons and unpublished courses too, from the studio."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None or _lesson_using(course.id, filename, published_only=False) is None:
        return None
    return course


def _is_author() -> bool:
    return current_user.is_authenticated and current_user.is_author


def _uploaded_name(course_id: int, filename: str) -> str | None:
    """The name a file was uploaded under, if the studio's store holds it; course files are not asked."""
    if not STORED_NAME.match(filename):
        return None
    return db.session.scalar(
        sa.select(MediaUpload.original_name).where(
            MediaUpload.course_id == course_id, MediaUpload.stored_name == filename
        )
    )


def _send_upload(course_id: int, filename: str, suffix: str, uploaded_name: str):
    """From the store: sent from disk, or a redirect to the bucket; None if the store lost the file."""
    if suffix in _INLINE_TYPES:
        mimetype, download_name = _INLINE_TYPES[suffix], None
    else:
        # A download is offered under the name it was uploaded with, not its random stored name.
        mimetype, download_name = _ATTACHMENT_TYPES.get(suffix, "application/octet-stream"), uploaded_name
    try:
        return media_store().serve(course_id, filename, mimetype, download_name)
    except StoreUnavailable as away:
        current_app.logger.warning("Media store unavailable for %s: %s", filename, away)
        abort(503, "The media store is not answering. Try again in a minute.")


def _lesson_using(course_id: int, filename: str, published_only: bool = True) -> bool | None:
    """Whether the live lesson that uses this file is a free preview; None if no lesson uses it.

    Only files a lesson names are served: course.md, post-tests and anything else in the folder
    stay private.
    """
    statement = (
        sa.select(Lesson.video_path, Lesson.captions_path, Lesson.downloads, Lesson.preview)
        .where(Lesson.course_id == course_id, Lesson.retired_at.is_(None))
    )
    if published_only:
        statement = statement.where(Lesson.status == Status.PUBLISHED)
    rows = db.session.execute(statement)
    found = None
    for video, captions, downloads, preview in rows:
        if filename in (video, captions) or filename in (downloads or []):
            found = bool(found) or preview
    return found
