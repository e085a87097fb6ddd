"""A course's learners for the author: who is enrolled, how far each is, who is stuck, and the actions.

What the views call (services only flush; the view commits):
    learners_page(course, filters, page, now) -> LearnerPage    # one count + one row statement
    learner_rows(course, filters, now) -> list[LearnerRow]      # every matching row (the CSV: learner_csv)
    grant_access(course, email, now) -> Granted                 # raises grants.NoSuchLearner
    find_enrolment(course_id, enrolment_id) -> Enrolment | None # through the course: others are not found
    revoke_access(enrolment, reason, now) -> bool
    announcement_recipients(course_id) -> list[Recipient]
    queue_announcement(course, subject, message, course_url) -> int
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.accounts.services import normalize_email
from courseware.assessment.models import AttemptGrant, EvaluationResponse, PostTestAttempt
from courseware.assessment.services import post_test_settings
from courseware.certificates.models import Certificate
from courseware.content.ce import format_hours
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning import services as learning
from courseware.learning.models import Enrolment
from courseware.notifications import inbox
from courseware.payments import grants
from courseware.web import PageLinks

PER_PAGE = 50
DEFAULT_STUCK_DAYS = 14
STATUSES = ("all", "stuck", "not-started", "completed", "revoked")


@dataclass(frozen=True)
class LearnerFilters:
    status: str = "all"
    days: int = DEFAULT_STUCK_DAYS
    q: str = ""

    @property
    def is_filtered(self) -> bool:
        return self.status != "all" or bool(self.q)


@dataclass(frozen=True)
class PostTestSummary:
    used: int
    allowed: int  # the course's attempts plus the author's grants
    open: int
    passed_score: Decimal | None
    passed: bool

    @property
    def out_of_attempts(self) -> bool:
        """What the author can help with: all attempts used, none open, not passed."""
        return not self.passed and not self.open and self.used >= self.allowed

    @property
    def text(self) -> str:
        if self.passed:
            return "Passed" if self.passed_score is None else f"Passed ({format_hours(self.passed_score)}%)"
        if not self.used:
            return "Not started"
        return f"{self.used} of {self.allowed} attempts used" + (" (one in progress)" if self.open else "")


@dataclass(frozen=True)
class CertificateLink:
    serial: str | None
    public_id: str
    revoked: bool


@dataclass(frozen=True)
class LearnerRow:
    enrolment: Enrolment
    name: str
    email: str
    post_test: PostTestSummary | None  # None: the course has no post-test
    evaluated_at: datetime | None
    certificate: CertificateLink | None


@dataclass(frozen=True)
class LearnerPage(PageLinks):
    """The page's rows with what `_partials/pagination.html` needs."""

    rows: list[LearnerRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return _page_count(self.total)


def learners_page(course: Course, filters: LearnerFilters, page: int, now: datetime) -> LearnerPage:
    """One page of the course's learners, most recent activity first: two statements, whatever the size."""
    conditions = _conditions(course.id, filters, now)
    total = db.session.scalar(
        sa.select(sa.func.count(Enrolment.id)).join(User, User.id == Enrolment.user_id).where(*conditions)
    )
    if not total:
        return LearnerPage(rows=[], total=0, page=1)
    page = min(page, _page_count(total))  # past the end: the last page
    statement = _rows_statement(conditions, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return LearnerPage(rows=_learner_rows(course, statement), total=total, page=page)


def learner_rows(course: Course, filters: LearnerFilters, now: datetime) -> list[LearnerRow]:
    """Every learner matching the filters, in the page's order (one statement)."""
    return _learner_rows(course, _rows_statement(_conditions(course.id, filters, now)))


def _conditions(course_id: int, filters: LearnerFilters, now: datetime) -> list[sa.ColumnElement[bool]]:
    conditions = [Enrolment.course_id == course_id]
    active = Enrolment.revoked_at.is_(None)
    if filters.status == "stuck":
        # Never active counts from the day they enrolled: a learner who never started is stuck too.
        last_seen = sa.func.coalesce(Enrolment.last_activity_at, Enrolment.created_at)
        cutoff = sa.bindparam("cutoff", now - timedelta(days=filters.days), type_=Enrolment.created_at.type)
        conditions += [active, Enrolment.completed_at.is_(None), last_seen < cutoff]
    elif filters.status == "not-started":
        conditions += [active, Enrolment.last_activity_at.is_(None), Enrolment.lessons_completed == 0]
    elif filters.status == "completed":
        conditions.append(Enrolment.completed_at.is_not(None))
    elif filters.status == "revoked":
        conditions.append(Enrolment.revoked_at.is_not(None))
    if filters.q:
        conditions.append(_search(filters.q))
    return conditions


def _search(text: str) -> sa.ColumnElement[bool]:
    """Name or email containing the text, case-insensitive on both databases (ILIKE on PostgreSQL,
    lower() LIKE lower() on SQLite); % and _ are searched for, not wildcards."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    columns = (User.email, User.display_name, User.legal_name)
    return sa.or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _page_count(total: int) -> int:
    return max(1, -(-total // PER_PAGE))


def _rows_statement(conditions: list, limit: int | None = None, offset: int | None = None) -> sa.Select:
    """The chosen enrolments with their learner and per-enrolment figures, in one statement.

    The page's enrolments are picked first (filter, order, limit), and the figures are correlated
    scalar subqueries on indexed enrolment_id columns, so the work grows with the page, not the course,
    and no plan depends on a guess about the rows behind an aggregate. No LATERAL: the same SQL runs on
    SQLite and PostgreSQL.
    """
    last_seen = sa.func.coalesce(Enrolment.last_activity_at, Enrolment.created_at)
    chosen = (
        sa.select(Enrolment.id, last_seen.label("last_seen"))
        .join(User, User.id == Enrolment.user_id)
        .where(*conditions)
        .order_by(last_seen.desc(), Enrolment.id.desc())
        .limit(limit)
        .offset(offset)
        .subquery("chosen")
    )
    return (
        sa.select(Enrolment, User.display_name, User.legal_name, User.email, *_figures())
        .join(chosen, chosen.c.id == Enrolment.id)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(EvaluationResponse, EvaluationResponse.enrolment_id == Enrolment.id)
        .order_by(chosen.c.last_seen.desc(), Enrolment.id.desc())
    )


def _figures() -> list[sa.Label]:
    """Attempts, grants, the evaluation time and the certificate of the enrolment in the outer row."""
    attempt = PostTestAttempt.enrolment_id == Enrolment.id
    passed = PostTestAttempt.passed.is_(True)

    def attempts(aggregate, *where) -> sa.ScalarSelect:
        return sa.select(aggregate).where(attempt, *where).scalar_subquery()

    # The valid certificate if there is one (at most one, by a unique index), else the latest revoked.
    certificate = (
        sa.select(Certificate)
        .where(Certificate.enrolment_id == Enrolment.id)
        .order_by(Certificate.revoked_at.is_not(None), Certificate.id.desc())
        .limit(1)
    )
    return [
        attempts(sa.func.count(PostTestAttempt.id)).label("used"),
        attempts(sa.func.count(PostTestAttempt.id), PostTestAttempt.submitted_at.is_(None)).label("open"),
        attempts(sa.func.count(PostTestAttempt.id), passed).label("passes"),
        attempts(sa.func.max(PostTestAttempt.score_percent), passed).label("passed_score"),
        sa.select(sa.func.count(AttemptGrant.id))
        .where(AttemptGrant.enrolment_id == Enrolment.id)
        .scalar_subquery()
        .label("granted"),
        EvaluationResponse.submitted_at.label("evaluated_at"),
        certificate.with_only_columns(Certificate.serial).scalar_subquery().label("serial"),
        certificate.with_only_columns(Certificate.public_id).scalar_subquery().label("public_id"),
        certificate.with_only_columns(Certificate.revoked_at.is_not(None))
        .scalar_subquery()
        .label("certificate_revoked"),
    ]


def _learner_rows(course: Course, statement: sa.Select) -> list[LearnerRow]:
    settings = post_test_settings(course)
    return [_learner_row(row, settings) for row in db.session.execute(statement)]


def _learner_row(row: sa.Row, settings: dict | None) -> LearnerRow:
    post_test = None
    if settings is not None:
        post_test = PostTestSummary(
            used=row.used or 0,
            allowed=settings["attempts"] + (row.granted or 0),
            open=row.open or 0,
            passed_score=row.passed_score,
            passed=bool(row.passes),
        )
    certificate = None
    if row.public_id is not None:
        certificate = CertificateLink(row.serial, row.public_id, bool(row.certificate_revoked))
    return LearnerRow(
        enrolment=row.Enrolment,
        name=row.legal_name or row.display_name,
        email=row.email,
        post_test=post_test,
        evaluated_at=row.evaluated_at,
        certificate=certificate,
    )


class Granted(StrEnum):
    NEW = "new"
    REINSTATED = "reinstated"
    ALREADY = "already"


def grant_access(course: Course, email: str, now: datetime) -> Granted:
    """Give the learner with this email the course (a comp grant); reinstates a revoked enrolment."""
    was_revoked = db.session.scalar(
        sa.select(Enrolment.revoked_at.is_not(None))
        .join(User, User.id == Enrolment.user_id)
        .where(Enrolment.course_id == course.id, User.email == normalize_email(email))
    )
    _course, created = grants.comp(email, course, now)
    if not created:
        return Granted.ALREADY
    return Granted.REINSTATED if was_revoked else Granted.NEW


def find_enrolment(course_id: int, enrolment_id: int) -> Enrolment | None:
    return db.session.scalar(
        sa.select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.course_id == course_id)
    )


def revoke_access(enrolment: Enrolment, reason: str, now: datetime) -> bool:
    """End the learner's access, keeping the progress and evidence; False if it was revoked already."""
    if enrolment.revoked_at is not None:
        return False
    learning.revoke_enrolment(enrolment, reason, now)
    db.session.flush()
    return True


def announcement_recipients(course_id: int) -> list[int]:
    """Who a course announcement goes to: every learner with active access (their own email
    choices then decide who gets it by email)."""
    return list(db.session.scalars(
        sa.select(Enrolment.user_id)
        .where(Enrolment.course_id == course_id, Enrolment.revoked_at.is_(None))
        .order_by(Enrolment.user_id)
    ))


def queue_announcement(
    course: Course, subject: str, message: str, course_path: str, now: datetime
) -> tuple[int, int]:
    """Under every learner's bell, and by email to those who take notification emails:
    (learners told, emails queued)."""
    event = inbox.Event(
        title=subject, path=course_path, excerpt=inbox.excerpt(message), actor_name=course.instructor
    )
    return inbox.announce(event, message, course.title, announcement_recipients(course.id), now)
