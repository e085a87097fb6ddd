from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.assessment.item_answers import answer_rows
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


class PostTestAnswer(db.Model):
    """One question of one submitted attempt: what the studio's item analysis adds up.

    Written once, when the attempt is submitted (copied from its paper and answers), so the chart
    groups plain indexed rows instead of unpacking every paper's JSON on each view. `course_id` and
    `submitted_at` repeat the attempt's so the chart's filter is one index range.
    """

    __tablename__ = "post_test_answers"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question"),
        sa.Index("ix_post_test_answers_course_id_submitted_at", "course_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("post_test_attempts.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime]
    question: Mapped[int]  # its index in post-test.yaml, not its shuffled position
    prompt: Mapped[str] = mapped_column(sa.Text)
    chosen: Mapped[list] = mapped_column(sa.JSON)  # choice indices in post-test.yaml, sorted
    correct: Mapped[bool]  # exactly the key was chosen
    wrong_choices: Mapped[list] = mapped_column(sa.JSON)  # texts of the chosen choices not in the key


def record_answers(
    connection: sa.Connection, attempt_id: int, enrolment_id: int, submitted_at: datetime, paper: list,
    answers: dict,
) -> None:
    """Store the attempt's answer rows (one statement); the course comes from the enrolment."""
    course = sa.select(Enrolment.course_id).where(Enrolment.id == sa.bindparam("enrolment_id"))
    statement = sa.insert(PostTestAnswer).values(course_id=course.scalar_subquery())
    facts = {"attempt_id": attempt_id, "enrolment_id": enrolment_id, "submitted_at": submitted_at}
    rows = [{**facts, **row} for row in answer_rows(paper, answers)]
    if rows:  # an empty paper has nothing to count (grading refuses one anyway)
        connection.execute(statement, rows)


@sa.event.listens_for(PostTestAttempt, "after_insert")
def _answers_of_an_attempt_stored_submitted(_mapper, connection: sa.Connection, attempt: PostTestAttempt):
    # Submission is an UPDATE that writes the rows itself; an attempt inserted already submitted
    # (imported records, fixtures, the bench) gets them here, so the chart never misses one.
    if attempt.submitted_at is not None and attempt.answers is not None and attempt.paper:
        record_answers(
            connection, attempt.id, attempt.enrolment_id, attempt.submitted_at, attempt.paper, attempt.answers
        )


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
