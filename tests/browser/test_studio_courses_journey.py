"""The author makes a course in the browser: "New course" on the studio home, its settings (with the
live preview of the landing text), a second module, the outline rearranged by dragging and then by the
keyboard alone (the Move buttons; the result is announced), and Publish puts it in the catalogue."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson, Module
from courseware.extensions import db
from tests.browser.conftest import PHONE
from tests.browser.helpers import tab_to
from tests.browser.script_watch import ScriptWatch
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking

SLUG = "sensory-supports"
TITLE = "Sensory Supports in the Classroom"


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


def _create_course(page: Page) -> None:
    page.goto("/studio/")
    page.get_by_role("link", name="New course").click()
    expect(page.get_by_label("Instructor")).to_have_value("Jennifer Huff")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Address (slug)").fill("Sensory Supports")  # a mistake, shown beside the field
    page.get_by_label("Summary").fill("Simple sensory strategies that fit the classroom routine.")
    page.get_by_label("Price").fill("25")
    page.get_by_label("Contact hours").fill("1.5")
    page.get_by_label("Level").select_option("Intermediate")
    page.get_by_label("Category (AOTA content focus)").fill("Occupational Therapy Process")
    page.get_by_label("Learning objectives").fill("Name three sensory supports.\nEmbed one in a routine.")
    page.get_by_role("button", name="Create the course").click()
    expect(page.locator("#slug-error")).to_contain_text("lowercase letters, digits and single hyphens")
    expect(page.get_by_label("Title")).to_have_value(TITLE)  # what was typed is kept
    page.get_by_label("Address (slug)").fill(SLUG)
    page.get_by_role("button", name="Create the course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Settings: {TITLE}")


def _seed_lessons(app) -> None:
    """Three published reading lessons in the first module (writing them is the lesson editor's journey)."""
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
        module = db.session.scalar(sa.select(Module).where(Module.course_id == course.id))
        for n in (1, 2, 3):
            db.session.add(
                Lesson(
                    course_id=course.id,
                    module_id=module.id,
                    slug=f"support-{n}",
                    position=n,
                    title=f"Support {n}",
                    body_md="Text.",
                    body_html="<p>Text.</p>",
                    status="published",
                    credit_minutes=30,
                )
            )
        db.session.commit()


def _order(app) -> list[tuple[str, list[str]]]:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
        modules = db.session.scalars(
            sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
        ).all()
        lessons = db.session.scalars(
            sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
        ).all()
        return [(m.title, [x.slug for x in lessons if x.module_id == m.id]) for m in modules]


def test_the_author_creates_sets_up_arranges_and_publishes_a_course(app, author, new_context, sign_in):
    page = axe_page(new_context, sign_in, author)
    watch = ScriptWatch(page)
    _create_course(page)
    found = {"settings": blocking(page)}

    # Settings: the landing text previews live; the community switch makes the course's board.
    with page.expect_response("**/studio/preview") as answer:
        page.get_by_label("Landing page text (markdown)").fill("## Why sensory supports\n\n*Small* changes.")
    assert answer.value.status == 200
    expect(page.locator("#description-preview h2")).to_have_text(["Why sensory supports"])
    page.get_by_label("Private community board for the course's learners").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").filter(has_text="Settings saved.")).to_be_visible()
    expect(page.get_by_label("Private community board for the course's learners")).to_be_checked()

    # A second module.
    _seed_lessons(app)
    page.get_by_role("link", name="Lessons and modules").click()
    page.get_by_role("link", name="Add a module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New module")  # the new page, for axe
    found["new module"] = blocking(page)
    page.get_by_label("Title").fill("Routines")
    page.get_by_role("button", name="Save module").click()
    expect(page.get_by_role("status").filter(has_text="Module “Routines” added")).to_be_visible()
    found["outline"] = blocking(page)

    # Drag "Support 3" above "Support 1": one POST saves the order, and the page says so.
    with page.expect_response("**/outline") as saved:
        page.locator("li", has_text="Support 3").drag_to(
            page.locator("li", has_text="Support 1"), target_position={"x": 20, "y": 3}
        )
    assert saved.value.status == 200
    expect(page.locator("#outline-status")).to_have_text("New order saved.")
    assert _order(app) == [("Module 1", ["support-3", "support-1", "support-2"]), ("Routines", [])]

    # The keyboard alone: Move down on "Support 2", last in its module, takes it into "Routines".
    page.goto(f"/studio/courses/{SLUG}/lessons")  # as a keyboard user arrives: from the top
    tab_to(
        page,
        lambda state: (
            state["tag"] == "button" and " ".join(state["text"].split()) == "Move down lesson Support 2"
        ),
    )
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Moved: the new order is saved.")).to_be_visible()
    assert _order(app) == [("Module 1", ["support-3", "support-1"]), ("Routines", ["support-2"])]

    # A module is dragged by its heading, above the first.
    with page.expect_response("**/outline") as saved:
        page.get_by_role("heading", name="Routines").drag_to(
            page.get_by_role("heading", name="Module 1"), target_position={"x": 20, "y": 2}
        )
    assert saved.value.status == 200
    expect(page.locator("#outline-status")).to_have_text("New order saved.")
    assert _order(app) == [("Routines", ["support-2"]), ("Module 1", ["support-3", "support-1"])]

    # Publish: the course is in the catalogue.
    page.get_by_role("link", name="Course settings").click()
    page.get_by_role("button", name="Publish now").click()
    expect(
        page.get_by_role("status").filter(has_text="Published: the course is in the catalogue now.")
    ).to_be_visible()
    page.goto("/courses/")
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    assert watch.problems() == []
    assert_no_violations(found)


def test_the_course_pages_fit_a_phone(app, author, new_context, sign_in):
    context = new_context(viewport=PHONE)
    sign_in(context, author)
    page = context.new_page()
    _create_course(page)
    _seed_lessons(app)
    for path in (
        "/studio/courses/new",
        f"/studio/courses/{SLUG}/settings",
        f"/studio/courses/{SLUG}/lessons",
    ):
        page.goto(path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
