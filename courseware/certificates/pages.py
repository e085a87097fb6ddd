"""What the certificate pages show, gathered in a constant number of statements per page."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, load_only

from courseware.accounts.models import User
from courseware.assessment.models import EvaluationResponse, PostTestAttempt
from courseware.certificates.models import Attestation, Certificate
from courseware.certificates.requirements import Checklist, load_checklist
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.learning.models import LessonProgress
from courseware.learning.services import find_course_and_enrolment

PUBLIC_ID = re.compile(r"^[0-9a-f]{32}$")


def checklist_page(slug: str, user: User, now: datetime) -> Checklist | None:
    """The learner's checklist for a course they are enrolled in; None (404) otherwise."""
    course, enrolment = find_course_and_enrolment(slug, user.id, now)
    if course is None or enrolment is None:
        return None
    return load_checklist(course, enrolment, user, now)


@dataclass
class Verification:
    certificate: Certificate
    replacement_public_id: str | None


def verification(public_id: str) -> Verification | None:
    """One statement: the certificate and, when it was corrected, its replacement's id."""
    if not PUBLIC_ID.match(public_id):
        return None
    row = db.session.execute(_verification_statement(), {"public_id": public_id}).one_or_none()
    return None if row is None else Verification(row.Certificate, row.replacement_public_id)


@cache
def _verification_statement() -> sa.Select:
    replacement = aliased(Certificate)
    return (
        sa.select(Certificate, replacement.public_id.label("replacement_public_id"))
        .outerjoin(replacement, Certificate.replaced_by_id == replacement.id)
        .where(Certificate.public_id == sa.bindparam("public_id"))
    )


def certificate_for(public_id: str, user: User) -> Certificate | None:
    """The holder's own certificate, or any certificate for the author; None (404) otherwise."""
    if not PUBLIC_ID.match(public_id):
        return None
    query = sa.select(Certificate).where(Certificate.public_id == public_id)
    if not user.is_author:
        query = query.where(Certificate.user_id == user.id)
    return db.session.scalar(query)


@dataclass
class Evidence:
    """What the server saw behind one certificate (DESIGN §5): the author's audit view."""

    certificate: Certificate
    progress: list[tuple[LessonProgress, Lesson]]
    attempts: list[PostTestAttempt]
    evaluation: EvaluationResponse | None
    attestation: Attestation | None


def evidence(public_id: str) -> Evidence | None:
    if not PUBLIC_ID.match(public_id):
        return None
    certificate = db.session.scalar(
        sa.select(Certificate)
        .options(
            joinedload(Certificate.user),
            joinedload(Certificate.course).load_only(Course.slug, Course.title),
        )
        .where(Certificate.public_id == public_id)
    )
    if certificate is None:
        return None
    enrolment_id = certificate.enrolment_id
    return Evidence(
        certificate=certificate,
        progress=_progress_with_lessons(enrolment_id),
        attempts=list(db.session.scalars(
            sa.select(PostTestAttempt).where(PostTestAttempt.enrolment_id == enrolment_id)
            .order_by(PostTestAttempt.number)
        )),
        evaluation=db.session.scalar(
            sa.select(EvaluationResponse).where(EvaluationResponse.enrolment_id == enrolment_id)
        ),
        attestation=db.session.scalar(sa.select(Attestation).where(Attestation.enrolment_id == enrolment_id)),
    )


def _progress_with_lessons(enrolment_id: int) -> list[tuple[LessonProgress, Lesson]]:
    """Every lesson the learner opened, retired ones included: records outlive course changes."""
    rows = db.session.execute(
        sa.select(LessonProgress, Lesson)
        .join(Lesson, LessonProgress.lesson_id == Lesson.id)
        .options(load_only(
            Lesson.title, Lesson.slug, Lesson.position, Lesson.duration_seconds, Lesson.retired_at,
            Lesson.credit_minutes,
        ))
        .where(LessonProgress.enrolment_id == enrolment_id)
        .order_by(Lesson.position)
    )
    return [(progress, lesson) for progress, lesson in rows]


REGISTER_PER_PAGE = 25


def register_query(start: date | None, end: date | None, course_id: int | None) -> sa.Select:
    """Certificates by completion date, newest first, with the holder and course for each row."""
    query = (
        sa.select(Certificate)
        .options(
            joinedload(Certificate.user).load_only(User.email, User.display_name),
            joinedload(Certificate.course).load_only(Course.slug, Course.title),
            joinedload(Certificate.replaced_by).load_only(Certificate.serial, Certificate.public_id),
        )
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())
    )
    if start is not None:
        query = query.where(Certificate.completed_on >= start)
    if end is not None:
        query = query.where(Certificate.completed_on <= end)
    if course_id is not None:
        query = query.where(Certificate.course_id == course_id)
    return query


def course_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(Course.id, Course.title).order_by(Course.title))
    return [("", "All courses")] + [(str(row.id), row.title) for row in rows]
