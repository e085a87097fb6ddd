"""Recording a heartbeat from the player: one read and one write (DESIGN §5, §7).

The heartbeat is the busiest request there is (every learner, every ten seconds), so it works in
SQLAlchemy Core with statements built once: one SELECT that also authenticates the session's user
token, one UPDATE guarded by the row's version, and a second UPDATE only on the heartbeat that
completes the lesson.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.accounts.services import load_user_by_session_token
from courseware.content.models import Course, Lesson, Status
from courseware.extensions import db
from courseware.learning import watchtime
from courseware.learning.models import Enrolment, LessonProgress, furthest_second
from courseware.learning.services import count_completion
from courseware.learning.watchtime import HeartbeatError


class ProgressNotFound(LookupError):
    """No open lesson of this learner matches; the client gets a 404."""


class SessionEnded(LookupError):
    """The session's user token no longer belongs to anyone (logged out everywhere): a 401."""


class ConcurrentUpdate(RuntimeError):
    """Another heartbeat changed the row between our read and our write: the client sends again."""


@dataclass(frozen=True)
class WatchRules:
    top_rate: float
    allowance_seconds: float
    max_intervals: int


@dataclass(frozen=True)
class HeartbeatResult:
    watched_seconds: float
    duration: float
    percent: float
    complete: bool

    def as_json(self) -> dict:
        return {
            "watched_seconds": round(self.watched_seconds, 1),
            "duration": self.duration,
            "percent": round(self.percent, 1),
            "complete": self.complete,
        }


def record_heartbeat(
    session_token: str, course_slug: str, lesson_slug: str, payload: object, now: datetime, rules: WatchRules
) -> HeartbeatResult:
    """Check one heartbeat of the learner whose session carries `session_token`, and record it."""
    row = _load(session_token, course_slug, lesson_slug, now)
    duration = float(row.duration_seconds)
    heartbeat = watchtime.parse_heartbeat(payload, duration, rules.max_intervals)
    elapsed = (now - row.clock_at).total_seconds()
    budget = watchtime.budget_seconds(elapsed, rules.top_rate, rules.allowance_seconds)
    watchtime.check_budget(heartbeat.intervals, budget)
    state = watchtime.apply_heartbeat(row.watched_intervals, heartbeat.intervals, duration)
    completes_now = row.completed_at is None and state.percent >= row.watch_percent
    _write(row, state, heartbeat.position, now)
    if completes_now:
        count_completion(row.enrolment_id, row.credit_minutes, row.lesson_count, now)
    complete = row.completed_at is not None or completes_now
    return HeartbeatResult(state.watched_seconds, duration, state.percent, complete)


def _load(session_token: str, course_slug: str, lesson_slug: str, now: datetime) -> sa.Row:
    params = {"token": session_token, "course": course_slug, "lesson": lesson_slug, "now": now}
    row = _connection().execute(_load_statement(), params).one_or_none()
    if row is None:
        if load_user_by_session_token(session_token) is None:
            raise SessionEnded("Your session has ended. Log in again to keep recording your progress.")
        raise ProgressNotFound("No lesson of yours matches. Open the lesson page first.")
    if row.duration_seconds is None:
        raise HeartbeatError("This lesson has no video; mark it as done instead.")
    return row


def _write(row: sa.Row, state: watchtime.WatchState, position: float, now: datetime) -> None:
    params = {
        "progress_id": row.id,
        "version": row.version,
        "now": now,
        "position": position,
        "intervals": [list(interval) for interval in state.intervals],
        "furthest": furthest_second(state.intervals),
        "watched": state.watched_seconds,
        "completed": now if state.percent >= row.watch_percent else None,
    }
    if _connection().execute(_write_statement(), params).rowcount != 1:
        raise ConcurrentUpdate("Another update to this lesson arrived at the same moment. Send it again.")


def _connection() -> sa.Connection:
    """The session's connection, in its transaction, without the ORM's per-statement layer."""
    return db.session.connection()


@cache
def _write_statement() -> sa.Update:
    """Record the heartbeat unless another one changed the row since we read it (its version)."""
    return (
        sa.update(LessonProgress)
        .where(LessonProgress.id == sa.bindparam("progress_id"))
        .where(LessonProgress.version == sa.bindparam("version"))
        .values(
            clock_at=sa.bindparam("now"),
            last_heartbeat_at=sa.bindparam("now"),
            position_seconds=sa.bindparam("position"),
            watched_intervals=sa.bindparam("intervals"),
            furthest_seconds=sa.bindparam("furthest"),
            watched_seconds=sa.bindparam("watched"),
            # The first completion stands: a later heartbeat never moves the date.
            completed_at=sa.func.coalesce(LessonProgress.completed_at, sa.bindparam("completed")),
            heartbeats=LessonProgress.heartbeats + 1,
            version=LessonProgress.version + 1,
        )
        .execution_options(synchronize_session=False)
    )


@cache
def _load_statement() -> sa.Select:
    """The learner's progress row in a live video lesson, with the few lesson facts needed."""
    now = sa.bindparam("now", type_=LessonProgress.clock_at.type)
    return (
        sa.select(
            LessonProgress.id,
            LessonProgress.version,
            LessonProgress.clock_at,
            LessonProgress.completed_at,
            LessonProgress.watched_intervals,
            Lesson.duration_seconds,
            Lesson.credit_minutes,
            Course.watch_percent,
            Course.lesson_count,
            Enrolment.id.label("enrolment_id"),
        )
        .join(Enrolment, LessonProgress.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .join(Lesson, LessonProgress.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(User.session_token == sa.bindparam("token"), Enrolment.revoked_at.is_(None))
        .where(Course.slug == sa.bindparam("course"), Lesson.slug == sa.bindparam("lesson"))
        # Only the lesson must be live: an enrolled learner keeps a course its author has since
        # unpublished (learning.services.find_course_and_enrolment).
        .where(Lesson.status == Status.PUBLISHED, Lesson.retired_at.is_(None))
        .where(sa.or_(Lesson.publish_at.is_(None), Lesson.publish_at <= now))
    )
