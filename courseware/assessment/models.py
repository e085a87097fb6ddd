from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment


class PostTestAttempt(db.Model):
    """One sitting of a course's post-test: the paper as it was shown, the answers, the grade.

    The paper (questions and choices in their shuffled order, with the key) is copied onto the
    attempt when it starts, so a later change to post-test.yaml never changes a past attempt.
    """

    __tablename__ = "post_test_attempts"
    # A double click on "Start" cannot open two attempts with the same number.
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # 1, 2, ... within the enrolment
    course_revision: Mapped[int]
    # [{"question": i, "prompt", "choices": [[choice_index, text], ...] (shown order), "multiple",
    #   "answer": [choice_index, ...], "explanation"}, ...] in the order shown.
    paper: Mapped[list] = mapped_column(sa.JSON)
    pass_percent: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    # {"<question index>": [choice_index, ...]} as submitted; None until submitted.
    answers: Mapped[dict | None] = mapped_column(sa.JSON)
    correct_count: Mapped[int | None]
    score_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    passed: Mapped[bool | None]

    enrolment: Mapped[Enrolment] = relationship()


class AttemptGrant(db.Model):
    """The author allowed one more post-test attempt beyond the course's limit."""

    __tablename__ = "attempt_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    granted_by: Mapped[User | None] = relationship()


class EvaluationResponse(db.Model):
    """The learner's course evaluation: the questions as asked and the answers, once per enrolment."""

    __tablename__ = "evaluation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True
    )
    course_revision: Mapped[int]
    questions: Mapped[list] = mapped_column(sa.JSON)
    answers: Mapped[dict] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    enrolment: Mapped[Enrolment] = relationship()
