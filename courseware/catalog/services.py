"""The catalogue: live courses and which of them a learner is already enrolled in."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import defer

from courseware.content.models import Course, Status
from courseware.extensions import db
from courseware.learning.models import Enrolment


def live_courses(now: datetime) -> list[Course]:
    return list(
        db.session.scalars(
            sa.select(Course)
            .options(
                defer(Course.description_md), defer(Course.description_html),
                defer(Course.post_test), defer(Course.evaluation),
            )
            .where(Course.status == Status.PUBLISHED)
            .where(sa.or_(Course.publish_at.is_(None), Course.publish_at <= now))
            .order_by(Course.price_cents.desc(), Course.title)
        )
    )


def enrolled_course_ids(user_id: int | None) -> set[int]:
    if user_id is None:
        return set()
    return set(db.session.scalars(sa.select(Enrolment.course_id).where(Enrolment.user_id == user_id)))
