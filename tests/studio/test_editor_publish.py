"""Publishing from the editor: the Lesson row, kept counts and credit, scheduling, the signal."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content import signals
from courseware.content.models import Course, Lesson
from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio.editor_cli import publish_due_command
from tests.studio.helpers import reload
from tests.studio.test_editor import edit_url, lesson_form, open_editor, revisions_of, save

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def author(make, login):
    user = make.user(role=Role.AUTHOR, time_zone="America/New_York")
    login(user)
    return user


@contextmanager
def published_signals():
    """Every content.lesson_published sent inside the block, as (lesson id, kwargs)."""
    sent = []

    def listener(lesson, **kwargs):
        sent.append((lesson.id, kwargs))

    signals.lesson_published.connect(listener)
    try:
        yield sent
    finally:
        signals.lesson_published.disconnect(listener)


def _set(app, lesson, **values):
    with app.app_context():
        row = db.session.get(Lesson, lesson.id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def _player(client, make, login, course, lesson):
    learner = make.user()
    make.enrolment(learner, course)
    login(learner)
    return client.get(f"/learn/{course.slug}/{lesson.slug}")


def test_publishing_writes_the_lesson_row_that_learners_see(app, client, author, make, login, queries):
    course = make.course(title="Own Your Role")
    lesson = make.lessons(course)[0]
    version = open_editor(client, course, lesson)
    body = "## Not the expert\n\nYou *bring* the lens of function.\n\n<script>alert(1)</script>"

    with queries() as statements:
        response = client.post(
            edit_url(course, lesson), data=lesson_form(version, "publish", body=body, title="New")
        )

    assert response.status_code == 302 and len(statements) <= 8
    row = reload(app, Lesson, lesson.id)
    assert (row.title, row.body_md, row.revision, row.status) == (
        "New",
        body,
        lesson.revision + 1,
        "published",
    )
    assert "<em>bring</em>" in row.body_html and "<script" not in row.body_html
    assert reload(app, Course, course.id).revision == course.revision + 1
    (revision,) = revisions_of(app, lesson)
    assert (revision.status, revision.lesson_revision) == ("published", row.revision)
    player = _player(client, make, login, course, lesson).get_data(as_text=True)
    assert "You <em>bring</em> the lens of function." in player and "alert(1)</script>" not in player


def test_publishing_a_draft_replaces_what_learners_saw(app, client, author, make, login):
    course = make.course()
    lesson = make.lessons(course)[0]
    save(client, course, lesson, body="Draft only.")
    assert "Draft only." not in _player(client, make, login, course, lesson).get_data(as_text=True)
    login(author)

    assert save(client, course, lesson, action="publish", body="Draft only.").status_code == 302

    assert "Draft only." in _player(client, make, login, course, lesson).get_data(as_text=True)
    assert [r.status for r in revisions_of(app, lesson)] == ["draft", "published"]


def test_a_changed_duration_and_credit_update_the_course_counts_and_shares(app, client, author, make):
    course = make.course(lessons=3)  # 60 credit minutes shared 20/20/20, 3 × 60 s of video
    first, second, third = make.lessons(course)

    save(client, course, first, action="publish", duration_seconds="150", credit_minutes="30")

    assert reload(app, Course, course.id).video_seconds == 150 + 60 + 60
    assert [reload(app, Lesson, x.id).credit_minutes for x in (first, second, third)] == [30, 15, 15]
    assert reload(app, Lesson, first.id).credit_minutes_declared == 30


def test_credit_that_cannot_add_up_to_the_course_hours_is_refused_beside_the_field(app, client, author, make):
    course = make.course(lessons=2)
    first, second = make.lessons(course)
    _set(app, second, credit_minutes_declared=40)

    response = save(client, course, first, action="publish", credit_minutes="30", body="Kept text.")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "lessons give 70 credit minutes in all, but its 1 contact hours need 60" in html
    assert 'id="credit_minutes-error"' in html and "Kept text." in html
    assert reload(app, Lesson, first.id).revision == first.revision and revisions_of(app, first) == []


def test_publishing_a_new_lesson_counts_it_in_the_course(app, client, author, make):
    course = make.course(lessons=2)
    first = make.lessons(course)[0]
    url = f"/studio/courses/{course.slug}/modules/{first.module_id}/lessons/new"
    data = {
        **lesson_form("", "publish", title="A Third Lesson", body="Third.", duration_seconds=""),
        "slug": "a-third-lesson",
    }

    with published_signals() as sent:
        response = client.post(url, data=data)

    assert response.status_code == 302
    course_row = reload(app, Course, course.id)
    assert (course_row.lesson_count, course_row.video_seconds) == (3, 120)
    with app.app_context():
        lesson = db.session.scalars(
            sa.select(Lesson).filter_by(course_id=course.id, slug="a-third-lesson")
        ).one()
        assert (lesson.position, lesson.credit_minutes, lesson.status) == (3, 20, "published")
        assert sent == [(lesson.id, {"course_id": course.id, "lesson_id": lesson.id})]


# Scheduling, in the author's time zone.


def test_scheduling_stores_utc_and_hides_the_lesson_until_then(app, client, author, make, login):
    course = make.course()
    lesson = make.lessons(course)[1]
    _set(app, lesson, status="draft")
    day = (utcnow() + timedelta(days=3)).astimezone(NEW_YORK)
    new_york = datetime(day.year, day.month, day.day, 9, 30)  # as the author types it, in New York

    response = save(client, course, lesson, action="schedule", publish_at=new_york.strftime("%Y-%m-%dT%H:%M"))

    assert response.status_code == 302
    row = reload(app, Lesson, lesson.id)
    expected = new_york.replace(tzinfo=NEW_YORK).astimezone(UTC)
    assert (row.status, row.publish_at) == ("published", expected)
    assert revisions_of(app, lesson)[-1].status == "scheduled"
    editor = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "Scheduled for" in editor and f'value="{new_york:%Y-%m-%dT%H:%M}"' in editor
    assert "In your time zone (America/New_York)" in editor
    assert "Scheduled for" in client.get(f"/studio/courses/{course.slug}/lessons").get_data(as_text=True)
    assert _player(client, make, login, course, lesson).status_code == 404
    _set(app, lesson, publish_at=utcnow() - timedelta(minutes=1))  # its time comes
    assert _player(client, make, login, course, lesson).status_code == 200


def test_a_live_lesson_cannot_be_scheduled_and_a_past_time_is_refused(app, client, author, make):
    course = make.course()
    live, draft = make.lessons(course)[:2]
    _set(app, draft, status="draft")
    tomorrow = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    yesterday = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    refused = save(client, course, live, action="schedule", publish_at=tomorrow)
    past = save(client, course, draft, action="schedule", publish_at=yesterday)

    assert refused.status_code == 400 and "already live, so it cannot be scheduled" in refused.get_data(
        as_text=True
    )
    assert past.status_code == 400 and "Choose a time in the future" in past.get_data(as_text=True)
    assert reload(app, Lesson, draft.id).status == "draft"


# content.lesson_published: exactly once per lesson going live.


def test_publishing_a_draft_lesson_sends_the_signal_once_and_republishing_does_not(app, client, author, make):
    course = make.course()
    draft, live = make.lessons(course)[:2]
    _set(app, draft, status="draft")

    with published_signals() as sent:
        save(client, course, draft, action="publish")
        save(client, course, draft, action="publish", body="A correction.")
        save(client, course, live, action="publish", body="An update.")
        save(client, course, live, body="A draft.")

    assert sent == [(draft.id, {"course_id": course.id, "lesson_id": draft.id})]


def test_a_scheduled_lesson_is_announced_once_by_publish_due(app, client, author, make):
    course = make.course()
    lesson, other = make.lessons(course)[:2]
    _set(app, lesson, status="draft")
    _set(app, other, status="draft")
    soon = (utcnow() + timedelta(hours=1)).astimezone(NEW_YORK)
    later = soon + timedelta(days=2)
    runner = app.test_cli_runner()

    with published_signals() as sent:
        save(client, course, lesson, action="schedule", publish_at=soon.strftime("%Y-%m-%dT%H:%M"))
        save(client, course, other, action="schedule", publish_at=later.strftime("%Y-%m-%dT%H:%M"))
        assert sent == []
        assert "0 scheduled lesson(s) announced." in runner.invoke(publish_due_command).output
        save(client, course, lesson, body="A draft after scheduling.")  # a newer draft does not cancel it
        _set(app, lesson, publish_at=utcnow() - timedelta(seconds=1))
        with app.app_context():
            db.session.execute(
                sa.text(
                    "UPDATE lesson_revisions SET publish_at = :at WHERE status = 'scheduled'"
                    " AND lesson_id = :id"
                ),
                {"at": utcnow() - timedelta(seconds=1), "id": lesson.id},
            )
            db.session.commit()
        first_run = runner.invoke(publish_due_command)
        second_run = runner.invoke(publish_due_command)

    assert first_run.exit_code == 0 and "1 scheduled lesson(s) announced." in first_run.output
    assert "0 scheduled lesson(s) announced." in second_run.output
    assert sent == [(lesson.id, {"course_id": course.id, "lesson_id": lesson.id})]
    assert [r.status for r in revisions_of(app, lesson)] == ["scheduled", "draft", "went-live"]
    history = client.get(f"/studio/courses/{course.slug}/lessons/{lesson.id}/revisions").get_data(
        as_text=True
    )
    assert "Went live as scheduled" in history and "Scheduled publishing" in history


def test_publishing_a_scheduled_lesson_now_announces_it_once(app, client, author, make):
    course = make.course()
    lesson = make.lessons(course)[0]
    _set(app, lesson, status="draft")
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(NEW_YORK)

    with published_signals() as sent:
        save(client, course, lesson, action="schedule", publish_at=tomorrow.strftime("%Y-%m-%dT%H:%M"))
        save(client, course, lesson, action="publish")
        app.test_cli_runner().invoke(publish_due_command)

    assert len(sent) == 1
    assert reload(app, Lesson, lesson.id).publish_at is None
