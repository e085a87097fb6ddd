"""A benchmark database shaped like production: one real-sized course and a crowd of learners.

The course has the shape of the largest real one (18 video lessons in 7 modules, sequential),
with 10-minute videos, a caption cue every 4 s for the interactive transcript and a few
kilobytes of lesson text, so the player renders what it renders for real. 200 other learners
have enrolments and progress rows spread through the course, so the indexed look-ups run
against tables that are not trivially small. The benchmark learners stand mid-course: lessons
before the benchmark lesson are complete, that lesson is open and partly watched.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from courseware.accounts.models import User
from courseware.content.models import Course, Lesson, Module, Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.formatting import transcript_html
from courseware.learning.models import Enrolment, EnrolmentSource, LessonProgress

COURSE_SLUG = "bench-integrated-services"
MODULE_SIZES = (3, 3, 3, 3, 2, 2, 2)  # 18 lessons in 7 modules
VIDEO_SECONDS = 600
CUE_SECONDS = 4  # 150 transcript cues per 10-minute video
CONTACT_HOURS = Decimal("6.75")
OTHER_LEARNERS = 200
BENCH_LESSON = 9  # mid-course: the outline shows done, current and locked lessons

_PARAGRAPH = (
    "<p>Integrated services bring occupational therapy to the places where students struggle: the desk "
    "during writing block, the carpet during morning meeting, the lunchroom and the hallway. Watch "
    "how the therapist joins the routine, grades the support and agrees with the teacher on who "
    "collects which data, so the strategy keeps working after the session ends.</p>"
)
_BODY_HTML = "".join(
    f"<h2>Part {part}</h2>{_PARAGRAPH * 2}<ul><li>Observe the routine</li><li>Name one barrier</li>"
    "<li>Agree on one support</li></ul>"
    for part in range(1, 5)
)


class DatabaseNotEmpty(RuntimeError):
    """--database-url points at a database with tables in it."""


@dataclass(frozen=True)
class Seeded:
    course_slug: str
    lesson_slug: str
    learner_ids: list[int]  # the benchmark learners, signed in by the load generator


def create_schema(allow_existing: bool) -> None:
    """Create the tables; refuse a database that already has some unless told to replace them.

    The guard is there because drop_all on a mistyped --database-url would destroy real data.
    """
    existing = sorted(sa.inspect(db.engine).get_table_names())
    if existing and not allow_existing:
        shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
        raise DatabaseNotEmpty(
            f"the database already has tables ({shown}). Give an empty, throwaway database, "
            "or --drop-existing to replace its tables."
        )
    db.drop_all()
    db.create_all()


def drop_schema() -> None:
    db.session.remove()
    db.drop_all()
    db.engine.dispose()


def seed(bench_learners: int) -> Seeded:
    """Fill the empty schema; call inside an app context."""
    rng = random.Random(7)  # the same data on every run
    password_hash = generate_password_hash("bench password, never used to log in")
    course, lessons = _course()
    for n in range(OTHER_LEARNERS):
        user = _user(f"learner{n}@example.com", f"Learner {n}", password_hash)
        _enrol(user, course, lessons, reached=rng.randint(1, len(lessons)))
    bench_users = [
        _user(f"bench{n}@example.com", f"Bench learner {n}", password_hash) for n in range(bench_learners)
    ]
    for user in bench_users:
        _enrol(user, course, lessons, reached=BENCH_LESSON)
    db.session.commit()
    return Seeded(course.slug, lessons[BENCH_LESSON - 1].slug, [user.id for user in bench_users])


def _course() -> tuple[Course, list[Lesson]]:
    lesson_count = sum(MODULE_SIZES)
    course = Course(
        slug=COURSE_SLUG,
        title="From Isolation to Integration (benchmark copy)",
        summary="Bring OT to your students instead of bringing students to OT.",
        instructor="Jennifer Huff, OTR, MOT",
        price_cents=17900,
        contact_hours=CONTACT_HOURS,
        level="Intermediate",
        category="Occupational Therapy Process",
        objectives=["Explain IDEA's least restrictive environment", "Embed strategies in routines"],
        approval={"aota": {"provider": "Jennifer Huff, LLC", "number": "0000"}},
        completion={"watch_percent": 90, "attestation": True},
        sequential=True,
        status=Status.PUBLISHED,
        lesson_count=lesson_count,
        video_seconds=VIDEO_SECONDS * lesson_count,
    )
    db.session.add(course)
    db.session.flush()  # Lesson has no relationship to Course, only the course_id column
    lessons: list[Lesson] = []
    credit = course.total_credit_minutes
    for module_number, size in enumerate(MODULE_SIZES, start=1):
        module = Module(
            course=course,
            slug=f"module-{module_number}",
            position=module_number,
            title=f"Module {module_number}: Working where students struggle",
        )
        db.session.add(module)
        for _ in range(size):
            position = len(lessons) + 1
            share = credit // lesson_count + (1 if position <= credit % lesson_count else 0)
            lessons.append(_lesson(course, module, position, share))
    db.session.add_all(lessons)
    db.session.flush()
    return course, lessons


def _lesson(course: Course, module: Module, position: int, credit_minutes: int) -> Lesson:
    transcript = [
        [float(start), float(start + CUE_SECONDS), f"At {start} s, what the therapist says and does here."]
        for start in range(0, VIDEO_SECONDS, CUE_SECONDS)
    ]
    return Lesson(
        course_id=course.id,
        module=module,
        slug=f"lesson-{position:02d}",
        position=position,
        title=f"Lesson {position}: Joining the classroom routine",
        video_path=f"media/lesson-{position:02d}.mp4",
        captions_path=f"media/lesson-{position:02d}.vtt",
        duration_seconds=VIDEO_SECONDS,
        credit_minutes=credit_minutes,
        body_html=_BODY_HTML,
        transcript=transcript,
        transcript_html=transcript_html(transcript),
    )


def _user(email: str, name: str, password_hash: str) -> User:
    user = User(email=email, password_hash=password_hash, display_name=name, email_verified_at=utcnow())
    db.session.add(user)
    return user


def _enrol(user: User, course: Course, lessons: list[Lesson], reached: int) -> None:
    """Lessons before `reached` complete, lesson `reached` open with its first 2 minutes watched."""
    now = utcnow()
    done = lessons[: reached - 1]
    enrolment = Enrolment(
        user=user,
        course=course,
        source=EnrolmentSource.PURCHASE,
        created_at=now - timedelta(days=30),
        last_activity_at=now - timedelta(hours=1),
        last_lesson=lessons[reached - 1],
        lessons_completed=len(done),
        credit_minutes_completed=sum(lesson.credit_minutes for lesson in done),
    )
    db.session.add(enrolment)
    for lesson in done:
        db.session.add(_progress(enrolment, lesson, [[0.0, float(VIDEO_SECONDS)]], completed_at=now))
    db.session.add(_progress(enrolment, lessons[reached - 1], [[0.0, 120.0]], completed_at=None))


def _progress(enrolment: Enrolment, lesson: Lesson, watched: list, completed_at) -> LessonProgress:
    seconds = sum(end - start for start, end in watched)
    return LessonProgress(
        enrolment=enrolment,
        lesson=lesson,
        watched_intervals=watched,
        watched_seconds=seconds,
        position_seconds=seconds,
        heartbeats=int(seconds // 15),
        completed_at=completed_at,
    )
