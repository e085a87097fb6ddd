"""The studio home: every course with the numbers an author looks at first."""

from dataclasses import dataclass

import sqlalchemy as sa

from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning.models import Enrolment


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    learners: int  # current enrolments (revoked ones are not counted)
    completed: int


def course_summaries() -> list[CourseSummary]:
    """Every course, published or not, with its learner and completion counts: one aggregate query."""
    active = Enrolment.revoked_at.is_(None)
    learners = sa.func.count(Enrolment.id).filter(active)
    completed = sa.func.count(Enrolment.completed_at).filter(active)
    rows = db.session.execute(
        sa.select(Course, learners, completed)
        .outerjoin(Enrolment, Enrolment.course_id == Course.id)
        .group_by(Course.id)
        .order_by(Course.title)
    ).all()
    return [CourseSummary(course, learners_, completed_) for course, learners_, completed_ in rows]
