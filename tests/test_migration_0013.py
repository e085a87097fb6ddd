"""Migration 0013 marks the lessons learners already see as announced, so that `flask courses
publish-due` announces only schedules that come due from now on (and a studio schedule that is
due but was not announced yet)."""

import itertools
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.test_migrations import empty_database_url, insert_row, upgraded_with  # noqa: F401  (the fixture)

NOW = datetime.now(UTC)
YESTERDAY, TOMORROW = NOW - timedelta(days=1), NOW + timedelta(days=1)

# id: (status, publish_at, retired, studio revisions oldest first, announced after the upgrade)
LESSONS = {
    1: ("published", None, False, [], True),
    2: ("published", YESTERDAY, False, [], True),  # scheduled in the files, live since yesterday
    3: ("published", TOMORROW, False, ["scheduled"], False),
    4: ("draft", None, False, [], False),
    5: ("published", None, True, [], False),  # retired
    6: ("published", YESTERDAY, False, ["scheduled", "draft"], False),  # due, publish-due has not run
    7: ("published", YESTERDAY, False, ["scheduled", "went-live", "draft"], True),
}


def test_live_lessons_are_marked_announced_and_due_studio_schedules_are_left_for_publish_due(
    empty_database_url,  # noqa: F811
):
    with upgraded_with(empty_database_url, "0012", _lessons_at_0012, "0013") as connection:
        announced = connection.execute(
            sa.text("SELECT id, announced_at IS NOT NULL FROM lessons ORDER BY id")
        ).all()

    assert [(id_, bool(flag)) for id_, flag in announced] == [(id_, row[4]) for id_, row in LESSONS.items()]


def _lessons_at_0012(connection) -> None:
    insert_row(connection, "courses", id=1, slug="integration")
    insert_row(connection, "modules", id=1, course_id=1, position=1)
    revision_ids = itertools.count(1)
    for id_, (status, publish_at, retired, revisions, _announced) in LESSONS.items():
        insert_row(
            connection,
            "lessons",
            id=id_,
            course_id=1,
            module_id=1,
            slug=f"l{id_}",
            position=id_,
            status=status,
            publish_at=publish_at,
            retired_at=YESTERDAY if retired else None,
        )
        for number, revision_status in enumerate(revisions, start=1):
            insert_row(
                connection,
                "lesson_revisions",
                id=next(revision_ids),
                lesson_id=id_,
                number=number,
                status=revision_status,
            )
