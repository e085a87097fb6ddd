"""Comp grants: the author gives one learner the course (studio or `flask learners grant`)."""

from datetime import datetime

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.accounts.services import normalize_email
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning import services as learning
from courseware.learning.models import EnrolmentSource


class NoSuchLearner(LookupError):
    """No account has this email yet."""


def comp(email: str, course: Course, now: datetime) -> tuple[Course, bool]:
    """Enrol the account with this email; (course, created). Raises NoSuchLearner."""
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NoSuchLearner(
            "No account has this email yet. Ask the learner to sign up first, then grant the course."
        )
    _enrolment, created = learning.enrol(user.id, course, EnrolmentSource.GRANT, now)
    return course, created


def course_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(Course.slug, Course.title).order_by(Course.title))
    return [(row.slug, row.title) for row in rows]


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))
