"""Building the stored facts a certificate is decided from: completed lessons, attempts, evaluations."""

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from courseware.assessment.models import EvaluationResponse, PostTestAttempt
from courseware.certificates.models import Certificate
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress

POST_TEST = {
    "questions": [
        {"prompt": "Pick A", "choices": ["A", "B"], "answer": [0], "multiple": False, "explanation": "A."},
        {"prompt": "Pick B", "choices": ["A", "B"], "answer": [1], "multiple": False, "explanation": "B."},
    ]
}
FULL_COMPLETION = {
    "watch_percent": 90,
    "post_test": {"pass_percent": 80, "attempts": 2},
    "evaluation": True,
    "attestation": True,
}
AOTA = {"aota": {"provider": "Jennifer Huff, LLC", "number": "12345"}}


def full_course(make, lessons: int = 2, **fields):
    """A course that sets every requirement: lessons, post-test, evaluation and attestation."""
    defaults = dict(completion=FULL_COMPLETION, post_test=POST_TEST, contact_hours=Decimal("6.75"),
                    approval=AOTA, level="Intermediate", category="Occupational Therapy Process")
    return make.course(lessons=lessons, **{**defaults, **fields})


def complete_lessons(app, enrolment, lessons) -> None:
    now = utcnow()
    with app.app_context():
        for lesson in lessons:
            db.session.add(LessonProgress(
                enrolment_id=enrolment.id, lesson_id=lesson.id, opened_at=now - timedelta(minutes=5),
                clock_at=now, completed_at=now, watched_intervals=[[0.0, 60.0]], watched_seconds=60.0,
                heartbeats=6, last_heartbeat_at=now,
            ))
        # The counters the app keeps beside the rows (learning.services.count_completion).
        db.session.execute(
            sa.update(Enrolment).where(Enrolment.id == enrolment.id).values(
                lessons_completed=Enrolment.lessons_completed + len(lessons),
                credit_minutes_completed=Enrolment.credit_minutes_completed
                + sum(lesson.credit_minutes for lesson in lessons),
            )
        )
        db.session.commit()


def pass_post_test(app, enrolment, score: str = "100", passed: bool = True, number: int = 1) -> None:
    now = utcnow()
    with app.app_context():
        db.session.add(PostTestAttempt(
            enrolment_id=enrolment.id, number=number, course_revision=1, paper=[], pass_percent=80,
            started_at=now, submitted_at=now, answers={}, correct_count=2, score_percent=Decimal(score),
            passed=passed,
        ))
        db.session.commit()


def submit_evaluation(app, enrolment) -> None:
    with app.app_context():
        db.session.add(EvaluationResponse(
            enrolment_id=enrolment.id, course_revision=1,
            questions=[{"key": "relevant", "prompt": "Relevant to my practice", "type": "rating"}],
            answers={"relevant": 5},
        ))
        db.session.commit()


def certificates_of(app, enrolment) -> list[Certificate]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id).order_by(Certificate.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def ready_for_attestation(app, make, user=None, **course_fields):
    """A learner who has done everything but the attestation: (user, course, enrolment)."""
    user = user or make.user(legal_name="Zoë Ñúñez-O'Brien", credential="OTR/L")
    course = full_course(make, **course_fields)
    enrolment = make.enrolment(user, course)
    complete_lessons(app, enrolment, make.lessons(course))
    pass_post_test(app, enrolment, score="90")
    submit_evaluation(app, enrolment)
    return user, course, enrolment
