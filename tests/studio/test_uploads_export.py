"""`flask courses export` writes studio uploads into the course folder, and a sync reads them back."""

import shutil

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from tests.content.test_cli import DEMO_COURSES
from tests.content.test_export_roundtrip import _empty_database, _run
from tests.studio.test_uploads import PDF, upload

pytestmark = pytest.mark.skipif(not (DEMO_COURSES / "own-your-role").is_dir(), reason="no demo courses")
SLUG = "tips-for-collaboration"


@pytest.fixture
def app_config(app_config, tmp_path):
    shutil.copytree(DEMO_COURSES, tmp_path / "courses")
    return app_config


def _first_lesson(app) -> tuple[Course, Lesson]:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position).limit(1)
        )
        db.session.expunge_all()
        return course, lesson


def test_uploaded_media_are_exported_named_in_the_front_matter_and_sync_back(
    app, client, make, login, tmp_path
):
    _run(app, "sync")
    course, lesson = _first_lesson(app)
    login(make.user(role=Role.AUTHOR))
    video = (DEMO_COURSES / SLUG / "media" / "tips-02-communication-rhythm.mp4").read_bytes()
    length = str(lesson.duration_seconds)
    assert (
        upload(client, course, lesson, "video", video, "rhythm.mp4", duration_seconds=length).status_code
        == 302
    )
    assert upload(client, course, lesson, "download", PDF, "worksheet.pdf").status_code == 302
    _course, uploaded = _first_lesson(app)
    [handout] = [path for path in uploaded.downloads if path not in lesson.downloads]

    result = _run(app, "export", "--directory", str(tmp_path / "a"))

    assert "media copied" in result.output
    exported = tmp_path / "a" / SLUG
    assert (exported / uploaded.video_path).read_bytes() == video
    assert (exported / handout).read_bytes() == PDF
    [lesson_file] = [
        path for path in exported.rglob("*.md") if f"video: {uploaded.video_path}" in path.read_text()
    ]
    assert handout in lesson_file.read_text()
    # From the exported files alone, a new database gets the same lesson media.
    with app.app_context():
        _empty_database()
    _run(app, "sync", "--dir", str(tmp_path / "a"))
    _course, synced = _first_lesson(app)
    assert synced.video_path == uploaded.video_path and synced.downloads == uploaded.downloads
