"""Course analytics for the studio: each chart is one aggregate statement over the course's records.

Lessons and where viewers stop share one statement (one pass over the progress rows).

The date range picks records by the date that matters for each chart: enrolments and completions
by their own dates, the funnel, lessons and video stops by the learners who enrolled in the range
(a cohort), attempts and evaluations by when they were submitted, payments by when they were paid.
Learners whose enrolment was revoked (a refund, a lost dispute) are left out, as on the studio home.

The database does the counting: no loop here reads more rows than there are months, lessons,
buckets or steps. Post-test items and the evaluation live in analytics_feedback.py; revenue in
analytics_revenue.py; the expressions SQLite and PostgreSQL write differently in analytics_sql.py;
the page's pictures and CSV tables in analytics_report.py.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from courseware.assessment.models import PostTestAttempt
from courseware.certificates.models import Certificate
from courseware.content.models import Course
from courseware.content.structure import course_structure
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress
from courseware.studio.analytics_period import Period
from courseware.studio.analytics_sql import bucket_of, month_of

BUCKETS = 10  # where viewers stop: tenths of the video


@dataclass(frozen=True)
class MonthRow:
    month: str  # "2026-03"
    enrolments: int
    completions: int


@dataclass(frozen=True)
class FunnelStep:
    label: str
    learners: int
    percent: int  # of enrolled


@dataclass(frozen=True)
class LessonRow:
    position: int
    title: str
    opened: int
    completed: int


@dataclass(frozen=True)
class VideoStops:
    title: str
    duration_seconds: int
    counts: tuple[int, ...]  # learners whose furthest watched second falls in each tenth

    @property
    def viewers(self) -> int:
        return sum(self.counts)

    @property
    def labels(self) -> list[str]:
        return bucket_labels(self.duration_seconds)


def enrolments_by_month(course: Course, period: Period) -> list[MonthRow]:
    """Enrolments and completions per month of the range, months without any included."""
    enrolled = _month_events(Enrolment.created_at, course, period, "enrolled")
    completed = _month_events(Enrolment.completed_at, course, period, "completed")
    events = sa.union_all(enrolled, completed).subquery()
    rows = db.session.execute(
        sa.select(
            events.c.month,
            sa.func.count().filter(events.c.kind == "enrolled"),
            sa.func.count().filter(events.c.kind == "completed"),
        ).group_by(events.c.month)
    ).all()
    counts = {month: (enrolments, completions) for month, enrolments, completions in rows}
    return [MonthRow(month, *counts.get(month, (0, 0))) for month in period.months()]


def funnel(course: Course, period: Period) -> list[FunnelStep]:
    """Enrolled → started → half the lessons → all lessons → post-test passed → certificate."""
    enrolment = Enrolment.id
    lessons = course.lesson_count
    started = sa.exists().where(LessonProgress.enrolment_id == enrolment)
    passed = sa.exists().where(PostTestAttempt.enrolment_id == enrolment, PostTestAttempt.passed.is_(True))
    certified = sa.exists().where(Certificate.enrolment_id == enrolment, Certificate.revoked_at.is_(None))
    all_lessons = sa.or_(Enrolment.completed_at.is_not(None), Enrolment.lessons_completed >= lessons)
    steps = {
        "Enrolled": sa.true(),
        "Started a lesson": started,
        "Completed half the lessons": sa.or_(all_lessons, Enrolment.lessons_completed * 2 >= lessons),
        "Completed every lesson": all_lessons,
        "Passed the post-test": passed,
        "Certificate issued": certified,
    }
    columns = [sa.func.count().filter(condition) for condition in steps.values()]
    counts = db.session.execute(sa.select(*columns).where(*_cohort(course, period))).one()
    enrolled = counts[0]
    return [
        FunnelStep(label, count, round(100 * count / enrolled) if enrolled else 0)
        for label, count in zip(steps, counts, strict=True)
    ]


@dataclass(frozen=True)
class LessonActivity:
    lessons: list[LessonRow]
    videos: list[VideoStops]


def lesson_activity(course: Course, period: Period, now: datetime) -> LessonActivity:
    """Drop-off per live lesson and, for its videos, where viewers stop: one pass over the progress rows.

    Grouped by lesson and by the tenth of the video holding each viewer's furthest watched second
    (`lesson_progress.furthest_seconds`, kept by the heartbeat), the rows give both charts: a
    lesson's opened and completed counts are the sums over its tenths.
    """
    live = [lesson for lesson, _module in course_structure(course).live(now)]
    opened: dict[int, list[int]] = {}
    stops: dict[int, list[int]] = {}
    for lesson_id, tenth, learners, completed in _activity_rows(course, period, live):  # ≤ 11 a lesson
        totals = opened.setdefault(lesson_id, [0, 0])
        totals[0], totals[1] = totals[0] + learners, totals[1] + completed
        if tenth is not None:  # None: never pressed play, or not a video
            stops.setdefault(lesson_id, [0] * BUCKETS)[min(int(tenth), BUCKETS - 1)] += learners
    lessons = [LessonRow(n, lesson.title, *opened.get(lesson.id, (0, 0))) for n, lesson in enumerate(live, 1)]
    videos = [
        VideoStops(lesson.title, lesson.duration_seconds, tuple(stops.get(lesson.id, [0] * BUCKETS)))
        for lesson in live
        if lesson.duration_seconds
    ]
    return LessonActivity(lessons, videos)


def bucket_labels(duration_seconds: int) -> list[str]:
    """'0–10 % (0:00–0:06)' for each tenth of a video."""
    labels = []
    for tenth in range(BUCKETS):
        start, end = duration_seconds * tenth // BUCKETS, duration_seconds * (tenth + 1) // BUCKETS
        labels.append(f"{tenth * 10}–{(tenth + 1) * 10} % ({_clock(start)}–{_clock(end)})")
    return labels


def _activity_rows(course: Course, period: Period, live: list) -> list[sa.Row]:
    """(lesson id, tenth or None, learners, completed) for the cohort's progress rows."""
    # The videos' durations come from the course structure (in memory), not from a join per row.
    durations = {lesson.id: lesson.duration_seconds for lesson in live if lesson.duration_seconds}
    duration = sa.case(durations, value=LessonProgress.lesson_id) if durations else sa.null()
    # The furthest second is kept on the row: reading it from the intervals' JSON cost 2-3 times more.
    tenth = bucket_of(db.session, LessonProgress.furthest_seconds, duration, BUCKETS)
    cohort = sa.select(Enrolment.id).where(*_cohort(course, period))
    return db.session.execute(
        sa.select(LessonProgress.lesson_id, tenth.label("tenth"), sa.func.count())
        .add_columns(sa.func.count(LessonProgress.completed_at))
        .where(LessonProgress.enrolment_id.in_(cohort))
        .group_by(LessonProgress.lesson_id, sa.literal_column("tenth"))
    ).all()


def _cohort(course: Course, period: Period) -> tuple:
    """The learners a chart looks at: current enrolments in the course that began in the range."""
    return (
        Enrolment.course_id == course.id,
        Enrolment.revoked_at.is_(None),
        Enrolment.created_at >= period.starts_at,
        Enrolment.created_at < period.ends_before,
    )


def _month_events(column, course: Course, period: Period, kind: str) -> sa.Select:
    return sa.select(month_of(db.session, column).label("month"), sa.literal(kind).label("kind")).where(
        Enrolment.course_id == course.id,
        Enrolment.revoked_at.is_(None),
        column >= period.starts_at,
        column < period.ends_before,
    )


def _clock(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}:{seconds:02d}"
