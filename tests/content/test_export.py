"""`flask courses export`: the studio's edits reach the files, stale files go, everything else stays."""

import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from courseware.content.export import export_courses
from courseware.content.models import Course, Lesson, Module
from courseware.extensions import db
from tests.content.conftest import NOW

LATER = NOW + timedelta(days=1)
COURSE = "own-your-role"
READING = f"{COURSE}/01-your-role/02-reading.md"


def _export(app, *args: str):
    return app.test_cli_runner().invoke(args=["courses", "export", *args])


def _sync(app, *args: str):
    result = app.test_cli_runner().invoke(args=["courses", "sync", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def _course() -> Course:
    return db.session.scalars(sa.select(Course).filter_by(slug=COURSE)).one()


def _lessons() -> dict[str, Lesson]:
    return {lesson.slug: lesson for lesson in db.session.scalars(sa.select(Lesson).order_by(Lesson.position))}


def _modules() -> dict[str, Module]:
    return {module.slug: module for module in db.session.scalars(sa.select(Module).order_by(Module.position))}


def _snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    return {
        path.relative_to(root).as_posix(): (
            path.read_bytes() if path.is_file() else None,
            path.stat().st_mtime_ns,
        )
        for path in root.rglob("*")
    }


def test_hand_written_files_that_say_the_same_are_left_as_written(app, tree, sync):
    # The test course leaves lesson status at its default, lists answers as [1, 0], gives a publish_at
    # in another time zone: the export writes none of it back, since each file says what the database holds.
    tree.valid_course()
    tree.write("README.md", "Notes for the author.\n")
    sync()
    before = _snapshot(tree.root)
    result = _export(app)
    assert (result.exit_code, result.output) == (0, "own-your-role: 0 written, 9 unchanged\n")
    assert _snapshot(tree.root) == before
    assert _sync(app)[-1] == "1 unchanged"


def test_studio_edits_are_written_to_the_files_and_sync_back(app, tree, sync):
    tree.valid_course()
    sync()
    with app.app_context():
        course = _course()
        course.price_cents = 2500
        course.post_test = {
            "questions": [
                {**course.post_test["questions"][0], "prompt": "Who knows the classroom best?"},
                *course.post_test["questions"][1:],
            ]
        }
        _lessons()["speak-up"].body_md = "Speak up, *kindly*.\r\n\r\nAnd often."  # as a browser sends it
        _modules()["advocacy"].title = "Advocating for Best Practice"
        db.session.commit()
    result = _export(app)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote courses/own-your-role/course.md",
        "wrote courses/own-your-role/02-advocacy/module.md",
        "wrote courses/own-your-role/02-advocacy/01-speak-up.md",
        "wrote courses/own-your-role/post-test.yaml",
        "own-your-role: 4 written, 5 unchanged",
    ]
    assert "price: 25.00 USD\n" in (tree.root / COURSE / "course.md").read_text()
    assert _sync(app)[0].startswith("own-your-role: updated, revision 2")
    with app.app_context():
        course = _course()
        assert course.price_cents == 2500
        assert course.post_test["questions"][0]["prompt"] == "Who knows the classroom best?"
        assert course.post_test["questions"][1]["answer"] == [0, 1]
        speak_up = _lessons()["speak-up"]
        assert speak_up.body_md == "Speak up, *kindly*.\n\nAnd often.\n"
        assert speak_up.body_html == "<p>Speak up, <em>kindly</em>.</p>\n<p>And often.</p>\n"
        assert _modules()["advocacy"].title == "Advocating for Best Practice"
    assert _export(app).output == "own-your-role: 0 written, 9 unchanged\n"


def test_retired_lessons_and_modules_lose_their_files_and_stay_retired(app, tree, sync):
    tree.valid_course()
    sync()
    with app.app_context():
        _lessons()["reading"].retired_at = LATER
        _modules()["advocacy"].retired_at = LATER
        for slug in ("speak-up", "coming-soon"):
            _lessons()[slug].retired_at = LATER
        _course().contact_hours = Decimal("0.35")  # the 21 minutes of the one lesson left
        db.session.commit()
    result = _export(app)
    assert result.exit_code == 0, result.output
    assert "removed courses/own-your-role/01-your-role/02-reading.md" in result.output
    assert "removed courses/own-your-role/02-advocacy/01-speak-up.md" in result.output
    assert not (tree.root / COURSE / "02-advocacy").exists()
    assert (tree.root / COURSE / "media/handout.pdf").is_file()  # media are never removed
    _sync(app)
    with app.app_context():
        assert [slug for slug, row in _lessons().items() if row.retired_at is None] == ["not-the-expert"]
        assert [slug for slug, row in _modules().items() if row.retired_at is None] == ["your-role"]


def test_a_folder_that_is_no_longer_a_module_but_holds_other_files_is_named(app, tree, sync):
    tree.valid_course()
    tree.write(f"{COURSE}/02-advocacy/diagram.png", b"\x89PNG")
    sync()
    with app.app_context():
        _modules()["advocacy"].retired_at = LATER
        for slug in ("speak-up", "coming-soon"):
            _lessons()[slug].retired_at = LATER
        db.session.commit()
    result = _export(app)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "courses/own-your-role/02-advocacy: is no longer a module but holds other files (diagram.png); "
        "move them, or sync will refuse the folder",
        "1 error(s).",
    ]
    assert sorted(p.name for p in (tree.root / COURSE / "02-advocacy").iterdir()) == ["diagram.png"]


def test_reordered_modules_and_lessons_are_renumbered(app, tree, sync):
    tree.valid_course()
    tree.write(f"{COURSE}/02-advocacy/diagram.png", b"\x89PNG")
    sync()
    with app.app_context():
        modules, lessons = _modules(), _lessons()
        modules["your-role"].position, modules["advocacy"].position = 2, 1
        lessons["not-the-expert"].position, lessons["reading"].position = 2, 1
        db.session.commit()
    result = _export(app)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "renamed courses/own-your-role/02-advocacy -> 01-advocacy",
        "renamed courses/own-your-role/01-your-role -> 02-your-role",
        "wrote courses/own-your-role/02-your-role/01-reading.md",
        "wrote courses/own-your-role/02-your-role/02-not-the-expert.md",
        "removed courses/own-your-role/02-your-role/01-not-the-expert.md",
        "removed courses/own-your-role/02-your-role/02-reading.md",
        "own-your-role: 2 written, 7 unchanged, 2 removed",
    ]
    assert (tree.root / COURSE / "01-advocacy/diagram.png").is_file()
    _sync(app)
    with app.app_context():
        assert list(_modules()) == ["advocacy", "your-role"]
        assert list(_lessons()) == ["speak-up", "coming-soon", "reading", "not-the-expert"]


def test_an_authors_own_numbering_is_kept_while_it_fits(app, tree, sync):
    tree.valid_course()
    shutil.move(tree.root / COURSE / "02-advocacy", tree.root / COURSE / "20-advocacy")
    shutil.move(tree.root / COURSE / "01-your-role", tree.root / COURSE / "10-your-role")
    sync()
    before = _snapshot(tree.root)
    assert _export(app).output == "own-your-role: 0 written, 9 unchanged\n"
    assert _snapshot(tree.root) == before


def test_media_are_copied_to_another_folder_and_a_missing_one_is_named(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    first = _export(app, "--directory", str(tmp_path / "a"))
    assert first.output.splitlines()[-1] == "own-your-role: 9 written, 0 unchanged, 3 media copied"
    for name in ("clip.mp4", "clip.vtt", "handout.pdf"):
        assert (tmp_path / "a" / COURSE / "media" / name).read_bytes() == (
            tree.root / COURSE / "media" / name
        ).read_bytes()
    assert (
        _export(app, "--directory", str(tmp_path / "a")).output == "own-your-role: 0 written, 9 unchanged\n"
    )
    tree.remove(f"{COURSE}/media/handout.pdf")
    result = _export(app, "--directory", str(tmp_path / "b"))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "own-your-role: 9 written, 0 unchanged, 2 media copied"
    assert result.stderr.splitlines() == [
        f"b/own-your-role/media/handout.pdf: is missing, and is not in {tree.root / COURSE} either",
        "1 error(s).",
    ]


def test_files_that_are_not_course_files_are_left_alone(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    tree.write(f"{COURSE}/notes.txt", "Ideas for a second course.\n")
    tree.write(f"{COURSE}/01-your-role/outline.txt", "An outline.\n")
    tree.write(f"{COURSE}/media/unused.png", b"\x89PNG")
    tree.write("free-downloads.yaml", "# not a course\n")
    tree.write("next-course/course.md", "---\ntitle: Not synced yet\n---\n")
    tree.replace(f"{COURSE}/course.md", "price: 20.00 USD", "price: 30.00 USD")  # the files are ahead
    # Files only: writing course.md (a new file renamed into place) touches its folder's time.
    files = {name: data for name, data in _snapshot(tree.root).items() if data[0] is not None}
    others = {name: data for name, data in files.items() if not name.endswith("course.md")}
    result = _export(app)
    assert result.output == "wrote courses/own-your-role/course.md\nown-your-role: 1 written, 8 unchanged\n"
    assert "price: 20.00 USD\n" in (tree.root / COURSE / "course.md").read_text()
    after = _snapshot(tree.root)
    assert {name: after[name] for name in others} == others
    assert (tree.root / "next-course/course.md").read_text() == "---\ntitle: Not synced yet\n---\n"


def test_an_unknown_course_is_refused_before_anything_is_written(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    result = _export(app, "--directory", str(tmp_path / "a"), "--course", COURSE, "--course", "nope")
    assert result.exit_code == 1
    assert result.stderr == "--course nope: no course has this slug\n1 error(s); nothing was written.\n"
    assert not (tmp_path / "a").exists()


def test_a_course_folder_that_is_a_file_is_named(app, tree, sync, tmp_path):
    tree.valid_course()
    sync()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / COURSE).write_text("not a folder")
    result = _export(app, "--directory", str(tmp_path / "a"))
    assert result.exit_code == 1
    assert result.stderr == "a/own-your-role: is a file, not a course folder\n1 error(s).\n"


def test_an_empty_database_exports_nothing(app, tmp_path):
    result = _export(app, "--directory", str(tmp_path / "a"))
    assert (result.exit_code, result.output) == (0, "")
    assert not (tmp_path / "a").exists()


def test_the_whole_export_reads_the_database_in_three_statements(app, tree, sync, queries, tmp_path):
    tree.valid_course()
    tree.valid_course("second-course")
    sync()
    with app.app_context(), queries() as statements:
        report = export_courses(tmp_path / "a", tree.root, [])
        assert [course.summary() for course in report.courses] == [
            "own-your-role: 9 written, 0 unchanged, 3 media copied",
            "second-course: 9 written, 0 unchanged, 3 media copied",
        ]
    assert len(statements) == 3


def test_a_lesson_and_a_module_made_in_the_studio_get_files_and_keep_their_rows(app, tree, sync):
    tree.valid_course()
    sync()
    with app.app_context():
        course = _course()
        module = Module(course_id=course.id, slug="next-steps", position=3, title="Next Steps")
        db.session.add(module)
        db.session.flush()
        lesson = Lesson(
            course_id=course.id,
            module_id=module.id,
            slug="your-plan",
            position=5,
            title="Your Plan",
            status="draft",
            body_md="Write *one* step.",
        )
        db.session.add(lesson)
        db.session.commit()
        ids = module.id, lesson.id
    result = _export(app)
    assert result.output.splitlines() == [
        "wrote courses/own-your-role/03-next-steps/module.md",
        "wrote courses/own-your-role/03-next-steps/01-your-plan.md",
        "own-your-role: 2 written, 9 unchanged",
    ]
    assert (tree.root / COURSE / "03-next-steps/01-your-plan.md").read_text() == (
        '---\ntitle: "Your Plan"\nstatus: draft\n---\nWrite *one* step.\n'
    )
    _sync(app)
    with app.app_context():
        assert (_modules()["next-steps"].id, _lessons()["your-plan"].id) == ids
        assert _lessons()["your-plan"].body_html == "<p>Write <em>one</em> step.</p>\n"
