"""`flask courses check` and `flask courses sync`, on a test tree and on the demo courses in the repo."""

import shutil
import subprocess

import pytest
import sqlalchemy as sa

from courseware.config import PROJECT_ROOT
from courseware.content.media import NO_FFPROBE_WARNING
from courseware.content.models import Course
from courseware.extensions import db

DEMO_COURSES = PROJECT_ROOT / "courses"
DEMO_SLUGS = ["from-isolation-to-integration", "own-your-role", "tips-for-collaboration"]


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["courses", *args])


def test_check_prints_a_summary_per_course(app, tree):
    tree.valid_course()
    result = _run(app, "check", "--skip-media")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "own-your-role: published, 2 modules, 4 lessons, 1 contact hours (60 credit minutes), "
        "1:02:33 of video, 2 post-test questions\n"
    )


def test_check_prints_every_error_and_fails(app, tree):
    tree.valid_course()
    tree.replace("own-your-role/course.md", "level: Introductory", "level: Beginner")
    tree.replace("own-your-role/01-your-role/01-not-the-expert.md", '"0:30"', '"4:61"')
    result = _run(app, "check", "--skip-media")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'courses/own-your-role/01-your-role/01-not-the-expert.md:5: duration: "4:61" is not m:ss or h:mm:ss',
        'courses/own-your-role/course.md:8: level: "Beginner" is not one of: '
        "Introductory, Intermediate, Advanced",
        "2 error(s).",
    ]


def test_check_says_once_when_durations_were_not_compared(app, tree, monkeypatch):
    tree.valid_course()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = _run(app, "check")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"warning: {NO_FFPROBE_WARNING}\n"


def test_sync_writes_and_reports_then_changes_nothing(app, tree):
    tree.valid_course()
    first = _run(app, "sync")
    assert first.exit_code == 0
    assert first.output == "own-your-role: created, revision 1 (2 modules, 4 lessons)\n1 created\n"
    second = _run(app, "sync", "--dir", str(tree.root))
    assert (second.exit_code, second.output) == (0, "own-your-role: unchanged, revision 1\n1 unchanged\n")


def test_sync_with_errors_writes_nothing(app, tree):
    tree.valid_course()
    tree.replace("own-your-role/course.md", "price: 20.00 USD", "price: $20")
    result = _run(app, "sync")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'courses/own-your-role/course.md:6: price: "$20" is not a price like "20.00 USD", or "free"',
        "1 error(s); nothing was written.",
    ]
    with app.app_context():
        assert db.session.scalars(sa.select(Course)).all() == []


@pytest.mark.skipif(not (DEMO_COURSES / "own-your-role").is_dir(), reason="no demo courses yet")
def test_the_demo_courses_check_and_sync_cleanly(app):
    check = _run(app, "check", "--skip-media", "--dir", str(DEMO_COURSES))
    assert check.exit_code == 0, check.output
    assert [line.split(":")[0] for line in check.output.splitlines()] == DEMO_SLUGS
    first = _run(app, "sync", "--dir", str(DEMO_COURSES))
    assert first.exit_code == 0, first.output
    second = _run(app, "sync", "--dir", str(DEMO_COURSES))
    assert second.output.splitlines()[-1] == "3 unchanged"
    with app.app_context():
        courses = {c.slug: c for c in db.session.scalars(sa.select(Course))}
        assert sorted(courses) == DEMO_SLUGS
        assert courses["own-your-role"].price_cents == 2000 and courses["own-your-role"].approval is None
        assert str(courses["from-isolation-to-integration"].contact_hours) == "6.75"


_HAS_FFMPEG = shutil.which("ffprobe") is not None and shutil.which("ffmpeg") is not None


@pytest.mark.skipif(not _HAS_FFMPEG, reason="ffprobe/ffmpeg not installed")
def test_check_compares_durations_with_the_media(app, tree):
    course_dir = tree.valid_course()
    video = course_dir / "media/clip.mp4"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=32x32:r=5:d=3",
               "-c:v", "mpeg4", "-f", "mp4", str(video)]
    subprocess.run(command, check=True, timeout=60)
    tree.replace("own-your-role/01-your-role/01-not-the-expert.md", '"0:30"', '"0:04"')  # within 2 s
    result = _run(app, "check")
    assert result.output.splitlines() == [
        'courses/own-your-role/02-advocacy/01-speak-up.md:5: duration: "1:02:03" does not match '
        "media/clip.mp4, which is 3.0 s long",
        "1 error(s).",
    ]


@pytest.mark.skipif(not _HAS_FFMPEG or not (DEMO_COURSES / "own-your-role").is_dir(), reason="needs ffprobe")
def test_the_demo_durations_match_their_videos(app):
    result = _run(app, "check", "--dir", str(DEMO_COURSES))
    assert result.exit_code == 0, result.output
