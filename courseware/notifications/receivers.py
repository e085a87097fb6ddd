"""What the notifications package does when other packages announce something."""

import sqlalchemy as sa
from flask import url_for

from courseware.content.models import Course
from courseware.content.signals import lesson_published
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.notifications import inbox
from courseware.notifications.models import NotificationKind


@lesson_published.connect
def announce_new_lesson(lesson, course_id: int, lesson_id: int, **_kwargs) -> None:
    """Every learner with access to the course hears of its new lesson, under the bell and by the
    email they chose; in the publishing transaction, so an unpublished lesson is never announced."""
    course = db.session.get(Course, course_id)
    learners = db.session.scalars(
        sa.select(Enrolment.user_id).where(Enrolment.course_id == course_id, Enrolment.revoked_at.is_(None))
    )
    event = inbox.Event(
        title=lesson.title, excerpt=f"A new lesson in {course.title}.", actor_name=course.instructor,
        # A path, whether a request, cron or a sync of the course files published the lesson.
        path=url_for("learning.lesson", slug=course.slug, lesson_slug=lesson.slug, _external=False),
        course_id=course.id,
    )
    inbox.notify(event, dict.fromkeys(learners, NotificationKind.NEW_LESSON), utcnow())
