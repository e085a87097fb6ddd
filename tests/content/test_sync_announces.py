"""A lesson that a sync of the course files makes visible is announced to the course's learners, as a
lesson published in the studio is; a change to a lesson they already see, a draft or a lesson scheduled
for later is not. A lesson scheduled in the files is announced once its time comes, by
`flask courses publish-due` or by the next sync, whichever runs first."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.content.models import Course
from courseware.extensions import db
from courseware.notifications.models import Notification, NotificationKind
from courseware.studio.editor_cli import publish_due_command
from tests.content.conftest import NOW

LATER = NOW + timedelta(days=1)
NEXT_WEEK = LATER + timedelta(days=7)
COMING_SOON = "own-your-role/02-advocacy/02-coming-soon.md"
NEXT_WEEK_LESSON = "own-your-role/02-advocacy/05-next-week.md"


def _enrol(app, make) -> int:
    learner = make.user()
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        db.session.expunge(course)
    make.enrolment(learner, course)
    return learner.id


def _new_lesson_notices(app, user_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(Notification.title, Notification.path)
            .where(Notification.user_id == user_id, Notification.kind == NotificationKind.NEW_LESSON)
        )
        return [tuple(row) for row in rows]


def test_a_draft_lesson_published_in_the_files_is_announced_once(app, tree, sync, make):
    tree.valid_course()
    sync()
    learner_id = _enrol(app, make)
    tree.replace(COMING_SOON, "status: draft", "status: published")

    report = sync(LATER)

    assert [lesson.slug for lesson in report.courses[0].went_live] == ["coming-soon"]
    assert _new_lesson_notices(app, learner_id) == [("Coming Soon", "/learn/own-your-role/coming-soon")]
    tree.replace(COMING_SOON, "title: Coming Soon", "title: Here Now")
    sync(LATER + timedelta(hours=1))  # a change to a lesson learners already see
    assert len(_new_lesson_notices(app, learner_id)) == 1


def test_new_lesson_files_are_announced_unless_draft_or_scheduled_for_later(app, tree, sync, make):
    tree.valid_course()
    sync()
    learner_id = _enrol(app, make)
    tree.write("own-your-role/02-advocacy/03-at-the-iep.md", "---\ntitle: At the IEP Meeting\n---\nSpeak.\n")
    tree.write("own-your-role/02-advocacy/04-draft.md", "---\ntitle: Still a Draft\nstatus: draft\n---\n")
    next_week = NEXT_WEEK.isoformat()
    tree.write(NEXT_WEEK_LESSON, f"---\ntitle: Next Week\npublish_at: {next_week}\n---\n")

    sync(LATER)

    assert _new_lesson_notices(app, learner_id) == [("At the IEP Meeting", "/learn/own-your-role/at-the-iep")]


def test_a_lesson_scheduled_in_the_files_is_announced_once_by_publish_due_when_its_time_comes(
    app, tree, sync, make
):
    tree.valid_course()
    sync()
    learner_id = _enrol(app, make)
    tree.write(NEXT_WEEK_LESSON, f"---\ntitle: Next Week\npublish_at: {NEXT_WEEK.isoformat()}\n---\n")
    sync(LATER)
    assert _new_lesson_notices(app, learner_id) == []

    # publish-due runs at the real time, long after NEXT_WEEK.
    first_run = app.test_cli_runner().invoke(publish_due_command)
    second_run = app.test_cli_runner().invoke(publish_due_command)

    assert first_run.exit_code == 0, first_run.output
    assert "live: next-week" in first_run.output and "1 scheduled lesson(s) announced." in first_run.output
    assert "0 scheduled lesson(s) announced." in second_run.output
    assert _new_lesson_notices(app, learner_id) == [("Next Week", "/learn/own-your-role/next-week")]


def test_a_sync_after_the_scheduled_time_announces_it_and_publish_due_then_does_not(app, tree, sync, make):
    tree.valid_course()
    sync()
    learner_id = _enrol(app, make)
    tree.write(NEXT_WEEK_LESSON, f"---\ntitle: Next Week\npublish_at: {NEXT_WEEK.isoformat()}\n---\n")
    sync(LATER)
    tree.replace(COMING_SOON, "title: Coming Soon", "title: Still Coming")  # the course changed

    report = sync(NEXT_WEEK + timedelta(hours=1))
    app.test_cli_runner().invoke(publish_due_command)

    assert [lesson.slug for lesson in report.courses[0].went_live] == ["next-week"]
    assert _new_lesson_notices(app, learner_id) == [("Next Week", "/learn/own-your-role/next-week")]


def test_a_lesson_moved_back_to_a_later_date_is_announced_again_when_that_comes(app, tree, sync, make):
    tree.valid_course()
    tree.write(NEXT_WEEK_LESSON, "---\ntitle: Next Week\n---\n")
    sync()
    learner_id = _enrol(app, make)
    tree.write(NEXT_WEEK_LESSON, f"---\ntitle: Next Week\npublish_at: {NEXT_WEEK.isoformat()}\n---\n")
    sync(LATER)  # hidden again until next week
    assert _new_lesson_notices(app, learner_id) == []

    app.test_cli_runner().invoke(publish_due_command)

    assert _new_lesson_notices(app, learner_id) == [("Next Week", "/learn/own-your-role/next-week")]
