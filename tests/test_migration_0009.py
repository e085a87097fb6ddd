"""Migration 0009 fills lesson_progress.furthest_seconds and post_test_answers from the rows before it."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.test_migrations import empty_database_url, insert_row, upgraded_with  # noqa: F401  (the fixture)

SUBMITTED = datetime(2026, 2, 10, 12, tzinfo=UTC)
PAPER = [
    {
        "question": 1,
        "prompt": "Pick every collaborative practice.",
        "multiple": True,
        "answer": [0, 1],
        "choices": [[1, "Consultation"], [2, "Pull-out only"], [0, "Co-teaching"]],
    },
    {"question": 0, "prompt": "", "multiple": False, "answer": [0], "choices": [[1, "No"], [0, "Yes"]]},
]


def test_upgrading_from_0008_fills_both_from_the_existing_rows(empty_database_url):  # noqa: F811
    with upgraded_with(empty_database_url, "0008", _records_at_0008, "0009") as connection:
        furthest = connection.execute(
            sa.text("SELECT lesson_id, furthest_seconds FROM lesson_progress ORDER BY lesson_id")
        ).all()
        answers = connection.execute(
            sa.text(
                "SELECT attempt_id, course_id, question, prompt, chosen, correct, wrong_choices "
                "FROM post_test_answers ORDER BY attempt_id, question"
            )
        ).all()

    assert [(lesson, seconds) for lesson, seconds in furthest] == [(1, 42.5), (2, None), (3, 600.0)]
    # Attempt 1 was submitted (a multi-select half right, a blank prompt); attempt 2 is still open.
    rows = [(*row[:4], _json(row[4]), bool(row[5]), _json(row[6])) for row in answers]
    assert rows == [
        (1, 1, 0, "", [0], True, []),
        (1, 1, 1, "Pick every collaborative practice.", [0, 2], False, ["Pull-out only"]),
    ]


def _records_at_0008(connection) -> None:
    """A learner with three progress rows and two post-test attempts, written as 0008 knew them."""
    insert_row(connection, "users", id=1, email="learner@example.com")
    insert_row(connection, "courses", id=1, slug="integration")
    insert_row(connection, "modules", id=1, course_id=1, position=1)
    for lesson in (1, 2, 3):
        insert_row(
            connection, "lessons", id=lesson, course_id=1, module_id=1, slug=f"l{lesson}", position=lesson
        )
    insert_row(connection, "enrolments", id=1, user_id=1, course_id=1)
    watched = {1: [[0, 5], [10, 42.5]], 2: [], 3: [[0.0, 600.0]]}
    for lesson, intervals in watched.items():
        insert_row(
            connection,
            "lesson_progress",
            id=lesson,
            enrolment_id=1,
            lesson_id=lesson,
            watched_intervals=intervals,
        )
    sheet = {"1": [0, 2], "0": [0]}
    insert_row(
        connection,
        "post_test_attempts",
        id=1,
        enrolment_id=1,
        number=1,
        paper=PAPER,
        answers=sheet,
        submitted_at=SUBMITTED,
    )
    insert_row(connection, "post_test_attempts", id=2, enrolment_id=1, number=2, paper=PAPER)


def _json(value) -> list:  # SQLite hands back JSON text from a plain SELECT; psycopg parses it
    return json.loads(value) if isinstance(value, str) else value
