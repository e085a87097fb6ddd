"""The catalogue: live courses, a page at a time, and which of them a learner is enrolled in."""

from datetime import datetime

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import defer

from courseware.content.models import Course, Status
from courseware.extensions import db
from courseware.learning.models import Enrolment

COURSES_PER_PAGE = 24


def live_courses(now: datetime, page: int = 1, per_page: int = COURSES_PER_PAGE) -> Pagination:
    """Published courses, paid before free then by title. Two statements: the page and the count."""
    query = (
        sa.select(Course)
        .options(
            defer(Course.description_md), defer(Course.description_html),
            defer(Course.post_test), defer(Course.evaluation),
        )
        .where(Course.status == Status.PUBLISHED)
        .where(sa.or_(Course.publish_at.is_(None), Course.publish_at <= now))
        .order_by(Course.price_cents.desc(), Course.title, Course.id)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=per_page)


def enrolled_course_ids(user_id: int | None, courses: list[Course]) -> set[int]:
    """Which of these courses the learner is enrolled in (not all their enrolments: the page's)."""
    if user_id is None or not courses:
        return set()
    ids = [course.id for course in courses]
    query = sa.select(Enrolment.course_id).where(
        Enrolment.user_id == user_id, Enrolment.course_id.in_(ids), Enrolment.revoked_at.is_(None)
    )
    return set(db.session.scalars(query))
