"""`sync_courses`: creates, versions, retires and restores; an unchanged tree writes nothing."""

import os
import shutil
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from courseware.content.models import Course, CourseRevision, Lesson, Module
from courseware.content.services import InvalidCourseTree, sync_courses
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource, LessonProgress
from tests.content.conftest import NOW

LATER = NOW + timedelta(days=1)
SPEAK_UP = "own-your-role/02-advocacy/01-speak-up.md"


def _course(slug: str = "own-your-role") -> Course:
    return db.session.scalars(sa.select(Course).filter_by(slug=slug)).one()


def _lessons(slug: str = "own-your-role") -> dict[str, Lesson]:
    query = sa.select(Lesson).join(Course).where(Course.slug == slug).order_by(Lesson.position)
    return {lesson.slug: lesson for lesson in db.session.scalars(query)}


def _revisions() -> list[CourseRevision]:
    return list(db.session.scalars(sa.select(CourseRevision).order_by(CourseRevision.number)))


def test_first_sync_creates_the_course_its_modules_and_lessons(app, tree, sync):
    tree.valid_course()
    report = sync()
    assert report.lines() == ["own-your-role: created, revision 1 (2 modules, 4 lessons)", "1 created"]
    with app.app_context():
        course = _course()
        assert (course.title, course.price_cents, course.contact_hours) == (
            "Own Your Role: Insights & Advocacy", 2000, Decimal("1.00"))
        assert course.description_html == "<p>Refer to your <strong>state</strong> guidelines.</p>\n"
        assert course.completion["post_test"] == {"pass_percent": 80, "attempts": 2}
        explanation = course.post_test["questions"][0]["explanation_html"]
        assert explanation == "<p>The <em>teacher</em> knows the room.</p>\n"
        assert (course.revision, course.lesson_count, course.video_seconds) == (1, 3, 30 + 3723)
        assert course.publish_at == NOW.replace(year=2025, month=1, day=10, hour=14)
        lessons = _lessons()
        assert [(slug, row.position, row.credit_minutes) for slug, row in lessons.items()] == [
            ("not-the-expert", 1, 21), ("reading", 2, 20), ("speak-up", 3, 19), ("coming-soon", 4, 0)]
        assert lessons["not-the-expert"].transcript[0] == [0.0, 4.0, "Welcome to the course."]
        assert lessons["not-the-expert"].body_html == "<h2>Key points</h2>\n"
        assert {row.revision for row in lessons.values()} == {1}
        (revision,) = _revisions()
        assert revision.number == 1 and revision.content_hash == course.content_hash
        assert revision.lesson_hashes == {slug: row.content_hash for slug, row in lessons.items()}


def test_a_second_sync_of_unchanged_files_writes_nothing(app, tree, sync, queries):
    tree.valid_course()
    sync()
    # A fresh clone has new modification times; the content hash must not care.
    for path in tree.root.rglob("*"):
        os.utime(path, (1, 1))
    with app.app_context(), queries() as statements:
        report = sync_courses(tree.root, LATER)
        db.session.commit()
    assert report.lines() == ["own-your-role: unchanged, revision 1", "1 unchanged"]
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(statements) == 1  # the courses, and nothing more for an unchanged one
    with app.app_context():
        assert len(_revisions()) == 1 and _course().updated_at == NOW


def test_a_changed_lesson_gets_a_new_revision_and_the_course_a_new_course_revision(app, tree, sync):
    tree.valid_course()
    sync()
    tree.replace(SPEAK_UP, "Speak up.", "Speak up, kindly.")
    report = sync(LATER)
    assert report.lines()[0] == "own-your-role: updated, revision 2 (lessons changed: speak-up)"
    with app.app_context():
        lessons = _lessons()
        assert lessons["speak-up"].revision == 2
        assert lessons["speak-up"].body_html == "<p>Speak up, kindly.</p>\n"
        assert {lessons[slug].revision for slug in ("not-the-expert", "reading", "coming-soon")} == {1}
        first, second = _revisions()
        assert second.number == 2 and second.content_hash == _course().content_hash != first.content_hash
        assert second.lesson_hashes["speak-up"] != first.lesson_hashes["speak-up"]
        assert second.lesson_hashes["reading"] == first.lesson_hashes["reading"]
        assert _course().updated_at == LATER


def test_changed_media_changes_the_lessons_that_use_it(app, tree, sync):
    tree.valid_course()
    sync()
    tree.replace("own-your-role/media/clip.vtt", "Welcome to the course.", "Welcome back.")
    report = sync(LATER)
    assert report.courses[0].lessons == {"changed": ["not-the-expert", "speak-up"]}
    with app.app_context():
        assert _lessons()["speak-up"].transcript[0] == [0.0, 4.0, "Welcome back."]


def test_a_course_md_change_versions_the_course_but_no_lesson(app, tree, sync):
    tree.valid_course()
    sync()
    tree.replace("own-your-role/course.md", "price: 20.00 USD", "price: 25.00 USD")
    assert sync(LATER).lines()[0] == "own-your-role: updated, revision 2"
    with app.app_context():
        assert _course().price_cents == 2500
        assert {row.revision for row in _lessons().values()} == {1}


def _progress_on(lesson_slug: str, make) -> int:
    user = make.user()
    course = db.session.scalars(sa.select(Course)).one()
    enrolment = Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.FREE)
    progress = LessonProgress(enrolment=enrolment, lesson=_lessons()[lesson_slug], watched_seconds=12.0)
    db.session.add_all([enrolment, progress])
    db.session.commit()
    return progress.id


def test_a_removed_lesson_is_retired_not_deleted_and_its_progress_is_kept(app, tree, sync, make):
    tree.valid_course()
    sync()
    with app.app_context():
        progress_id = _progress_on("speak-up", make)
    tree.remove(SPEAK_UP)
    report = sync(LATER)
    # The two lessons that shared the remaining minutes now share them differently.
    assert report.courses[0].lessons == {"changed": ["reading"], "retired": ["speak-up"]}
    with app.app_context():
        lessons = _lessons()
        assert lessons["speak-up"].retired_at == LATER and lessons["speak-up"].revision == 1
        assert lessons["reading"].credit_minutes == 39
        assert db.session.get(LessonProgress, progress_id).watched_seconds == 12.0
        assert (_course().lesson_count, _course().video_seconds) == (2, 30)
        assert "speak-up" not in _revisions()[-1].lesson_hashes


def test_a_retired_lesson_that_reappears_is_restored_with_a_new_revision(app, tree, sync):
    tree.valid_course()
    sync()
    original = (tree.root / SPEAK_UP).read_text()
    tree.remove(SPEAK_UP)
    sync(LATER)
    tree.write(SPEAK_UP, original)
    report = sync(LATER + timedelta(days=1))
    assert report.courses[0].lessons == {"changed": ["reading"], "restored": ["speak-up"]}
    with app.app_context():
        speak_up = _lessons()["speak-up"]
        assert (speak_up.retired_at, speak_up.revision, speak_up.position) == (None, 2, 3)
        assert _course().revision == 3 and _course().lesson_count == 3


def test_a_removed_module_is_retired_and_restored(app, tree, sync):
    tree.valid_course()
    sync()
    shutil.move(tree.root / "own-your-role/02-advocacy", tree.root.parent / "advocacy")
    report = sync(LATER)
    assert report.courses[0].modules == {"retired": ["advocacy"]}
    assert report.courses[0].lessons["retired"] == ["speak-up", "coming-soon"]
    shutil.move(tree.root.parent / "advocacy", tree.root / "own-your-role/02-advocacy")
    report = sync(LATER)
    assert report.courses[0].modules == {"restored": ["advocacy"]}
    with app.app_context():
        modules = db.session.scalars(sa.select(Module).order_by(Module.position)).all()
        assert [(m.slug, m.position, m.retired_at) for m in modules] == [
            ("your-role", 1, None), ("advocacy", 2, None)]


def test_a_lesson_moved_to_another_module_keeps_its_row(app, tree, sync):
    tree.valid_course()
    sync()
    with app.app_context():
        row_id = _lessons()["reading"].id
    shutil.move(tree.root / "own-your-role/01-your-role/02-reading.md",
                tree.root / "own-your-role/02-advocacy/03-reading.md")
    sync(LATER)
    with app.app_context():
        lessons = _lessons()
        assert lessons["reading"].id == row_id and lessons["reading"].module.slug == "advocacy"
        assert [slug for slug in lessons] == ["not-the-expert", "speak-up", "coming-soon", "reading"]


def test_a_removed_course_folder_is_reported_and_left_alone(app, tree, sync):
    tree.valid_course()
    tree.valid_course("second-course")
    sync()
    shutil.rmtree(tree.root / "second-course")
    report = sync(LATER)
    assert report.lines()[0] == "own-your-role: unchanged, revision 1"
    assert report.lines()[1] == "second-course: folder missing; the course was left as it is (revision 1)"
    with app.app_context():
        assert _course("second-course").lesson_count == 3
        assert all(row.retired_at is None for row in _lessons("second-course").values())


def test_a_tree_with_errors_is_refused_and_nothing_is_written(app, tree):
    tree.valid_course()
    tree.valid_course("second-course")
    tree.replace("second-course/course.md", "level: Introductory", "level: Beginner")
    with app.app_context(), pytest.raises(InvalidCourseTree) as raised:
        sync_courses(tree.root, NOW)
    assert [str(e) for e in raised.value.errors] == [
        'courses/second-course/course.md:8: level: "Beginner" is not one of: '
        "Introductory, Intermediate, Advanced"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0
