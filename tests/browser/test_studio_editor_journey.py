"""The author writes in the browser: the studio, a course's lessons, the editor with its live
preview (typed script never runs and never reaches the preview), a draft learners do not see, then
Publish, and the learner's player shows the new text. Keyboard: every field has a label, and the
author publishes with the keyboard alone."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.markdown import render
from courseware.studio.models import LessonRevision
from tests.browser.conftest import PHONE
from tests.browser.helpers import tab_to
from tests.browser.script_watch import ScriptWatch
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking
from tests.browser.xss_corpus import BROWSER_VECTORS

COURSE = "own-your-role"
LESSON = "not-the-expert"
LESSON_TITLE = "You Are Not the Expert with the Final Say"
TYPED = (
    "## Start with the teacher's goal\n\n"
    "Ask what a *successful* writing block looks like before you suggest a tool.\n\n"
    "<script>window.xssFired('typed script')</script>\n\n"
    '<img src="x" onerror="window.xssFired(\'typed onerror\')">\n\n'
    "- Observe first\n- Offer one idea\n"
)

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


@pytest.fixture
def enrolled_learner(app, learner):
    with app.app_context():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == COURSE))
        db.session.add(Enrolment(user_id=learner.id, course_id=course_id, source=EnrolmentSource.GRANT))
        db.session.commit()
    return learner


def _lesson_text(page: Page) -> str:
    page.goto(f"/learn/{COURSE}/{LESSON}")
    return page.locator("main").inner_text()


def test_the_author_writes_previews_drafts_and_publishes_a_lesson(
    app, author, enrolled_learner, new_context, sign_in
):
    page = axe_page(new_context, sign_in, author)
    watch = ScriptWatch(page)
    learner = new_context()
    sign_in(learner, enrolled_learner)
    learner_page = learner.new_page()
    learner_watch = ScriptWatch(learner_page)

    page.goto("/studio/")
    page.get_by_role("link", name=re.compile(r"^Lessons\s*: Own Your Role")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lessons: Own Your Role")
    found = {"outline": blocking(page)}
    page.get_by_role("link", name=f"Edit {LESSON_TITLE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit “{LESSON_TITLE}”")
    found["editor"] = blocking(page)

    # Every field of the form has a label that names it.
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('#lesson-editor input, #lesson-editor textarea')]
              .filter((el) => el.type !== 'hidden' && el.labels.length === 0).map((el) => el.name)"""
    )
    assert unlabelled == []

    # Typing updates the live preview: rendered as learners will see it, without the script.
    with page.expect_response("**/studio/preview") as answer:
        page.get_by_label("Lesson text (markdown)").fill(TYPED)
    assert answer.value.status == 200
    preview = page.locator("#lesson-preview")
    # A list, not one text: until the script has read the answer, the pane still shows the stored
    # lesson's six headings (one heading expected there would be a strict-mode error at once).
    expect(preview.get_by_role("heading", level=2)).to_have_text(["Start with the teacher's goal"])
    expect(preview.locator("li")).to_have_text(["Observe first", "Offer one idea"])
    assert "<script" not in preview.inner_html() and "onerror" not in preview.inner_html()
    assert watch.problems() == []

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()
    expect(page.get_by_label("Lesson text (markdown)")).to_have_value(TYPED)
    assert "Start with the teacher" not in _lesson_text(learner_page)  # a draft: learners see no change

    # Publish with the keyboard alone.
    page.get_by_label("Note for the history").focus()
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Publish now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Published")).to_be_visible()
    assert watch.problems() == []

    shown = _lesson_text(learner_page)
    assert "Start with the teacher's goal" in shown and "successful writing block" in shown
    # The sanitiser drops the tags (their words stay, as text); nothing of it runs for the learner.
    assert "<script>window" not in learner_page.content() and "onerror" not in learner_page.content()
    assert learner_watch.problems() == []
    with app.app_context():
        lesson = db.session.scalars(sa.select(Lesson).where(Lesson.slug == LESSON)).one()
        statuses = db.session.scalars(
            sa.select(LessonRevision.status)
            .where(LessonRevision.lesson_id == lesson.id)
            .order_by(LessonRevision.number)
        ).all()
    assert statuses == ["draft", "published"]

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("table")).to_contain_text("Jennifer Huff")
    found["history"] = blocking(page)
    assert_no_violations(found)


def test_the_editor_and_its_history_fit_a_phone(app, author, new_context, sign_in):
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == LESSON))
    context = new_context(viewport=PHONE)
    sign_in(context, author)
    page = context.new_page()
    for path in (f"/studio/courses/{COURSE}/lessons", f"/studio/courses/{COURSE}/lessons/{lesson_id}/edit"):
        page.goto(path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375 px"
    expect(page.get_by_label("Lesson text (markdown)")).to_be_visible()


def _vector_bodies() -> list[tuple[str, str]]:
    """The corpus as few lesson texts as can show every vector, each with the name of its last one.
    A vector that swallows what follows it (an unclosed <style> or <!-- does) ends its text."""
    bodies, group = [], []
    for vector in BROWSER_VECTORS:
        group.append(vector)
        html = render(_body(group), trusted=True)
        if not all(f"after {v.name}" in html for v in group):
            bodies.append(group)
            group = []
    return [(_body(vectors), vectors[-1].name) for vectors in [*bodies, group] if vectors]


def _body(vectors: list) -> str:
    return "\n\n".join(f"before {v.name}\n\n{v.payload}\n\nafter {v.name}" for v in vectors)


@pytest.mark.parametrize("csp", [ScriptWatch.SERVED, ScriptWatch.CSP_STRIPPED])
def test_no_vector_runs_from_the_live_preview_or_the_preview_button(app, author, new_context, sign_in, csp):
    """The preview pane takes the server's HTML into the page (innerHTML): with the page's CSP and
    without it, nothing of the corpus may run or stay in the DOM."""
    with app.app_context():
        lesson_id = db.session.scalar(sa.select(Lesson.id).where(Lesson.slug == LESSON))
    context = new_context()
    sign_in(context, author)
    page = context.new_page()
    watch = ScriptWatch(page, csp=csp)
    page.goto(f"/studio/courses/{COURSE}/lessons/{lesson_id}/edit")
    pane, text = page.locator("#lesson-preview"), page.get_by_label("Lesson text (markdown)")

    for body, last in _vector_bodies():
        with page.expect_response("**/studio/preview"):
            text.fill(body)
        expect(pane).to_contain_text(f"before {last}")
        assert watch.problems() == []
        # The same HTML, rendered by the server into a new page: the next fill must wait for that
        # document, or it types into the one being left and its preview request never goes out.
        with page.expect_navigation():
            page.get_by_role("button", name="Preview").click()
        expect(pane).to_contain_text(f"before {last}")
        assert watch.problems() == []
