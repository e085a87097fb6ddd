"""A lesson that a sync of the course files makes visible is announced to the course's learners, as a
lesson published in the studio is; a change to a lesson they already see, a draft or a lesson scheduled
for later is not."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.content.models import Course
from courseware.extensions import db
from courseware.notifications.models import Notification, NotificationKind
from tests.content.conftest import NOW

LATER = NOW + timedelta(days=1)
COMING_SOON = "own-your-role/02-advocacy/02-coming-soon.md"


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
    next_week = (LATER + timedelta(days=7)).isoformat()
    tree.write(
        "own-your-role/02-advocacy/05-next-week.md", f"---\ntitle: Next Week\npublish_at: {next_week}\n---\n"
    )

    sync(LATER)

    assert _new_lesson_notices(app, learner_id) == [("At the IEP Meeting", "/learn/own-your-role/at-the-iep")]
