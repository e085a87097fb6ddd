"""Post-test attempts, attempt grants and course evaluations, from the stored facts. Services only flush.

What other packages call (the certificate page, the audit evidence):
    post_test_status(enrolment, course) -> PostTestStatus | None   # None: the course has no post-test
    evaluation_done(enrolment_id) -> bool
    find_evaluation(enrolment_id) -> EvaluationResponse | None
    attempts_for(enrolment_id) -> list[PostTestAttempt]
    grant_attempt(enrolment, granted_by_id, note, now) -> AttemptGrant
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from courseware.assessment import grading, signals
from courseware.assessment.models import AttemptGrant, EvaluationResponse, PostTestAttempt, record_answers
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning.models import Enrolment

DEFAULT_PASS_PERCENT = 80
DEFAULT_ATTEMPTS = 2


class AssessmentError(Exception):
    """The learner or author cannot do this now; the message says why."""


@dataclass
class PostTestStatus:
    """One learner's standing on a course's post-test (attempts in number order)."""

    passed: bool
    attempts_used: int
    attempts_allowed: int
    best_score: Decimal | None
    passed_attempt: PostTestAttempt | None
    can_start: bool  # from the attempts alone: the lessons requirement is the caller's to check
    open_attempt_number: int | None
    pass_percent: int = DEFAULT_PASS_PERCENT
    attempts: list[PostTestAttempt] = field(default_factory=list)

    @property
    def attempts_left(self) -> int:
        return max(0, self.attempts_allowed - self.attempts_used)

    @property
    def out_of_attempts(self) -> bool:
        return not self.passed and self.open_attempt_number is None and self.attempts_left == 0


def post_test_settings(course: Course) -> dict | None:
    """{"pass_percent", "attempts"} from course.md, defaults filled in; None: the course has no post-test."""
    settings = (course.completion or {}).get("post_test")
    if settings is None:
        return None
    return {
        "pass_percent": settings.get("pass_percent") or DEFAULT_PASS_PERCENT,
        "attempts": settings.get("attempts") or DEFAULT_ATTEMPTS,
    }


def post_test_status(enrolment: Enrolment, course: Course) -> PostTestStatus | None:
    """The learner's attempts and grants in one statement; None if the course has no post-test."""
    settings = post_test_settings(course)
    if settings is None:
        return None
    rows = db.session.execute(_status_statement(), {"enrolment_id": enrolment.id}).all()
    attempts = [row.PostTestAttempt for row in rows if row.PostTestAttempt is not None]
    grants = rows[0].grants if rows else 0
    submitted = [attempt for attempt in attempts if attempt.submitted_at is not None]
    passed_attempt = next((attempt for attempt in submitted if attempt.passed), None)
    open_attempt = next((attempt for attempt in attempts if attempt.submitted_at is None), None)
    allowed = settings["attempts"] + grants
    return PostTestStatus(
        passed=passed_attempt is not None,
        attempts_used=len(attempts),
        attempts_allowed=allowed,
        best_score=max((attempt.score_percent for attempt in submitted), default=None),
        passed_attempt=passed_attempt,
        can_start=passed_attempt is None and open_attempt is None and len(attempts) < allowed,
        open_attempt_number=open_attempt.number if open_attempt else None,
        pass_percent=settings["pass_percent"],
        attempts=attempts,
    )


def attempts_for(enrolment_id: int) -> list[PostTestAttempt]:
    """Every attempt of the enrolment with its paper and answers, first to last (the audit evidence)."""
    statement = (
        sa.select(PostTestAttempt)
        .where(PostTestAttempt.enrolment_id == enrolment_id)
        .order_by(PostTestAttempt.number)
    )
    return list(db.session.scalars(statement))


def find_attempt(enrolment_id: int, number: int) -> PostTestAttempt | None:
    """An attempt looked up through the learner's own enrolment: another learner's is simply not found."""
    return db.session.scalar(
        sa.select(PostTestAttempt).where(
            PostTestAttempt.enrolment_id == enrolment_id, PostTestAttempt.number == number
        )
    )


def start_attempt(
    enrolment: Enrolment, course: Course, status: PostTestStatus, now: datetime, seed: int | None = None
) -> PostTestAttempt:
    """The open attempt if there is one (a double click or the back button), else a new shuffled one.

    The caller has checked that every lesson is complete. `seed` shuffles the paper; tests pass one.
    """
    if status.open_attempt_number is not None:
        return _attempt(enrolment.id, status.open_attempt_number)
    if status.passed:
        raise AssessmentError("You have passed the post-test already.")
    if not status.can_start:
        raise AssessmentError(_NO_ATTEMPTS_LEFT)
    questions = (course.post_test or {}).get("questions") or []
    if not questions:
        raise AssessmentError("This course's post-test has no questions yet. Please try again later.")
    seed = secrets.randbits(64) if seed is None else seed
    attempt = PostTestAttempt(
        enrolment_id=enrolment.id, number=status.attempts_used + 1, course_revision=course.revision,
        paper=grading.make_paper(questions, seed), pass_percent=status.pass_percent, started_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # Another request started this number a moment ago: that attempt is the one.
        return _attempt(enrolment.id, attempt.number)
    return attempt


def submit_attempt(attempt: PostTestAttempt, answers: dict[str, list[int]], now: datetime) -> bool:
    """Grade and close the attempt; False if it was already submitted (nothing changes then).

    A guarded UPDATE, so two submissions racing each other grade the attempt once; only the one
    that closed it stores the answer rows the studio's item analysis counts.
    """
    result = grading.grade(attempt.paper, answers, attempt.pass_percent)
    updated = db.session.execute(
        sa.update(PostTestAttempt)
        .where(PostTestAttempt.id == attempt.id, PostTestAttempt.submitted_at.is_(None))
        .values(
            submitted_at=now, answers=answers, correct_count=result.correct_count,
            score_percent=result.score_percent, passed=result.passed,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if updated != 1:
        return False
    record_answers(db.session.connection(), attempt.id, attempt.enrolment_id, now, attempt.paper, answers)
    if result.passed:
        signals.post_test_passed.send(current_app._get_current_object(), enrolment_id=attempt.enrolment_id,
                                      now=now)
    return True


def grant_attempt(enrolment: Enrolment, granted_by_id: int | None, note: str, now: datetime) -> AttemptGrant:
    """The author allows the learner one more post-test attempt beyond the course's limit."""
    already_passed = db.session.scalar(
        sa.select(sa.exists().where(PostTestAttempt.enrolment_id == enrolment.id, PostTestAttempt.passed))
    )
    if already_passed:
        raise AssessmentError("This learner has passed the post-test already: no attempt is needed.")
    grant = AttemptGrant(enrolment_id=enrolment.id, granted_by_id=granted_by_id, granted_at=now,
                         note=(note or "").strip()[:500])
    db.session.add(grant)
    db.session.flush()
    return grant


def evaluation_done(enrolment_id: int) -> bool:
    """The learner has submitted the course evaluation (one statement)."""
    return bool(db.session.scalar(
        sa.select(sa.exists().where(EvaluationResponse.enrolment_id == enrolment_id))
    ))


def find_evaluation(enrolment_id: int) -> EvaluationResponse | None:
    """The learner's evaluation with the questions as asked and the answers, or None."""
    statement = sa.select(EvaluationResponse).where(EvaluationResponse.enrolment_id == enrolment_id)
    return db.session.scalar(statement)


def submit_evaluation(
    enrolment: Enrolment, course: Course, questions: list[dict], answers: dict, now: datetime
) -> EvaluationResponse | None:
    """Store the evaluation once per enrolment; None if one was stored already (nothing changes then)."""
    response = EvaluationResponse(
        enrolment_id=enrolment.id, course_revision=course.revision, questions=questions, answers=answers,
        submitted_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        return None
    signals.evaluation_submitted.send(current_app._get_current_object(), enrolment_id=enrolment.id, now=now)
    return response


_NO_ATTEMPTS_LEFT = (
    "You have used all your post-test attempts. Review the lessons; the instructor can allow another attempt."
)


def _attempt(enrolment_id: int, number: int) -> PostTestAttempt:
    attempt = find_attempt(enrolment_id, number)
    if attempt is None:  # only if the row vanished between two statements
        raise AssessmentError("The post-test attempt could not be opened. Please try again.")
    return attempt


@cache
def _status_statement() -> sa.Select:
    """The enrolment's attempts (without their papers) and its grant count; one row even with none."""
    grants = (
        sa.select(sa.func.count(AttemptGrant.id))
        .where(AttemptGrant.enrolment_id == Enrolment.id)
        .scalar_subquery()
    )
    return (
        sa.select(Enrolment.id, grants.label("grants"), PostTestAttempt)
        .select_from(Enrolment)
        .outerjoin(PostTestAttempt, PostTestAttempt.enrolment_id == Enrolment.id)
        .options(defer(PostTestAttempt.paper), defer(PostTestAttempt.answers))
        .where(Enrolment.id == sa.bindparam("enrolment_id"))
        .order_by(PostTestAttempt.number)
    )
