from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from courseware.accounts.models import User
from courseware.content.models import Course, Lesson
from courseware.db import utcnow
from courseware.extensions import db


class EnrolmentSource(StrEnum):
    FREE = "free"
    GRANT = "grant"
    PURCHASE = "purchase"
    SEAT = "seat"  # a district's seat code


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="RESTRICT"), index=True)
    source: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime | None]
    last_lesson_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lessons.id", ondelete="SET NULL"))
    # Kept on the row so the dashboard and course home never count per view.
    lessons_completed: Mapped[int] = mapped_column(default=0)
    credit_minutes_completed: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None]
    # A refunded or disputed purchase ends access; the row and its evidence stay (DESIGN §5: records
    # are kept), and a new purchase or grant reinstates it.
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(200))

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    last_lesson: Mapped[Lesson | None] = relationship()


class LessonProgress(db.Model):
    """What the server has seen of one learner in one lesson: the audit evidence behind credit."""

    __tablename__ = "lesson_progress"
    # No index holds furthest_seconds: the heartbeat changes it every time, and an indexed column
    # would cost PostgreSQL its HOT updates on the busiest write there is (bench/README.md).
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (enrolment_id, lesson_id) index leads with it, and one index
    # fewer is one write fewer on every heartbeat.
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="RESTRICT"), index=True)
    lesson_revision: Mapped[int] = mapped_column(default=1)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    # The union of watched media intervals, [[start_s, end_s], ...], sorted and disjoint.
    watched_intervals: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The end of the last watched interval (the furthest second seen), None before any: kept with
    # the intervals so analytics never reads their JSON (see furthest_second).
    furthest_seconds: Mapped[float | None]
    watched_seconds: Mapped[float] = mapped_column(default=0.0)
    position_seconds: Mapped[float] = mapped_column(default=0.0)
    # The watch-time budget clock: the page render or the last accepted heartbeat.
    clock_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeats: Mapped[int] = mapped_column(default=0)
    last_heartbeat_at: Mapped[datetime | None]
    # Optimistic lock: two heartbeats racing on one row cannot both spend the same budget.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    enrolment: Mapped[Enrolment] = relationship()
    lesson: Mapped[Lesson] = relationship()

    @validates("watched_intervals")
    def _keep_furthest_second(self, _key: str, intervals: list) -> list:
        # Any writer through the ORM keeps the column in step; Core writers (the heartbeat) set both.
        self.furthest_seconds = furthest_second(intervals)
        return intervals


def furthest_second(intervals: list) -> float | None:
    """The furthest second watched: the end of the last interval, as the union is sorted and disjoint."""
    return float(intervals[-1][1]) if intervals else None
