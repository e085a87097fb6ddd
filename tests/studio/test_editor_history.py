"""A lesson's history: the list of saves, one save against the current text, and restoring it."""

import pytest
import sqlalchemy as sa

from courseware.content.models import Lesson
from courseware.extensions import db
from tests.studio.helpers import reload
from tests.studio.test_editor import edit_url, open_editor, revisions_of, save


def _history_url(course, lesson, number: int | None = None) -> str:
    url = f"/studio/courses/{course.slug}/lessons/{lesson.id}/revisions"
    return url if number is None else f"{url}/{number}"


def test_the_history_lists_every_save_newest_first(client, author, make, queries):
    course = make.course()
    lesson = make.lessons(course)[0]
    save(client, course, lesson, body="First.", note="a first pass")
    save(client, course, lesson, action="publish", body="Second.", title="Retitled")

    with queries() as statements:
        page = client.get(_history_url(course, lesson))
    html = page.get_data(as_text=True)

    assert page.status_code == 200 and len(statements) <= 8
    assert html.index("Revision 2") < html.index("Revision 1")
    assert "Published" in html and "Draft" in html and "a first pass" in html and "Jennifer Huff" in html
    assert "Retitled" in html


def test_the_history_is_paginated(app, client, author, make):
    course = make.course()
    lesson = make.lessons(course)[0]
    for number in range(22):
        save(client, course, lesson, body=f"Version {number}.")
    first = client.get(_history_url(course, lesson)).get_data(as_text=True)
    second = client.get(_history_url(course, lesson) + "?page=2").get_data(as_text=True)
    assert "Revision 22" in first and "Revision 3<" in first and "Revision 2<" not in first
    assert "Revision 2<" in second and "Page 2 of 2" in second


def test_an_empty_history_says_so(client, author, make):
    course = make.course()
    lesson = make.lessons(course)[0]
    assert "No saves in the studio yet" in client.get(_history_url(course, lesson)).get_data(as_text=True)


def test_a_revision_shows_an_escaped_diff_against_the_current_text(client, author, make, queries):
    course = make.course()
    lesson = make.lessons(course)[0]
    save(client, course, lesson, body="Kept line.\n<script>alert(1)</script>", duration_seconds="90")
    save(client, course, lesson, body="Kept line.\nA better line.", title="Lesson one, revised")

    with queries() as statements:
        page = client.get(_history_url(course, lesson, 1))
    html = page.get_data(as_text=True)

    assert page.status_code == 200 and len(statements) <= 8
    assert '<span class="diff-line">Kept line.</span>' in html
    assert '<del class="diff-line">&lt;script&gt;alert(1)&lt;/script&gt;</del>' in html
    assert '<ins class="diff-line">A better line.</ins>' in html
    assert "<script>alert(1)" not in html
    assert "Lesson one, revised" in html and "1:30 (90 s)" in html  # the settings that differ
    assert "Restore revision 1 as the draft" in html


def test_an_unknown_revision_is_404(client, author, make):
    course = make.course()
    lesson, other = make.lessons(course)[:2]
    save(client, course, other, body="Other lesson's save.")
    assert client.get(_history_url(course, lesson, 1)).status_code == 404
    assert client.post(_history_url(course, lesson, 1) + "/restore", data={}).status_code == 404


def test_restoring_adds_a_new_draft_and_keeps_every_earlier_revision(app, client, author, make):
    course = make.course()
    lesson = make.lessons(course)[0]
    save(client, course, lesson, action="publish", body="The original.", title="Original")
    save(client, course, lesson, action="publish", body="A mistake.", title="Mistake")

    response = client.post(_history_url(course, lesson, 1) + "/restore", data={})

    assert response.status_code == 302 and response.location.endswith(edit_url(course, lesson))
    history = revisions_of(app, lesson)
    assert [(r.number, r.status, r.body_md) for r in history] == [
        (1, "published", "The original."),
        (2, "published", "A mistake."),
        (3, "draft", "The original."),
    ]
    assert history[-1].note == "Restored from revision 1"
    assert reload(app, Lesson, lesson.id).body_md == "A mistake."  # learners: until it is published
    editor = client.get(edit_url(course, lesson)).get_data(as_text=True)
    assert "Revision 1 is now the draft" in editor and "The original." in editor
    assert save(client, course, lesson, action="publish", body="The original.").status_code == 302
    assert reload(app, Lesson, lesson.id).body_md == "The original."


def test_restore_needs_the_csrf_token(app, client, author, make):
    course = make.course()
    lesson = make.lessons(course)[0]
    save(client, course, lesson, body="Saved.")
    assert client.post(_history_url(course, lesson, 1) + "/restore", data={}, csrf=False).status_code == 400
    assert len(revisions_of(app, lesson)) == 1


# New lessons.


def _new_url(course, module_id: int) -> str:
    return f"/studio/courses/{course.slug}/modules/{module_id}/lessons/new"


def _new_lesson(slug: str, action: str = "save_draft", **fields) -> dict:
    return {
        "slug": slug,
        "title": "Reading the Classroom",
        "body": "Watch the room first.",
        "duration_seconds": "",
        "credit_minutes": "",
        "publish_at": "",
        "note": "",
        action: "y",
        **fields,
    }


def test_a_new_lesson_is_a_draft_at_the_end_of_its_module(app, client, author, make, login):
    course = make.course(lessons=2)
    first = make.lessons(course)[0]
    page = client.get(_new_url(course, first.module_id))
    assert page.status_code == 200 and 'for="slug"' in page.get_data(as_text=True)

    response = client.post(_new_url(course, first.module_id), data=_new_lesson("reading-the-classroom"))

    with app.app_context():
        lesson = db.session.scalars(
            sa.select(Lesson).filter_by(course_id=course.id, slug="reading-the-classroom")
        ).one()
        db.session.expunge(lesson)
    assert response.status_code == 302 and response.location.endswith(edit_url(course, lesson))
    assert (lesson.status, lesson.position, lesson.title, lesson.body_md) == (
        "draft",
        3,
        "Reading the Classroom",
        "Watch the room first.",
    )
    assert [r.status for r in revisions_of(app, lesson)] == ["draft"]
    learner = make.user()
    make.enrolment(learner, course)
    login(learner)
    assert client.get(f"/learn/{course.slug}/reading-the-classroom").status_code == 404


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Reading The Classroom", "must be lowercase letters, digits and single hyphens"),
        ("post-test", "is taken by a course page"),
        ("lesson-1", "Another lesson of this course already uses"),
    ],
)
def test_a_new_lesson_needs_a_free_well_formed_slug(app, client, author, make, slug, message):
    course = make.course()
    module_id = make.lessons(course)[0].module_id

    response = client.post(_new_url(course, module_id), data=_new_lesson(slug))

    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html and 'id="slug-error"' in html
    assert "Watch the room first." in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Lesson.id)).filter_by(course_id=course.id)) == 3


def test_a_new_lesson_left_without_an_address_takes_one_from_its_title(app, client, author, make):
    course = make.course()
    module_id = make.lessons(course)[0].module_id

    response = client.post(_new_url(course, module_id), data=_new_lesson(""))

    assert response.status_code == 302
    with app.app_context():
        slugs = db.session.scalars(sa.select(Lesson.slug).filter_by(course_id=course.id)).all()
    assert "reading-the-classroom" in slugs


def test_a_new_lesson_in_an_earlier_module_moves_later_lessons_down(app, client, author, make):
    course = make.course(lessons=2)
    first, second = make.lessons(course)
    with app.app_context():
        from courseware.content.models import Module

        later = Module(course_id=course.id, slug="m2", position=2, title="Module two")
        db.session.add(later)
        db.session.flush()
        db.session.get(Lesson, second.id).module_id = later.id
        db.session.commit()

    client.post(_new_url(course, first.module_id), data=_new_lesson("in-between"))

    with app.app_context():
        order = db.session.scalars(
            sa.select(Lesson.slug).filter_by(course_id=course.id).order_by(Lesson.position)
        ).all()
    assert order == ["lesson-1", "in-between", "lesson-2"]


def test_the_new_lesson_preview_button_saves_nothing(app, client, author, make):
    course = make.course()
    module_id = make.lessons(course)[0].module_id
    response = client.post(
        _new_url(course, module_id), data=_new_lesson("x-y", "show_preview", body="**Bold**")
    )
    assert response.status_code == 200 and "<strong>Bold</strong>" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Lesson.id).filter_by(course_id=course.id, slug="x-y")) is None


def test_the_version_a_new_lesson_opens_with_is_its_first(client, author, make):
    course = make.course()
    module_id = make.lessons(course)[0].module_id
    client.post(_new_url(course, module_id), data=_new_lesson("fresh"))
    with client.application.app_context():
        lesson = db.session.scalars(sa.select(Lesson).filter_by(slug="fresh")).one()
        db.session.expunge(lesson)
    assert open_editor(client, course, lesson) == "1-1"
