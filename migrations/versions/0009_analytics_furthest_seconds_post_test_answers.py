"""Analytics: lesson_progress.furthest_seconds and post_test_answers, both filled from existing rows

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:26:16.377221

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BATCH = 1000

# The tables as this migration knows them (never the app's models, which move on).
progress = sa.table(
    "lesson_progress",
    sa.column("id", sa.Integer),
    sa.column("watched_intervals", sa.JSON),
    sa.column("furthest_seconds", sa.Double),
)
attempts = sa.table(
    "post_test_attempts",
    sa.column("id", sa.Integer),
    sa.column("enrolment_id", sa.Integer),
    sa.column("paper", sa.JSON),
    sa.column("answers", sa.JSON),
    sa.column("submitted_at", sa.DateTime(timezone=True)),
)
enrolments = sa.table("enrolments", sa.column("id", sa.Integer), sa.column("course_id", sa.Integer))
answers_table = sa.table(
    "post_test_answers",
    sa.column("attempt_id", sa.Integer),
    sa.column("course_id", sa.Integer),
    sa.column("submitted_at", sa.DateTime(timezone=True)),
    sa.column("question", sa.Integer),
    sa.column("prompt", sa.Text),
    sa.column("chosen", sa.JSON),
    sa.column("correct", sa.Boolean),
    sa.column("wrong_choices", sa.JSON),
)


def upgrade():
    op.create_table(
        "post_test_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("chosen", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("wrong_choices", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["post_test_attempts.id"],
            name=op.f("fk_post_test_answers_attempt_id_post_test_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_post_test_answers_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_test_answers")),
        sa.UniqueConstraint("attempt_id", "question", name=op.f("uq_post_test_answers_attempt_id_question")),
    )
    with op.batch_alter_table("post_test_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_post_test_answers_course_id_submitted_at", ["course_id", "submitted_at"], unique=False
        )

    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("furthest_seconds", sa.Double(), nullable=True))

    connection = op.get_bind()
    _fill_furthest_seconds(connection)
    _fill_post_test_answers(connection)


def downgrade():
    with op.batch_alter_table("lesson_progress", schema=None) as batch_op:
        batch_op.drop_column("furthest_seconds")

    with op.batch_alter_table("post_test_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_post_test_answers_course_id_submitted_at")

    op.drop_table("post_test_answers")


def _fill_furthest_seconds(connection) -> None:
    """The end of each row's last watched interval (the union is sorted and disjoint), in batches."""
    update = (
        sa.update(progress)
        .where(progress.c.id == sa.bindparam("row_id"))
        .values(furthest_seconds=sa.bindparam("furthest"))
    )
    rows_with_intervals = sa.select(progress.c.id, progress.c.watched_intervals)
    for rows in _batches(connection, rows_with_intervals, progress.c.id):
        values = [{"row_id": id_, "furthest": float(spans[-1][1])} for id_, spans in rows if spans]
        if values:
            connection.execute(update, values)


def _fill_post_test_answers(connection) -> None:
    """One row per question of each submitted attempt, as submitting one now stores them."""
    submitted = (
        sa.select(attempts.c.id, enrolments.c.course_id, attempts.c.submitted_at, attempts.c.paper)
        .add_columns(attempts.c.answers)
        .join_from(attempts, enrolments, attempts.c.enrolment_id == enrolments.c.id)
        .where(attempts.c.submitted_at.is_not(None))
    )
    for rows in _batches(connection, submitted, attempts.c.id):
        values = []
        for attempt_id, course_id, submitted_at, paper, answers in rows:
            facts = {"attempt_id": attempt_id, "course_id": course_id, "submitted_at": submitted_at}
            values += [{**facts, **_answer(question, answers or {})} for question in paper or []]
        if values:
            connection.execute(sa.insert(answers_table), values)


def _answer(question: dict, answers: dict) -> dict:
    picked = sorted(set(answers.get(str(question["question"]), [])))
    key = set(question["answer"])
    texts = dict(question["choices"])
    return {
        "question": question["question"],
        "prompt": question.get("prompt") or "",
        "chosen": picked,
        "correct": set(picked) == key,
        "wrong_choices": [texts.get(index, f"Choice {index + 1}") for index in picked if index not in key],
    }


def _batches(connection, statement, id_column):
    """The statement's rows, BATCH at a time in id order (keyset: no OFFSET rescans)."""
    last = 0
    while True:
        rows = connection.execute(statement.where(id_column > last).order_by(id_column).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
