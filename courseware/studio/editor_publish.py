"""Publishing from the studio: the Lesson row learners see, the course's kept counts, going live.

    publish(state, content, author_id, version, now)                   # live now
    publish(state, content, author_id, version, now, publish_at=when)  # scheduled
    announce_due(now)                                                  # `flask courses publish-due`

A lesson that was not live and becomes live sends `content.lesson_published` exactly once: at once
when published now, or from `announce_due` once its scheduled time has passed (learners already
see it then: a future publish_at only hides a lesson until its time), whether the studio or the
course files scheduled it. Lesson.announced_at records it. Only flushes.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from courseware.content import signals
from courseware.content.ce import format_hours
from courseware.content.models import Course, Lesson, Module, Status
from courseware.content.validation import share_credit
from courseware.content.writer import add_studio_revision
from courseware.extensions import db
from courseware.studio.editor import (
    EditorState,
    LessonContent,
    add_revision,
    check_version,
    write_content,
)
from courseware.studio.models import LessonRevision, RevisionStatus


class PublishRefused(Exception):
    """The lesson cannot be published as it stands; `field` names the form field to show it by."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def publish(
    state: EditorState,
    content: LessonContent,
    author_id: int,
    version: str,
    now: datetime,
    publish_at: datetime | None = None,
    note: str = "",
) -> LessonRevision:
    """Write the content to the Lesson row: live now, or at `publish_at` (which must be ahead)."""
    check_version(state, version)
    lesson = state.lesson
    was_live = lesson.is_live(now)
    _check_schedule(was_live, publish_at, now)
    lessons = course_lessons(state.course)
    shares = _credit_shares(state.course, lessons, lesson, content.credit_minutes)
    # A schedule that has passed but was not announced yet is announced now, instead of never.
    announce = publish_at is None and (not was_live or lesson.awaits_announcement(now))
    write_content(lesson, content)
    lesson.status = Status.PUBLISHED
    # "Publish now" keeps a past publish_at (the files' own date) and drops a future one.
    lesson.publish_at = publish_at or (lesson.publish_at if was_live else None)
    lesson.revision += 1
    for row in lessons:
        if row.id in shares and row.credit_minutes != shares[row.id]:
            row.credit_minutes = shares[row.id]
    _update_course(state.course, lessons, now)
    status = RevisionStatus.SCHEDULED if publish_at else RevisionStatus.PUBLISHED
    revision = add_revision(state, content, status, author_id, now, lesson.publish_at, note)
    if announce:
        _announce(lesson, now)
    elif publish_at is not None:
        lesson.announced_at = None  # `announce_due` tells learners once the time comes
    return revision


def announce_due(now: datetime) -> list[Lesson]:
    """Lessons whose scheduled time has come (in the studio or in the course files) and that nobody
    announced yet: announce each once, and note it in the lesson's studio history."""
    announced = []
    for lesson, newest in db.session.execute(_due_statement(), {"now": now}).all():
        if not _claim_announcement(lesson, now):
            continue  # a sync running beside this announced it first
        db.session.add(
            LessonRevision(
                lesson_id=lesson.id,
                number=(newest or 0) + 1,
                lesson_revision=lesson.revision,
                author_id=None,
                created_at=now,
                status=RevisionStatus.WENT_LIVE,
                title=lesson.title,
                body_md=lesson.body_md,
                body_html=lesson.body_html,
                duration_seconds=lesson.duration_seconds,
                credit_minutes=lesson.credit_minutes_declared,
                preview=lesson.preview,
                publish_at=lesson.publish_at,
                note="Went live at its scheduled time",
            )
        )
        _tell_learners(lesson)
        announced.append(lesson)
    db.session.flush()
    return announced


def _check_schedule(was_live: bool, publish_at: datetime | None, now: datetime) -> None:
    if publish_at is None:
        return
    if was_live:
        raise PublishRefused(
            "publish_at",
            "This lesson is already live, so it cannot be scheduled: publish your changes now, or save "
            "them as a draft and publish later.",
        )
    if publish_at <= now:
        raise PublishRefused("publish_at", "Choose a time in the future, or publish now.")


def course_lessons(course: Course) -> list[Lesson]:
    """The course's current lessons in course order (the order credit is shared out in)."""
    return list(
        db.session.scalars(
            sa.select(Lesson)
            .join(Module, Lesson.module_id == Module.id)
            .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None), Module.retired_at.is_(None))
            .options(contains_eager(Lesson.module))  # the course revision's hash needs the modules
            .order_by(Module.position, Lesson.position)
        )
    )


def _credit_shares(
    course: Course, lessons: list[Lesson], lesson: Lesson, declared: int | None
) -> dict[int, int]:
    """Credit minutes per published lesson once this one is published, by the file format's rule."""
    published = [row for row in lessons if row.status == Status.PUBLISHED or row is lesson]
    explicit = [declared if row is lesson else row.credit_minutes_declared for row in published]
    total = course.total_credit_minutes
    try:
        shares = share_credit(total, explicit)
    except ValueError as exc:
        hours = format_hours(course.contact_hours)
        raise PublishRefused(
            "credit_minutes",
            f"The course's lessons would not add up: {exc}, but its {hours} contact hours need {total}. "
            "Leave credit minutes empty to share the remaining minutes, or change another lesson's.",
        ) from None
    return {row.id: minutes for row, minutes in zip(published, shares, strict=True)}


def _update_course(course: Course, lessons: list[Lesson], now: datetime) -> None:
    """The counts the catalogue shows, kept as sync keeps them; a new revision for the caches."""
    published = [row for row in lessons if row.status == Status.PUBLISHED]
    course.lesson_count = len(published)
    course.video_seconds = sum(row.duration_seconds or 0 for row in published)
    course.updated_at = now
    # Every worker caches the course structure by (course id, revision): a new revision is how the
    # others learn that a lesson changed; its CourseRevision row says what certificates were earned on.
    add_studio_revision(course, lessons, now)


def _claim_announcement(lesson: Lesson, now: datetime) -> bool:
    """Whether this transaction is the one that marks the lesson announced. On PostgreSQL a
    concurrent sync's uncommitted write makes this wait, then find the lesson taken."""
    claimed = db.session.execute(
        sa.update(Lesson)
        .where(Lesson.id == lesson.id, Lesson.announced_at.is_(None))
        .values(announced_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    set_committed_value(lesson, "announced_at", now)  # written by the UPDATE: no second one at flush
    return True


def _announce(lesson: Lesson, now: datetime) -> None:
    lesson.announced_at = now
    _tell_learners(lesson)


def _tell_learners(lesson: Lesson) -> None:
    signals.lesson_published.send(lesson, course_id=lesson.course_id, lesson_id=lesson.id)


def _due_statement() -> sa.Select:
    """(Lesson, its newest studio revision number or None) for each lesson awaiting announcement,
    the way Lesson.awaits_announcement reads it."""
    newest = (
        sa.select(LessonRevision.lesson_id, sa.func.max(LessonRevision.number).label("number"))
        .group_by(LessonRevision.lesson_id)
        .subquery()
    )
    return (
        sa.select(Lesson, newest.c.number)
        .join(Module, Lesson.module_id == Module.id)
        .outerjoin(newest, newest.c.lesson_id == Lesson.id)
        .where(Lesson.status == Status.PUBLISHED, Lesson.retired_at.is_(None), Module.retired_at.is_(None))
        .where(Lesson.announced_at.is_(None), Lesson.publish_at <= sa.bindparam("now"))
        .order_by(Lesson.id)
    )
