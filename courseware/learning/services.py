"""Enrolments, the course outline with each learner's progress, and opening lessons."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from courseware.content.models import Course, Lesson
from courseware.content.structure import LessonEntry, ModuleEntry, course_structure
from courseware.db import insert_ignoring_duplicates
from courseware.extensions import db
from courseware.learning import signals
from courseware.learning.models import Enrolment, EnrolmentSource, LessonProgress


class EnrolmentError(Exception):
    """The learner cannot enrol this way; the message says why."""


# Reopening the lesson they are on within this time does not rewrite the learner's enrolment:
# "last activity" is shown to the minute at most, and a reload is the commonest page view.
ACTIVITY_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class LessonState:
    """One learner's progress in one lesson, as the pages show it."""

    completed_at: datetime | None = None
    position_seconds: float = 0.0
    watched_seconds: float = 0.0


@dataclass
class OutlineModule:
    module: ModuleEntry
    lessons: list[LessonEntry] = field(default_factory=list)


@dataclass
class Outline:
    """A course's live lessons in order, and one learner's progress through them."""

    modules: list[OutlineModule]
    lessons: list[LessonEntry]
    progress: dict[int, LessonState]
    sequential: bool
    _positions: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._positions = {lesson.id: index for index, lesson in enumerate(self.lessons)}

    def is_done(self, lesson: LessonEntry) -> bool:
        row = self.progress.get(lesson.id)
        return row is not None and row.completed_at is not None

    def blocker(self, lesson: LessonEntry) -> LessonEntry | None:
        """In a sequential course, the earlier lesson that must be completed first."""
        if not self.sequential or lesson.preview:
            return None
        index = self._positions[lesson.id]
        previous = self.lessons[index - 1] if index > 0 else None
        return previous if previous is not None and not self.is_done(previous) else None

    def neighbours(self, lesson: LessonEntry) -> tuple[LessonEntry | None, LessonEntry | None]:
        index = self._positions[lesson.id]
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following

    def find(self, slug: str) -> LessonEntry | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def resume_lesson(self, last_lesson_id: int | None) -> LessonEntry | None:
        """Where "continue" goes: the last lesson opened if unfinished, else the next unfinished one."""
        start = 0
        for index, lesson in enumerate(self.lessons):
            if lesson.id == last_lesson_id:
                start = index
        later = [lesson for lesson in self.lessons[start:] if not self.is_done(lesson)]
        earlier = [lesson for lesson in self.lessons[:start] if not self.is_done(lesson)]
        return (later or earlier or [None])[0]


def find_live_course(slug: str, now: datetime) -> Course | None:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    return course if course is not None and course.is_live(now) else None


def find_course_and_enrolment(slug: str, user_id: int | None, now: datetime):
    """(course, enrolment or None) in one statement, or (None, None) if the course is not live.

    An enrolled learner keeps a course the author has since unpublished: she paid for it or was
    given it, and her progress and certificate live there."""
    params = {"slug": slug, "user_id": user_id or -1}
    row = db.session.execute(_course_and_enrolment_statement(), params).one_or_none()
    if row is None or not (row.Course.is_live(now) or row.Enrolment is not None):
        return None, None
    return row.Course, row.Enrolment


def load_outline(course: Course, enrolment: Enrolment | None, now: datetime) -> Outline:
    """The live lessons (from the course structure in memory) and one statement for progress."""
    modules: dict[int, OutlineModule] = {}
    lessons = []
    for lesson, module in course_structure(course).live(now):
        modules.setdefault(module.id, OutlineModule(module)).lessons.append(lesson)
        lessons.append(lesson)
    return Outline(list(modules.values()), lessons, _progress_rows(enrolment), course.sequential)


@cache
def _course_and_enrolment_statement() -> sa.Select:
    # The large columns (landing text, post-test, evaluation) load only on the pages that show them.
    return (
        sa.select(Course, Enrolment)
        .options(
            defer(Course.description_md), defer(Course.description_html),
            defer(Course.post_test), defer(Course.evaluation),
        )
        .outerjoin(
            Enrolment,
            sa.and_(
                Enrolment.course_id == Course.id, Enrolment.user_id == sa.bindparam("user_id"),
                Enrolment.revoked_at.is_(None),  # a refunded purchase no longer opens the course
            ),
        )
        .where(Course.slug == sa.bindparam("slug"))
    )


def _progress_rows(enrolment: Enrolment | None) -> dict[int, LessonState]:
    if enrolment is None:
        return {}
    rows = db.session.execute(_progress_statement(), {"enrolment_id": enrolment.id})
    return {
        row.lesson_id: LessonState(row.completed_at, row.position_seconds, row.watched_seconds)
        for row in rows
    }


@cache
def _progress_statement() -> sa.Select:
    """Plain values, not ORM objects: pages only read them, and a course has dozens."""
    return sa.select(
        LessonProgress.lesson_id, LessonProgress.completed_at,
        LessonProgress.position_seconds, LessonProgress.watched_seconds,
    ).where(LessonProgress.enrolment_id == sa.bindparam("enrolment_id"))


def enrol(user_id: int, course: Course, source: str, now: datetime) -> tuple[Enrolment, bool]:
    """Enrol the user, or return the enrolment they already have. (enrolment, created).

    A revoked enrolment (a refund) is reinstated by a new purchase or grant, with its progress.
    """
    if source == EnrolmentSource.FREE and not course.is_free:
        raise EnrolmentError("This course is not free.")
    existing = _enrolment(user_id, course.id)
    if existing is not None and existing.revoked_at is not None:
        existing.revoked_at = existing.revoked_reason = None
        existing.source = source
        return existing, True
    if existing is not None:
        return existing, False
    enrolment = Enrolment(user_id=user_id, course_id=course.id, source=source, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:
        # A double click raced us to it; the other request's enrolment is the one.
        return _enrolment(user_id, course.id), False
    return enrolment, True


def _enrolment(user_id: int, course_id: int) -> Enrolment | None:
    return db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )


def open_lesson(
    enrolment: Enrolment, lesson: LessonEntry, progress: LessonState | None, now: datetime
) -> LessonState:
    """The learner opened a lesson page: start its watch-time clock and remember where they are.

    Two tabs or a double reload may open the same lesson at once. Restarting the clock is a plain
    UPDATE outside the heartbeat's version check, and a first opening that loses the race to create
    the row keeps the row the other request made.
    """
    if progress is None:
        insert_ignoring_duplicates(db.session, LessonProgress, dict(
            enrolment_id=enrolment.id, lesson_id=lesson.id, lesson_revision=lesson.revision,
            opened_at=now, clock_at=now, watched_intervals=[], watched_seconds=0.0,
            position_seconds=0.0, heartbeats=0, version=1,
        ))
        progress = LessonState()
    else:
        params = {"enrolment": enrolment.id, "lesson": lesson.id, "now": now}
        db.session.execute(_restart_clock_statement(), params)
    if enrolment.last_lesson_id != lesson.id or not _recent(enrolment.last_activity_at, now):
        enrolment.last_lesson_id = lesson.id
        enrolment.last_activity_at = now
    return progress


def _recent(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and now - moment < ACTIVITY_RESOLUTION


@cache
def _restart_clock_statement() -> sa.Update:
    return (
        sa.update(LessonProgress)
        .where(LessonProgress.enrolment_id == sa.bindparam("enrolment"))
        .where(LessonProgress.lesson_id == sa.bindparam("lesson"))
        .values(clock_at=sa.bindparam("now"))
        .execution_options(synchronize_session=False)
    )


def mark_reading_done(
    enrolment: Enrolment, lesson: LessonEntry, progress: LessonState | None, lesson_count: int, now: datetime
) -> None:
    """A reading lesson is complete when the learner, having opened it, marks it done.

    The update only matches a row not yet complete, so a double click counts the lesson once.
    """
    if lesson.has_video:
        raise EnrolmentError("This lesson completes when you have watched enough of the video.")
    if progress is None:
        raise EnrolmentError("Open the lesson before marking it as done.")
    completed = db.session.execute(
        sa.update(LessonProgress)
        .where(LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id)
        .where(LessonProgress.completed_at.is_(None))
        .values(completed_at=now, version=LessonProgress.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if completed:
        count_completion(enrolment.id, lesson.credit_minutes, lesson_count, now)


def count_completion(enrolment_id: int, credit_minutes: int, lesson_count: int, now: datetime) -> None:
    """A lesson was completed: keep the enrolment's counters (shown on every progress bar) in step.

    When that was the course's last lesson, `lessons_completed` is announced: the certificate may
    now be due (the listener checks every requirement from the stored facts, not from this count).
    """
    completed = db.session.execute(
        sa.update(Enrolment)
        .where(Enrolment.id == enrolment_id)
        .values(
            lessons_completed=Enrolment.lessons_completed + 1,
            credit_minutes_completed=Enrolment.credit_minutes_completed + credit_minutes,
            last_activity_at=now,
        )
        .returning(Enrolment.lessons_completed)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if completed >= lesson_count:
        signals.lessons_completed.send(enrolment_id=enrolment_id, now=now)


def revoke_enrolment(enrolment: Enrolment, reason: str, now: datetime) -> None:
    """End the learner's access (a refund, a lost dispute); progress and evidence are kept."""
    if enrolment.revoked_at is None:
        enrolment.revoked_at = now
        enrolment.revoked_reason = reason
        signals.enrolment_revoked.send(user_id=enrolment.user_id, course_id=enrolment.course_id)


ENROLMENTS_PER_PAGE = 12


def dashboard_enrolments(user_id: int, page: int = 1, per_page: int = ENROLMENTS_PER_PAGE) -> Pagination:
    """The learner's enrolments with their course and last lesson, most recent activity first."""
    query = (
        sa.select(Enrolment)
        .join(Enrolment.course)
        .outerjoin(Enrolment.last_lesson)
        .options(
            sa.orm.contains_eager(Enrolment.course)
            .defer(Course.description_md)
            .defer(Course.description_html)
            .defer(Course.post_test)
            .defer(Course.evaluation),
            sa.orm.contains_eager(Enrolment.last_lesson).load_only(Lesson.slug, Lesson.title),
        )
        .where(Enrolment.user_id == user_id, Enrolment.revoked_at.is_(None))
        .order_by(sa.func.coalesce(Enrolment.last_activity_at, Enrolment.created_at).desc(), Enrolment.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=per_page)
