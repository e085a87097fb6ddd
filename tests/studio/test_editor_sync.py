"""Browser edits and `flask courses sync`: what a sync of the course files does to studio work.

An unchanged tree leaves every studio edit alone; a lesson whose file changed takes the file's
version (the studio's stays in the history); a lesson made in the studio and never exported is
retired when its course's files change; a pending draft survives and is marked out of date.
"""

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.content.services import sync_courses
from courseware.db import utcnow
from courseware.extensions import db
from tests.studio.helpers import reload
from tests.studio.test_editor import edit_url, revisions_of, save

DEMO = Path(__file__).resolve().parents[2] / "courses" / "own-your-role"
NOT_THE_EXPERT = "01-your-role-in-schools/01-not-the-expert.md"
WHAT_YOU_WILL_HEAR = "02-reframing-your-target/02-what-you-will-hear.md"


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(DEMO, root / "own-your-role")
    return root


@pytest.fixture
def sync(app, tree):
    def _sync() -> dict[str, str]:
        with app.app_context():
            report = sync_courses(tree, utcnow())
            db.session.commit()
            return {changes.slug: changes.state for changes in report.courses}

    return _sync


@pytest.fixture
def synced(app, sync, make, login):
    sync()
    login(make.user(role=Role.AUTHOR))
    with app.app_context():
        course = db.session.scalars(sa.select(Course).filter_by(slug="own-your-role")).one()
        lessons = {
            row.slug: row for row in db.session.scalars(sa.select(Lesson).filter_by(course_id=course.id))
        }
        db.session.expunge_all()
    return course, lessons


def _append(tree: Path, name: str, text: str) -> None:
    path = tree / "own-your-role" / name
    path.write_text(path.read_text() + text)


def _publish(client, course, lesson, body: str):
    data = {
        "title": lesson.title,
        "duration_seconds": str(lesson.duration_seconds or ""),
        "credit_minutes": str(lesson.credit_minutes_declared or ""),
    }
    response = save(client, course, lesson, action="publish", body=body, **data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_sync_of_unchanged_files_keeps_the_studio_edit(app, client, sync, synced):
    course, lessons = synced
    lesson = lessons["not-the-expert"]
    _publish(client, course, lesson, "Written in the studio.")

    assert sync() == {"own-your-role": "unchanged"}

    assert reload(app, Lesson, lesson.id).body_md == "Written in the studio."


def test_a_change_to_another_lesson_file_keeps_the_studio_edit(app, client, sync, synced, tree):
    course, lessons = synced
    lesson = lessons["not-the-expert"]
    _publish(client, course, lesson, "Written in the studio.")
    _append(tree, WHAT_YOU_WILL_HEAR, "\nOne more line from the files.\n")

    assert sync() == {"own-your-role": "updated"}

    assert reload(app, Lesson, lesson.id).body_md == "Written in the studio."
    assert reload(app, Lesson, lessons["what-you-will-hear"].id).body_md.endswith(
        "One more line from the files.\n"
    )


def test_a_change_to_the_same_lesson_file_wins_and_the_studio_version_stays_in_history(
    app, client, sync, synced, tree
):
    course, lessons = synced
    lesson = lessons["not-the-expert"]
    _publish(client, course, lesson, "Written in the studio.")
    save(
        client,
        course,
        lesson,
        body="A draft in the studio.",
        duration_seconds="25",
        credit_minutes="12",
        title=lesson.title,
    )
    _append(tree, NOT_THE_EXPERT, "\nEdited in the files.\n")

    sync()

    row = reload(app, Lesson, lesson.id)
    assert row.body_md.endswith("Edited in the files.\n") and "Edited in the files." in row.body_html
    assert [r.body_md for r in revisions_of(app, lesson)] == [
        "Written in the studio.",
        "A draft in the studio.",
    ]
    editor = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "This draft was saved before the lesson's published version last changed" in editor


def test_a_lesson_made_in_the_studio_is_retired_when_its_course_files_change(app, client, sync, synced, tree):
    course, lessons = synced
    module_id = lessons["not-the-expert"].module_id
    url = f"/studio/courses/{course.slug}/modules/{module_id}/lessons/new"
    data = {
        "slug": "studio-only",
        "title": "Studio only",
        "body": "Never exported.",
        "duration_seconds": "",
        "credit_minutes": "0",
        "publish_at": "",
        "note": "",
        "publish": "y",
    }
    assert client.post(url, data=data).status_code == 302

    assert sync() == {"own-your-role": "unchanged"}
    with app.app_context():
        assert db.session.scalars(sa.select(Lesson).filter_by(slug="studio-only")).one().retired_at is None
    _append(tree, WHAT_YOU_WILL_HEAR, "\nA file change.\n")
    sync()

    with app.app_context():
        lesson = db.session.scalars(sa.select(Lesson).filter_by(slug="studio-only")).one()
        assert lesson.retired_at is not None and lesson.body_md == "Never exported."
