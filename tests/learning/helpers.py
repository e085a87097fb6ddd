from datetime import timedelta

import sqlalchemy as sa

from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress


def progress_row(app, user, lesson) -> LessonProgress | None:
    with app.app_context():
        row = db.session.scalar(
            sa.select(LessonProgress)
            .join(Enrolment)
            .where(Enrolment.user_id == user.id, LessonProgress.lesson_id == lesson.id)
        )
        if row is not None:
            db.session.expunge(row)
        return row


def enrolment_row(app, user, course) -> Enrolment:
    with app.app_context():
        row = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
        )
        db.session.expunge(row)
        return row


def wind_back_clock(app, user, lesson, seconds: float) -> None:
    """As if the lesson page (or the last heartbeat) had been `seconds` ago."""
    with app.app_context():
        row = db.session.scalar(
            sa.select(LessonProgress)
            .join(Enrolment)
            .where(Enrolment.user_id == user.id, LessonProgress.lesson_id == lesson.id)
        )
        row.clock_at = row.clock_at - timedelta(seconds=seconds)
        db.session.commit()
