"""Content hashes: a lesson's or course's version is the sha256 of its normalised parsed content.

The hashes are built from parsed values (not file bytes), so reformatting YAML changes nothing,
and from media files' sha256 (not size and mtime), so a fresh clone of the repo changes nothing.
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from courseware.content.tree import CourseFile, LessonFile

MediaHash = Callable[[Path], str]


def lesson_hash(course: CourseFile, lesson: LessonFile, media_hash: MediaHash) -> str:
    return _digest({
        "title": lesson.title,
        "video": lesson.video,
        "captions": lesson.captions,
        "duration_seconds": lesson.duration_seconds,
        # The credit actually carried, so a lesson whose share changes gets a new version too.
        "credit": lesson.credit,
        "downloads": lesson.downloads,
        "preview": lesson.preview,
        "status": lesson.status,
        "publish_at": lesson.publish_at,
        "body": lesson.body,
        "media": {path: media_hash(course.path / path) for path in lesson.media_paths},
    })


def course_hash(course: CourseFile, lesson_hashes: dict[str, str]) -> str:
    """Everything in the course: its own fields, module structure and order, and each lesson's hash."""
    fields = {
        name: getattr(course, name)
        for name in (
            "title", "summary", "instructor", "price_cents", "currency", "contact_hours", "level",
            "category", "objectives", "approval", "watch_percent", "completion", "community", "status",
            "publish_at", "sequential", "description", "post_test", "evaluation", "certificate",
        )
    }
    modules = [
        {"slug": m.slug, "title": m.title, "intro": m.intro, "lessons": [lesson.slug for lesson in m.lessons]}
        for m in course.modules
    ]
    return _digest({"course": fields, "modules": modules, "lessons": lesson_hashes})


def _digest(content: dict) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    raise TypeError(f"cannot hash {type(value).__name__}")
