"""The main pages, signed out and signed in, and the data that makes them look lived-in.

The accessibility, layout and header tests all walk these lists; a new page is added here once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from courseware.accounts.models import Licence, User
from courseware.content.models import Course, Lesson, Module
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource, LessonProgress
from tests.browser.helpers import lesson_slugs

FREE_COURSE = "tips-for-collaboration"
PAID_COURSE = "from-isolation-to-integration"


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    status: int = 200


def signed_out_pages(app) -> list[MainPage]:
    preview = _preview_lesson(app, PAID_COURSE)
    return [
        MainPage("home", "/"),
        MainPage("catalogue", "/courses/"),
        MainPage("landing-free", f"/courses/{FREE_COURSE}"),
        MainPage("landing-paid", f"/courses/{PAID_COURSE}"),
        MainPage("preview-player", f"/learn/{PAID_COURSE}/{preview}"),
        MainPage("signup", "/auth/signup"),
        MainPage("login", "/auth/login"),
        MainPage("forgot-password", "/auth/forgot"),
        MainPage("not-found", "/courses/no-such-course", status=404),
        MainPage("verify-unknown", f"/verify/{'0' * 32}", status=404),
    ]


def signed_in_pages(app) -> list[MainPage]:
    lessons = [slug for slug, _title in lesson_slugs(app, FREE_COURSE)]
    return [
        MainPage("home-signed-in", "/"),
        MainPage("catalogue-signed-in", "/courses/"),
        MainPage("landing-enrolled", f"/courses/{FREE_COURSE}"),
        MainPage("dashboard", "/me/"),
        MainPage("course-home", f"/learn/{FREE_COURSE}/"),
        MainPage("player", f"/learn/{FREE_COURSE}/{lessons[1]}"),
        MainPage("player-with-handout", f"/learn/{FREE_COURSE}/{lessons[2]}"),
        # Lessons 2 and 3 are still to do: each step says so, with links to them.
        MainPage("certificate-steps", f"/learn/{FREE_COURSE}/certificate"),
        MainPage("post-test-locked", f"/learn/{FREE_COURSE}/post-test"),
        MainPage("evaluation-locked", f"/learn/{FREE_COURSE}/evaluation"),
        MainPage("transcript", "/me/transcript"),
        MainPage("profile", "/me/profile"),
        MainPage("change-password", "/me/password"),
        MainPage("login-signed-in", "/auth/login"),
        MainPage("notifications", "/me/notifications"),
        MainPage("notification-settings", "/me/notifications/settings"),
        MainPage("not-found-signed-in", "/me/no-such-page", status=404),
    ]


def author_pages(app) -> list[MainPage]:
    """The studio, as the author sees it (with `learner_with_progress` enrolled in the free course)."""
    with app.app_context():
        first = db.session.scalars(_lessons_in_order(FREE_COURSE)).first()
    studio = f"/studio/courses/{FREE_COURSE}"
    return [
        MainPage("studio", "/studio/"),
        MainPage("studio-lessons", f"{studio}/lessons"),
        MainPage("studio-new-course", "/studio/courses/new"),
        MainPage("studio-course-settings", f"{studio}/settings"),
        MainPage("studio-new-module", f"{studio}/modules/new"),
        MainPage("studio-edit-module", f"{studio}/modules/{first.module_id}/edit"),
        MainPage("studio-editor", f"{studio}/lessons/{first.id}/edit"),
        MainPage("studio-lesson-history", f"{studio}/lessons/{first.id}/revisions"),
        MainPage("studio-post-test", f"{studio}/post-test"),
        MainPage("studio-evaluation", f"{studio}/evaluation"),
        MainPage("studio-lesson-media", f"{studio}/lessons/{first.id}/media"),
        MainPage("studio-learners", f"{studio}/learners"),
        MainPage("studio-announcement", f"{studio}/announcement"),
        MainPage("studio-analytics", f"{studio}/analytics"),
        MainPage("studio-revenue", "/studio/analytics/revenue"),
        MainPage("studio-certificates", "/studio/certificates"),
        MainPage("studio-seats", "/studio/seats"),
        MainPage("studio-subscribers", "/studio/subscribers"),
    ]


def seed_learner_progress(app, user: User) -> None:
    """`user` has a licence, is enrolled in the free course and has finished its first lesson."""
    now = utcnow()
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == FREE_COURSE))
        first = db.session.scalars(_lessons_in_order(course.slug)).first()
        enrolment = Enrolment(
            user_id=user.id, course_id=course.id, source=EnrolmentSource.FREE, created_at=now,
            last_activity_at=now, last_lesson_id=first.id, lessons_completed=1,
            credit_minutes_completed=first.credit_minutes,
        )
        db.session.add(enrolment)
        db.session.flush()
        db.session.add_all([
            LessonProgress(
                enrolment_id=enrolment.id, lesson_id=first.id, completed_at=now, clock_at=now,
                watched_intervals=[[0.0, float(first.duration_seconds)]],
                watched_seconds=float(first.duration_seconds), position_seconds=0.0,
            ),
            Licence(
                user_id=user.id, state="TX", profession="OT", number="1234567",
                renewal_date=date.today() + timedelta(days=200),
            ),
        ])
        db.session.commit()


def _lessons_in_order(course_slug: str):
    return (
        sa.select(Lesson)
        .join(Course, Lesson.course_id == Course.id)
        .join(Module, Lesson.module_id == Module.id)
        .where(Course.slug == course_slug, Lesson.retired_at.is_(None))
        .order_by(Module.position, Lesson.position)
    )


def _preview_lesson(app, course_slug: str) -> str:
    with app.app_context():
        return db.session.scalars(_lessons_in_order(course_slug).where(Lesson.preview.is_(True))).first().slug
