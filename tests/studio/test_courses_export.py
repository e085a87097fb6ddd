"""A course made in the studio is a course in files: export it, sync it into an empty database, and
it says the same. Every studio change records a course revision, as a sync does."""

import pytest
import sqlalchemy as sa

from courseware.content.models import Course, CourseRevision, Lesson, Module
from courseware.extensions import db
from tests.content.test_export_roundtrip import _empty_database
from tests.studio.helpers import current_outline
from tests.studio.test_courses import NEW_COURSE, settings_form, settings_url
from tests.studio.test_editor import lesson_form

pytestmark = pytest.mark.usefixtures("author")

_COURSE_FIELDS = (
    "slug",
    "title",
    "summary",
    "instructor",
    "price_cents",
    "currency",
    "contact_hours",
    "level",
    "category",
    "objectives",
    "approval",
    "watch_percent",
    "completion",
    "community",
    "sequential",
    "status",
    "publish_at",
    "description_md",
)


def _new_lesson(client, slug: str, module_id: int, lesson_slug: str, title: str, **fields):
    data = lesson_form(
        "",
        "publish",
        title=title,
        slug=lesson_slug,
        body=f"## {title}\n\nText.",
        duration_seconds="",
        **fields,
    )
    response = client.post(f"/studio/courses/{slug}/modules/{module_id}/lessons/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _values(slug: str) -> dict:
    """What the database holds of the course, by slugs (ids differ after a fresh sync)."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    modules, lessons = current_outline(course.id)
    slugs = {module.id: module.slug for module in modules}
    return {
        "course": {name: getattr(course, name) for name in _COURSE_FIELDS},
        "modules": [(m.slug, m.position, m.title, m.intro_md.strip()) for m in modules],
        "lessons": [
            (x.slug, x.position, slugs[x.module_id], x.title, x.body_md.strip(), x.status, x.credit_minutes)
            for x in lessons
        ],
    }


def _build_course_in_the_studio(app, client) -> None:
    client.post("/studio/courses/new", data={**NEW_COURSE, "contact_hours": "1.5"})
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        first = db.session.scalar(sa.select(Module.id).where(Module.course_id == course.id))
    client.post(
        "/studio/courses/own-your-role/modules/new", data={"title": "Advocacy", "intro": "Speak *up*."}
    )
    with app.app_context():
        second = db.session.scalar(sa.select(Module.id).where(Module.slug == "advocacy"))
    _new_lesson(client, "own-your-role", first, "not-the-expert", "Not the Expert")
    _new_lesson(client, "own-your-role", second, "speak-up", "Speak Up", credit_minutes="30")
    _new_lesson(client, "own-your-role", second, "in-the-iep", "In the IEP")
    # Move "In the IEP" up, then the second module to the top.
    with app.app_context():
        iep = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == "in-the-iep"))
        version = str(db.session.scalar(sa.select(Course.revision).where(Course.slug == "own-your-role")))
    client.post(
        "/studio/courses/own-your-role/outline/move",
        data={"kind": "lesson", "item_id": str(iep), "version": version, "up": "y"},
    )
    with app.app_context():
        version = str(db.session.scalar(sa.select(Course.revision).where(Course.slug == "own-your-role")))
    client.post(
        "/studio/courses/own-your-role/outline/move",
        data={"kind": "module", "item_id": str(second), "version": version, "up": "y"},
    )
    course_row = _course_row(app)
    data = settings_form(
        client,
        course_row,
        contact_hours="1.5",
        price="35",
        description="**Why** it matters.",
        approval="aota",
        aota_provider="Jennifer Huff, LLC",
        aota_number="12345",
        watch_percent="80",
        evaluation="y",
        attestation="y",
        community="y",
        sequential="y",
    )
    assert client.post(settings_url(course_row), data=data).status_code == 302
    assert client.post("/studio/courses/own-your-role/publish", data={"publish": "y"}).status_code == 302


def _course_row(app) -> Course:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        db.session.expunge(course)
        return course


def test_a_studio_made_course_exports_and_syncs_back_to_the_same_values(app, client, tmp_path):
    _build_course_in_the_studio(app, client)
    # A module the author has not written lessons for yet travels too.
    client.post("/studio/courses/own-your-role/modules/new", data={"title": "Next steps", "intro": ""})
    with app.app_context():
        before = _values("own-your-role")
    assert [slug for slug, *_ in before["lessons"]] == ["in-the-iep", "speak-up", "not-the-expert"]
    assert [slug for slug, *_ in before["modules"]][-1] == "next-steps"

    runner = app.test_cli_runner()
    exported = runner.invoke(args=["courses", "export", "--directory", str(tmp_path / "out")])
    assert exported.exit_code == 0, exported.output
    checked = runner.invoke(args=["courses", "check", "--dir", str(tmp_path / "out"), "--skip-media"])
    assert checked.exit_code == 0, checked.output
    with app.app_context():
        _empty_database()
    synced = runner.invoke(args=["courses", "sync", "--dir", str(tmp_path / "out")])
    assert synced.exit_code == 0, synced.output

    with app.app_context():
        after = _values("own-your-role")
    assert after == before


def test_every_studio_change_records_a_course_revision(app, client):
    _build_course_in_the_studio(app, client)
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        revisions = db.session.scalars(
            sa.select(CourseRevision)
            .where(CourseRevision.course_id == course.id)
            .order_by(CourseRevision.number)
        ).all()
        # Created, a module added, three lessons published, two moves, the settings: one revision each.
        assert [row.number for row in revisions] == list(
            range(1, course.revision + 1)
        ) and course.revision == 8
        assert set(revisions[-1].lesson_hashes) == {"not-the-expert", "speak-up", "in-the-iep"}
        assert len({row.content_hash for row in revisions}) == len(revisions)
