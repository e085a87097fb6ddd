"""Is a certificate due? Every requirement the course sets, decided from stored facts only (DESIGN §5).

The order is the order a learner meets them in: lessons, post-test, evaluation, attestation.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.assessment.models import EvaluationResponse
from courseware.assessment.pages import CourseSteps
from courseware.assessment.services import PostTestStatus, post_test_status
from courseware.certificates.models import Attestation, Certificate
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.learning.services import load_outline


class Step(StrEnum):
    LESSONS = "lessons"
    POST_TEST = "post_test"
    EVALUATION = "evaluation"
    ATTESTATION = "attestation"
    CERTIFICATE = "certificate"


@dataclass
class Checklist(CourseSteps):
    """The assessment's steps (lessons, post-test) and the rest of what a certificate needs."""

    evaluation_required: bool
    evaluation_submitted_at: datetime | None
    attestation_required: bool
    attestation: Attestation | None
    certificate: Certificate | None  # the valid one, if issued
    # The latest certificate, when it was revoked without a replacement (refunded, issued in
    # error): the learner sees why, and only the author can issue another.
    revoked_certificate: Certificate | None
    name_confirmed: bool  # the learner confirmed the legal name to print (DESIGN §3)

    @property
    def post_test(self) -> PostTestStatus | None:
        return self.status

    @property
    def evaluation_done(self) -> bool:
        return not self.evaluation_required or self.evaluation_submitted_at is not None

    @property
    def attestation_done(self) -> bool:
        attested = not self.attestation_required or self.attestation is not None
        return attested and self.name_confirmed

    @property
    def next_step(self) -> Step:
        """The first requirement not yet met, or CERTIFICATE when all are."""
        for step, done in (
            (Step.LESSONS, self.lessons_done),
            (Step.POST_TEST, self.post_test_done),
            (Step.EVALUATION, self.evaluation_done),
            (Step.ATTESTATION, self.attestation_done),
        ):
            if not done:
                return step
        return Step.CERTIFICATE

    @property
    def complete(self) -> bool:
        return self.next_step == Step.CERTIFICATE


def load_checklist(course: Course, enrolment: Enrolment, user: User, now: datetime) -> Checklist:
    """Five statements whatever the course size: outline (2), post-test (≤ 2), the rest (1)."""
    outline = load_outline(course, enrolment, now)
    row = db.session.execute(_facts_statement(), {"enrolment_id": enrolment.id}).one()
    completion = course.completion or {}
    return Checklist(
        course=course,
        enrolment=enrolment,
        outline=outline,
        status=post_test_status(enrolment, course),
        evaluation_required=bool(completion.get("evaluation")),
        evaluation_submitted_at=row.evaluation_submitted_at,
        attestation_required=bool(completion.get("attestation")),
        attestation=row.Attestation,
        certificate=row.Certificate if row.Certificate and row.Certificate.is_valid else None,
        revoked_certificate=row.Certificate if row.Certificate and not row.Certificate.is_valid else None,
        name_confirmed=user.legal_name_confirmed_at is not None and bool(user.legal_name),
    )


@cache
def _facts_statement() -> sa.Select:
    """The attestation, the evaluation's time and the latest certificate of one enrolment.

    A valid certificate is always the latest: a correction revokes the old one and adds a newer.
    """
    enrolment_id = sa.bindparam("enrolment_id")
    latest_certificate = (
        sa.select(sa.func.max(Certificate.id))
        .where(Certificate.enrolment_id == Enrolment.id)
        .correlate(Enrolment)
        .scalar_subquery()
    )
    return (
        sa.select(Attestation, EvaluationResponse.submitted_at.label("evaluation_submitted_at"), Certificate)
        .select_from(Enrolment)
        .outerjoin(Attestation, Attestation.enrolment_id == Enrolment.id)
        .outerjoin(EvaluationResponse, EvaluationResponse.enrolment_id == Enrolment.id)
        .outerjoin(Certificate, Certificate.id == latest_certificate)
        .where(Enrolment.id == enrolment_id)
    )
