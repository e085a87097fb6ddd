"""Courses in the studio: a new draft course, its settings, and publishing it. Only flushes.

    course = create_course(details, now)                          # a draft with its first module
    update_settings(course, settings, version, now)               # raises EditConflict, SettingsRefused
    publish_course(course, now) / unpublish_course(course, now)   # raises SettingsRefused

The rules are the course files' own (content/validation.py, content/parsing.py), so the studio cannot
save a course that `flask courses check` would refuse once exported. Changes to a course's content
add a course revision (content/writer.py), as a sync does; certificates keep their own snapshot.
"""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from courseware.content import signals
from courseware.content.ce import format_hours
from courseware.content.models import Course, Lesson, Module, Status
from courseware.content.parsing import COMPLETION_DEFAULTS
from courseware.content.services import CourseChanges, SyncReport
from courseware.content.validation import share_credit
from courseware.content.writer import add_studio_revision
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.markdown import render
from courseware.studio.editor import EditConflict
from courseware.studio.editor_publish import course_lessons

FIRST_MODULE = {"slug": "module-1", "title": "Module 1"}
# What the "new course" form asks; the settings page edits these and the rest.
DETAILS = ("title", "summary", "instructor", "price_cents", "currency", "contact_hours", "level", "category",
           "objectives")
SETTINGS = (*DETAILS, "description_md", "approval", "watch_percent", "completion", "community", "sequential")


class SettingsRefused(Exception):
    """The course cannot be saved or published so; `field` names the form field to show it by."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def slug_taken(slug: str) -> bool:
    return db.session.scalar(sa.select(sa.func.count(Course.id)).where(Course.slug == slug)) > 0


def create_course(slug: str, details: dict, now: datetime) -> Course:
    """A draft course with one empty module; IntegrityError when another course took the slug."""
    course = Course(
        slug=slug, status=Status.DRAFT, revision=0, completion=dict(COMPLETION_DEFAULTS), approval=None,
        created_at=now, updated_at=now, **{name: details[name] for name in DETAILS},
    )
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, position=1, **FIRST_MODULE)
    db.session.add(module)
    add_studio_revision(course, [], now, [module])
    db.session.flush()
    return course


def enrolled_learners(course: Course) -> int:
    """Current enrolments: the learners whom unpublishing concerns."""
    return db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).where(Enrolment.course_id == course.id,
                                                     Enrolment.revoked_at.is_(None))
    )


def version_of(course: Course) -> str:
    """What the settings form carries: every content change (here, in the editor, a sync) moves it."""
    return str(course.revision)


def update_settings(course: Course, settings: dict, version: str, now: datetime) -> None:
    """`settings`: Course column values (SETTINGS). The published lessons' credit is shared out again
    for the hours, as a sync would; certificates already issued keep their own snapshot."""
    if version != version_of(course):
        raise EditConflict
    lessons = course_lessons(course)
    if settings["completion"]["post_test"] and not course.post_test:
        raise SettingsRefused("post_test", "This course has no post-test questions yet: add them first.")
    shares = _credit_shares(course, settings["contact_hours"], lessons)
    before = (course.title, course.summary, course.community)
    for name in SETTINGS:
        setattr(course, name, settings[name])
    course.description_html = render(settings["description_md"], trusted=True)
    for lesson in lessons:
        if lesson.id in shares and lesson.credit_minutes != shares[lesson.id]:
            lesson.credit_minutes = shares[lesson.id]
    course.updated_at = now
    add_studio_revision(course, lessons, now)
    if course.community and before != (course.title, course.summary, True):
        _refresh_boards(course)


def publish_course(course: Course, now: datetime, publish_at: datetime | None = None) -> None:
    """Live now, or from `publish_at` (which must be ahead): the catalogue shows it from then."""
    if publish_at is not None and publish_at <= now:
        raise SettingsRefused("publish_at", "Choose a time in the future, or publish now.")
    lessons = course_lessons(course)
    if not any(lesson.status == Status.PUBLISHED for lesson in lessons):
        raise SettingsRefused(
            "publish", "Publish at least one lesson first: a published course needs a published lesson."
        )
    _credit_shares(course, course.contact_hours, lessons)
    course.status = Status.PUBLISHED
    # "Publish now" keeps a past publish_at (the files' own date) and drops a future one.
    past = course.publish_at if course.publish_at and course.publish_at <= now else None
    course.publish_at = publish_at or past
    course.updated_at = now
    db.session.flush()


def unpublish_course(course: Course, now: datetime) -> None:
    course.status = Status.DRAFT
    course.publish_at = None
    course.updated_at = now
    db.session.flush()


def _credit_shares(course: Course, hours: Decimal, lessons: list[Lesson]) -> dict[int, int]:
    """Credit minutes per published lesson for these hours, by the file format's rule."""
    published = [lesson for lesson in lessons if lesson.status == Status.PUBLISHED]
    if not published:
        return {}
    total = int(hours * 60)
    try:
        shares = share_credit(total, [lesson.credit_minutes_declared for lesson in published])
    except ValueError as exc:
        raise SettingsRefused(
            "contact_hours",
            f"The published lessons would not add up: {exc}, but {format_hours(hours)} contact hours need "
            f"{total} minutes. Change the hours, or the lessons' credit minutes.",
        ) from None
    return {lesson.id: minutes for lesson, minutes in zip(published, shares, strict=True)}


def _refresh_boards(course: Course) -> None:
    """The forum makes or renames the course's board when courses change (forum/receivers.py); the
    studio announces its change as a sync of this course would."""
    report = SyncReport([CourseChanges(course.slug, "updated", course.revision)])
    signals.courses_synced.send(report=report)
