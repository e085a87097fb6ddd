"""`flask courses export` on the demo courses: files -> database -> files round-trips (issue 8)."""

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from courseware.content.parsing import parse_courses
from courseware.content.tree import CourseFile
from courseware.extensions import db
from tests.content.test_cli import DEMO_COURSES, DEMO_SLUGS

pytestmark = pytest.mark.skipif(not (DEMO_COURSES / "own-your-role").is_dir(), reason="no demo courses")

_SUMMARY = re.compile(r"^[a-z0-9-]+: \d+ written, \d+ unchanged")
# Where an export of the demo courses differs from the files the author wrote, and why: the database
# keeps what the files say, not how they say it. Exporting into the folder they came from keeps them.
LAYOUT_ONLY_DIFFERENCES = {
    "from-isolation-to-integration/course.md": "a YAML comment after approval.aota.number",
    "from-isolation-to-integration/post-test.yaml": "answer lists written `[0,  2,  3]`",
    "own-your-role/post-test.yaml": "answer lists written `[1,  2,  3]`",
    "tips-for-collaboration/post-test.yaml": "answer lists written `[0,  2,  3]`",
}


@pytest.fixture
def demo(tmp_path) -> Path:
    """A copy of the demo courses at the app's COURSES_DIR, so no test can write into the repo's."""
    copy = tmp_path / "courses"
    shutil.copytree(DEMO_COURSES, copy)
    return copy


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=["courses", *args])
    assert result.exit_code == 0, result.output
    return result


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _course_files(root: Path) -> dict[str, bytes]:
    """The demo's course folders only: free-downloads.yaml beside them is not a course."""
    return {name: data for name, data in _files(root).items() if "/" in name}


def _empty_database() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def test_export_sync_export_gives_byte_identical_trees(app, demo, tmp_path):
    _run(app, "sync")
    first = _run(app, "export", "--directory", str(tmp_path / "a"))
    assert [line.split(":")[0] for line in first.output.splitlines() if _SUMMARY.match(line)] == DEMO_SLUGS
    with app.app_context():
        _empty_database()
    _run(app, "sync", "--dir", str(tmp_path / "a"))
    _run(app, "export", "--directory", str(tmp_path / "b"), "--source", str(tmp_path / "a"))
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # Every course file came across, media included.
    assert sorted(a) == sorted(_course_files(DEMO_COURSES))


def test_the_export_of_the_demo_says_what_the_author_wrote(app, demo, tmp_path):
    _run(app, "sync")
    _run(app, "export", "--directory", str(tmp_path / "a"))
    written, authored = _files(tmp_path / "a"), _course_files(DEMO_COURSES)
    differing = sorted(name for name in authored if written[name] != authored[name])
    assert set(differing) <= set(LAYOUT_ONLY_DIFFERENCES)
    assert len(differing) < len([name for name in authored if name.endswith((".md", ".yaml"))])
    exported, original = parse_courses(tmp_path / "a"), parse_courses(DEMO_COURSES)
    assert exported.errors == [] and original.errors == []
    assert [_content(course) for course in exported.courses] == [_content(c) for c in original.courses]


def _content(course: CourseFile) -> dict:
    """The parsed course without where it was read from (paths, line numbers)."""
    content = dataclasses.asdict(course)
    for key in ("path", "source", "lines"):
        content.pop(key)
    for module in content["modules"]:
        module.pop("source")
        for lesson in module["lessons"]:
            for key in ("source", "lines"):
                lesson.pop(key)
    return content


def test_exporting_into_the_synced_folder_changes_nothing_and_sync_stays_idle(app, demo):
    before = _snapshot(demo)
    _run(app, "sync")
    result = _run(app, "export")
    assert [re.sub(r"\d+ unchanged", "N unchanged", line) for line in result.output.splitlines()] == [
        f"{slug}: 0 written, N unchanged" for slug in DEMO_SLUGS
    ]
    assert _snapshot(demo) == before  # the comment and the author's spacing included
    assert _run(app, "sync").output.splitlines()[-1] == "3 unchanged"


def _snapshot(root: Path) -> dict[Path, tuple[bytes | None, int]]:
    """Every file and folder with its bytes and modification time: what an untouched tree keeps."""
    return {
        path: (path.read_bytes() if path.is_file() else None, path.stat().st_mtime_ns)
        for path in root.rglob("*")
    }


def test_courses_check_passes_on_the_exported_tree(app, demo, tmp_path):
    _run(app, "sync")
    _run(app, "export", "--directory", str(tmp_path / "a"))
    check = _run(app, "check", "--dir", str(tmp_path / "a"))
    assert [line.split(":")[0] for line in check.stdout.splitlines()] == DEMO_SLUGS
    assert check.stdout == _run(app, "check", "--dir", str(demo)).stdout


def test_one_course_can_be_exported_alone(app, demo, tmp_path):
    _run(app, "sync")
    result = _run(app, "export", "--directory", str(tmp_path / "a"), "--course", "own-your-role")
    assert result.output.splitlines()[0] == "wrote a/own-your-role/course.md"
    assert result.output.splitlines()[-1].startswith("own-your-role: ")
    assert sorted(_files(tmp_path / "a")) == sorted(
        n for n in _course_files(demo) if n.startswith("own-your-role/")
    )
    assert sorted(path.name for path in (tmp_path / "a").iterdir()) == ["own-your-role"]
