"""The two heavy charts read their own columns: lesson_progress.furthest_seconds and post_test_answers.

Changing only the column or the table (never the intervals or the papers) moves the chart: proof
that the page no longer unpacks JSON per row.
"""

from collections import Counter

import sqlalchemy as sa

from courseware.assessment.models import PostTestAnswer, PostTestAttempt
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress
from courseware.studio.analytics_feedback import ItemRow
from tests.studio.test_analytics import author_page, section, seed_course_history, table_rows


def stops(page: str) -> list[list[int]]:
    tables = section(page, "video-stops").split("<table>")[1:]
    return [[int(row[1]) for row in table_rows(table)] for table in tables]


def test_where_viewers_stop_follows_the_furthest_seconds_column(app, client, make, login):
    course = seed_course_history(app, make)
    first_lesson = make.lessons(course)[0]
    with app.app_context():
        # B's furthest second in lesson 1 said 55 s (the last tenth); the column alone now says 3 s.
        db.session.execute(
            sa.update(LessonProgress)
            .where(LessonProgress.lesson_id == first_lesson.id, LessonProgress.furthest_seconds == 55)
            .values(furthest_seconds=3)
        )
        db.session.commit()

    counts = stops(author_page(client, make, login, course))

    assert counts[0] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]


def test_item_analysis_counts_the_answer_rows(app, client, make, login):
    course = seed_course_history(app, make)
    with app.app_context():
        # Forget the passed attempts' answers (A's; E's is from before the range): the attempts and
        # their papers stay, so only the table changed.
        passed = (
            sa.select(PostTestAttempt.id)
            .join(Enrolment)
            .where(Enrolment.course_id == course.id, PostTestAttempt.passed.is_(True))
        )
        db.session.execute(sa.delete(PostTestAnswer).where(PostTestAnswer.attempt_id.in_(passed)))
        db.session.commit()

    rows = table_rows(section(author_page(client, make, login, course), "items"))

    # B and E's first attempt remain (see test_analytics): B wrong on both, E wrong on the first.
    assert rows == [
        ["Which setting is the least restrictive?", "2", "0 %", "Resource room (2)"],
        ["Select every collaborative practice.", "2", "50 %", "Pull-out only (1)"],
    ]


def test_of_equally_chosen_wrong_answers_the_first_by_text_is_named():
    item = ItemRow(
        0, "Pick one", answered=5, wrong_choices=Counter({"Pull-out": 2, "Consult": 2, "Other": 1})
    )

    assert item.top_wrong == ("Consult", 2)
