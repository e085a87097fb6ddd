"""The course structure kept in memory per revision: pages read it without a statement, and a
change of the course is seen at once."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.content.models import Course, Lesson
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning import services
from courseware.learning.models import Enrolment
from tests.learning.helpers import enrolment_row


def _signed_in_learner(make, login, **course_fields):
    user = make.user()
    course = make.course(slug="integration", lessons=3, **course_fields)
    make.enrolment(user, course)
    return login(user), user, course


def _rewrite_elsewhere(app, course, title: str, new_revision: bool) -> None:
    """What a sync in another process does: its own connection, no ORM in this process."""
    with app.app_context(), db.engine.begin() as other_process:
        lesson = sa.and_(Lesson.course_id == course.id, Lesson.slug == "lesson-2")
        other_process.execute(sa.update(Lesson).where(lesson).values(title=title))
        if new_revision:
            other_process.execute(
                sa.update(Course).where(Course.id == course.id).values(revision=Course.revision + 1)
            )


def test_a_page_seen_before_reads_no_lesson_rows(make, login, queries):
    client, _user, _course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")

    with queries() as statements:
        page = client.get("/learn/integration/lesson-1").get_data(as_text=True)

    assert "Lesson 1 text." in page and "Welcome to lesson 1." in page  # body and transcript
    assert not [sql for sql in statements if "FROM lessons" in sql], statements
    # The user, the course with the enrolment, the progress rows, the clock restart.
    assert len(statements) == 4, statements


def test_a_new_revision_from_another_process_is_shown_at_once(app, make, login):
    client, _user, course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")

    _rewrite_elsewhere(app, course, "Collaborating at the desk", new_revision=True)

    assert "Collaborating at the desk" in client.get("/learn/integration/lesson-1").get_data(as_text=True)
    assert "Collaborating at the desk" in client.get("/learn/integration/").get_data(as_text=True)


def test_the_revision_is_what_says_the_content_changed(app, make, login):
    """The contract for every editor of courses: a change without a new revision is not seen."""
    client, _user, course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")

    _rewrite_elsewhere(app, course, "Collaborating at the desk", new_revision=False)

    assert "Collaborating at the desk" not in client.get("/learn/integration/lesson-1").get_data(as_text=True)


def test_a_change_through_the_orm_in_this_process_is_shown_at_once(app, make, login):
    client, _user, course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")

    with app.app_context():
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.slug == "lesson-2"))
        lesson.title = "Embedding strategies in routines"
        db.session.commit()

    page = client.get("/learn/integration/lesson-1").get_data(as_text=True)
    assert "Embedding strategies in routines" in page


def test_a_scheduled_lesson_appears_when_its_time_comes(app, make):
    course = make.course(slug="integration", lessons=3)
    release = utcnow() + timedelta(days=2)
    with app.app_context():
        db.session.execute(sa.update(Lesson).where(Lesson.slug == "lesson-3").values(publish_at=release))
        db.session.commit()
        course = db.session.get(Course, course.id)

        before = services.load_outline(course, None, release - timedelta(seconds=1))
        after = services.load_outline(course, None, release)

    assert [lesson.slug for lesson in before.lessons] == ["lesson-1", "lesson-2"]
    assert [lesson.slug for lesson in after.lessons] == ["lesson-1", "lesson-2", "lesson-3"]


def test_reopening_the_same_lesson_soon_after_does_not_rewrite_the_enrolment(app, make, login, queries):
    client, user, course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")

    with queries() as statements:
        client.get("/learn/integration/lesson-1")
    client.get("/learn/integration/lesson-2")

    assert not [sql for sql in statements if sql.startswith("UPDATE enrolments")], statements
    with app.app_context():
        lesson_2 = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == "lesson-2"))
    assert enrolment_row(app, user, course).last_lesson_id == lesson_2


def test_reopening_a_lesson_later_records_the_new_activity(app, make, login):
    client, user, course = _signed_in_learner(make, login)
    client.get("/learn/integration/lesson-1")
    earlier = utcnow() - services.ACTIVITY_RESOLUTION
    with app.app_context():
        db.session.execute(sa.update(Enrolment).values(last_activity_at=earlier))
        db.session.commit()

    client.get("/learn/integration/lesson-1")

    assert enrolment_row(app, user, course).last_activity_at > earlier
