"""Recording a heartbeat from the player: one read and one write (DESIGN §5, §7)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.accounts.services import load_user_by_session_token
from courseware.content.models import Course, Lesson, Status
from courseware.extensions import db
from courseware.learning import watchtime
from courseware.learning.models import Enrolment, LessonProgress
from courseware.learning.services import complete_lesson
from courseware.learning.watchtime import HeartbeatError


class ProgressNotFound(LookupError):
    """No open lesson of this learner matches; the client gets a 404."""


class SessionEnded(LookupError):
    """The session's user token no longer belongs to anyone (logged out everywhere): a 401."""


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
    """Check and record one heartbeat of the learner whose session carries `session_token`.

    The heartbeat is the busiest request there is, so it authenticates inside its single read (the
    user's session token joined to the progress row) instead of loading the user first: one read,
    one write, and a second write on the heartbeat that completes the lesson.
    """
    row = _load(session_token, course_slug, lesson_slug, now)
    progress: LessonProgress = row.LessonProgress
    duration = float(row.duration_seconds)
    heartbeat = watchtime.parse_heartbeat(payload, duration, rules.max_intervals)
    elapsed = (now - progress.clock_at).total_seconds()
    watchtime.check_budget(
        heartbeat.intervals, watchtime.budget_seconds(elapsed, rules.top_rate, rules.allowance_seconds)
    )
    state = watchtime.apply_heartbeat(progress.watched_intervals, heartbeat.intervals, duration)
    progress.clock_at = now
    if heartbeat.intervals:
        progress.watched_intervals = [list(interval) for interval in state.intervals]
        progress.watched_seconds = state.watched_seconds
    progress.position_seconds = heartbeat.position
    progress.heartbeats += 1
    progress.last_heartbeat_at = now
    complete = progress.completed_at is not None
    if not complete and state.percent >= row.watch_percent:
        complete_lesson(row.enrolment_id, row.credit_minutes, progress, now)
        complete = True
    return HeartbeatResult(state.watched_seconds, duration, state.percent, complete)


def _load(session_token: str, course_slug: str, lesson_slug: str, now: datetime):
    """The learner's progress row for a live video lesson with the few lesson facts needed."""
    row = db.session.execute(
        sa.select(
            LessonProgress,
            Lesson.duration_seconds,
            Lesson.credit_minutes,
            Course.watch_percent,
            Enrolment.id.label("enrolment_id"),
        )
        .join(Enrolment, LessonProgress.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .join(Lesson, LessonProgress.lesson_id == Lesson.id)
        .join(Course, Lesson.course_id == Course.id)
        .where(User.session_token == session_token, Course.slug == course_slug, Lesson.slug == lesson_slug)
        .where(Course.status == Status.PUBLISHED, Lesson.status == Status.PUBLISHED)
        .where(Lesson.retired_at.is_(None))
        .where(sa.or_(Course.publish_at.is_(None), Course.publish_at <= now))
        .where(sa.or_(Lesson.publish_at.is_(None), Lesson.publish_at <= now))
    ).one_or_none()
    if row is None:
        if load_user_by_session_token(session_token) is None:
            raise SessionEnded("Your session has ended. Log in again to keep recording your progress.")
        raise ProgressNotFound("No lesson of yours matches. Open the lesson page first.")
    if row.duration_seconds is None:
        raise HeartbeatError("This lesson has no video; mark it as done instead.")
    return row
