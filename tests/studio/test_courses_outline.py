"""Arranging a course in the studio: modules, the order of modules and lessons, by script and by form."""

import pytest
import sqlalchemy as sa

from courseware.content.models import Course, CourseRevision, Lesson, Module
from courseware.extensions import db
from tests.studio.helpers import current_outline, reload
from tests.studio.test_courses import course_revisions

# Every test here is the author's, signed in.
pytestmark = pytest.mark.usefixtures("author")


def _add_module(app, course, title: str, slug: str, position: int) -> Module:
    with app.app_context():
        module = Module(course_id=course.id, slug=slug, title=title, position=position)
        db.session.add(module)
        db.session.commit()
        db.session.refresh(module)
        db.session.expunge(module)
        return module


def _order(app, course) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """[(module slug, position, [(lesson slug, position), ...]), ...] as stored, current ones only."""
    with app.app_context():
        modules, lessons = current_outline(course.id)
        return [
            (m.slug, m.position, [(x.slug, x.position) for x in lessons if x.module_id == m.id])
            for m in modules
        ]


def _version(app, course) -> str:
    return str(reload(app, Course, course.id).revision)


def _save_order(client, course, version: str, order: list[tuple[int, list[int]]]):
    modules = [{"id": module_id, "lessons": lessons} for module_id, lessons in order]
    return client.post(
        f"/studio/courses/{course.slug}/outline", json={"version": version, "modules": modules}
    )


def _move(client, course, version: str, kind: str, item_id: int, **action):
    data = {"kind": kind, "item_id": str(item_id), "version": version, **action}
    return client.post(f"/studio/courses/{course.slug}/outline/move", data=data)


def test_one_post_saves_a_whole_new_order_with_contiguous_positions(app, client, make, queries):
    course = make.course()
    one, two, three = make.lessons(course)
    second = _add_module(app, course, "Advocacy", "advocacy", 2)

    with queries() as statements:
        response = _save_order(
            client,
            course,
            _version(app, course),
            [(second.id, [three.id, one.id]), (one.module_id, [two.id])],
        )

    assert response.status_code == 200 and response.json["message"] == "New order saved."
    assert response.json["version"] == _version(app, course)
    assert _order(app, course) == [
        ("advocacy", 1, [("lesson-3", 1), ("lesson-1", 2)]),
        ("m1", 2, [("lesson-2", 3)]),
    ]
    updates = [s for s in statements if s.startswith("UPDATE lessons")]
    assert len(updates) <= 2 and len(statements) <= 12  # batched: not one statement per lesson
    assert course_revisions(app, course)[-1].number == reload(app, Course, course.id).revision
    # Learners' pages follow at once: the course home lists the lessons in the new order.
    learner = make.user()
    make.enrolment(learner, course)
    client.get("/auth/logout")
    html = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert html.index("Lesson 3") < html.index("Lesson 1") < html.index("Lesson 2")


def test_an_order_that_is_not_a_rearrangement_is_refused_with_a_reason(app, client, make):
    course = make.course()
    one, two, three = make.lessons(course)
    other = make.lessons(make.course())[0]
    version = _version(app, course)
    cases = [
        [(one.module_id, [one.id, two.id])],  # a lesson left out
        [(one.module_id, [one.id, two.id, three.id, three.id])],  # one twice
        [(one.module_id, [one.id, two.id, three.id, other.id])],  # another course's
        [(other.module_id, [one.id, two.id, three.id])],  # another course's module
    ]
    for order in cases:
        response = _save_order(client, course, version, order)
        assert response.status_code == 400 and "exactly once" in response.json["message"], order
    for payload in ({"modules": "x"}, {"modules": [{"id": "1", "lessons": []}]}, [1, 2], None):
        response = client.post(f"/studio/courses/{course.slug}/outline", json=payload)
        assert response.status_code == 400 and "Send JSON like" in response.json["message"]
    assert [slug for slug, _ in _order(app, course)[0][2]] == ["lesson-1", "lesson-2", "lesson-3"]


def test_an_order_from_a_stale_page_is_a_409(app, client, make):
    course = make.course()
    one, two, three = make.lessons(course)
    stale = _version(app, course)
    assert (
        _save_order(client, course, stale, [(one.module_id, [three.id, two.id, one.id])]).status_code == 200
    )
    response = _save_order(client, course, stale, [(one.module_id, [two.id, one.id, three.id])])
    assert response.status_code == 409 and "Reload the page" in response.json["message"]


def test_move_buttons_work_without_javascript(app, client, make):
    course = make.course()
    one, two, three = make.lessons(course)
    second = _add_module(app, course, "Advocacy", "advocacy", 2)

    response = _move(client, course, _version(app, course), "lesson", three.id, up="y")
    assert response.status_code == 302 and response.location.endswith(f"#lesson-{three.id}")
    assert [s for s, _ in _order(app, course)[0][2]] == ["lesson-1", "lesson-3", "lesson-2"]
    # Down from the end of its module: first in the next one.
    _move(client, course, _version(app, course), "lesson", two.id, down="y")
    _move(client, course, _version(app, course), "module", second.id, up="y")
    _move(client, course, _version(app, course), "lesson", one.id, module_id=str(second.id), to_module="y")
    assert _order(app, course) == [
        ("advocacy", 1, [("lesson-2", 1), ("lesson-1", 2)]),
        ("m1", 2, [("lesson-3", 3)]),
    ]
    page = client.get(f"/studio/courses/{course.slug}/lessons", follow_redirects=True).get_data(as_text=True)
    assert 'aria-live="polite"' in page and "js/outline.js" in page


def test_a_move_from_a_stale_page_or_of_something_else_gets_a_clear_answer(app, client, make):
    course = make.course()
    one = make.lessons(course)[0]
    other = make.lessons(make.course())[0]
    stale = _move(client, course, "0", "lesson", one.id, down="y")
    assert stale.status_code == 409 and "Reload the page" in stale.get_data(as_text=True)
    foreign = _move(client, course, _version(app, course), "lesson", other.id, down="y")
    assert foreign.status_code == 400 and "not in this course" in foreign.get_data(as_text=True)
    assert _move(client, course, _version(app, course), "lesson", one.id).status_code == 400  # no action


def test_the_outline_offers_every_control_labelled_in_few_statements(app, client, make, queries):
    course = make.course()
    one = make.lessons(course)[0]
    second = _add_module(app, course, "Advocacy", "advocacy", 2)
    with queries() as statements:
        page = client.get(f"/studio/courses/{course.slug}/lessons")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(statements) <= 8
    assert f'for="move-{one.id}"' in html and f'<option value="{second.id}">Advocacy</option>' in html
    assert "Move up<span" in html and "Move down<span" in html and 'draggable="true"' in html
    assert f"/studio/courses/{course.slug}/modules/{second.id}/remove" in html  # empty: removable
    assert f"/studio/courses/{course.slug}/modules/{one.module_id}/remove" not in html


# Modules.


def test_adding_a_module_puts_it_last_with_a_slug_from_its_title(app, client, make):
    course = make.course()
    _add_module(app, course, "Taken", "advocacy-in-iep-meetings", 2)
    response = client.post(
        f"/studio/courses/{course.slug}/modules/new",
        data={"title": "Advocacy in IEP meetings!", "intro": "Why *this*.", "save": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        module = db.session.scalars(
            sa.select(Module).where(Module.course_id == course.id).order_by(Module.position.desc())
        ).first()
        assert (module.slug, module.position, module.intro_md) == (
            "advocacy-in-iep-meetings-2",
            3,
            "Why *this*.\n",
        )
        assert "<em>this</em>" in module.intro_html
    empty = client.post(f"/studio/courses/{course.slug}/modules/new", data={"title": " ", "intro": "kept"})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 400 and "Give the module a title." in html and "kept" in html


def test_renaming_a_module_changes_its_title_and_intro_and_the_course_revision(app, client, make):
    course = make.course()
    module_id = make.lessons(course)[0].module_id
    url = f"/studio/courses/{course.slug}/modules/{module_id}/edit"
    assert 'value="Module one"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"title": "Your role", "intro": "Read **first**."}).status_code == 302
    row = reload(app, Module, module_id)
    assert (row.title, row.slug, row.intro_html.strip()) == (
        "Your role",
        "m1",
        "<p>Read <strong>first</strong>.</p>",
    )
    assert reload(app, Course, course.id).revision == course.revision + 1
    other = make.course()
    assert client.get(f"/studio/courses/{other.slug}/modules/{module_id}/edit").status_code == 404


def test_only_an_empty_module_can_be_removed_and_never_the_last_one(app, client, make):
    course = make.course()
    first = make.lessons(course)[0].module_id
    empty = _add_module(app, course, "Empty", "empty", 2)
    base = f"/studio/courses/{course.slug}/modules"

    refused = client.post(f"{base}/{first}/remove", follow_redirects=True).get_data(as_text=True)
    assert "was not removed" in refused and "Move its lessons to another module first" in refused
    assert client.post(f"{base}/{empty.id}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(Module, empty.id) is None
    with app.app_context():  # its lessons retired: the module is empty, and the course's only one
        db.session.execute(
            sa.update(Lesson).where(Lesson.course_id == course.id).values(retired_at=sa.func.now())
        )
        db.session.commit()
    last = client.post(f"{base}/{first}/remove", follow_redirects=True).get_data(as_text=True)
    assert "A course keeps at least one module" in last


def test_a_module_with_retired_lessons_is_retired_not_deleted(app, client, make):
    course = make.course()
    lessons = make.lessons(course)
    second = _add_module(app, course, "Later", "later", 2)
    with app.app_context():
        lesson = db.session.get(Lesson, lessons[2].id)
        lesson.module_id, lesson.retired_at = second.id, sa.func.now()
        db.session.commit()
    assert client.post(f"/studio/courses/{course.slug}/modules/{second.id}/remove").status_code == 302
    assert reload(app, Module, second.id).retired_at is not None


def test_a_change_saved_at_the_same_moment_is_a_409_not_an_error_page(app, client, make):
    course = make.course()
    one, two, three = make.lessons(course)
    version = _version(app, course)
    with app.app_context():  # another request took the course's next revision number meanwhile
        db.session.add(CourseRevision(course_id=course.id, number=course.revision + 1, content_hash="x"))
        db.session.commit()
    response = _save_order(client, course, version, [(one.module_id, [three.id, two.id, one.id])])
    assert response.status_code == 409 and "Reload the page" in response.json["message"]
    added = client.post(f"/studio/courses/{course.slug}/modules/new", data={"title": "Later", "intro": ""})
    assert added.status_code == 409 and "same moment" in added.get_data(as_text=True)
