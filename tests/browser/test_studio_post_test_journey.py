"""The author edits the post-test in the browser: with the keyboard alone she rewrites a question,
meets a validation message beside the choice she emptied, fixes it and saves; the learner who then
starts the post-test sees the new question. The editor and the evaluation editor fit a phone."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from courseware.content.models import Course, Lesson
from courseware.extensions import db
from courseware.learning.models import EnrolmentSource
from tests.browser.conftest import PHONE
from tests.browser.helpers import focus_is_visible, focused, tab_to
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking
from tests.certificates.helpers import complete_lessons

COURSE = "own-your-role"
NEW_PROMPT = "Who writes the goals on a student's IEP?"
NEW_CHOICE = "The whole IEP team, the family included"

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


@pytest.fixture
def ready_learner(app, make, learner):
    """`learner`, enrolled in the course with every lesson complete: the post-test is open."""
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE))
        db.session.expunge(course)
    enrolment = make.enrolment(learner, course, source=EnrolmentSource.GRANT)
    with app.app_context():
        lessons = db.session.scalars(
            sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.status == "published",
                                    Lesson.retired_at.is_(None))).all()
        db.session.expunge_all()
    complete_lessons(app, enrolment, lessons)
    return learner


def _type_over(page: Page, text: str) -> None:
    """Replace the focused field's text, as a person does with the keyboard."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def _shift_tab_to(page: Page, button: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab")
        state = focused(page)
        assert focus_is_visible(state), f"no visible focus on {state}"
        if state["tag"] == "button" and state["text"] == button:
            return
    raise AssertionError(f"{button} not reached by Shift+Tab")


def test_the_author_edits_a_question_with_the_keyboard_and_the_learner_gets_it(
    app, author, ready_learner, new_context, sign_in
):
    page = axe_page(new_context, sign_in, author)
    page.goto(f"/studio/courses/{COURSE}/lessons")
    page.get_by_role("link", name="Edit the post-test").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Post-test: Own Your Role")
    found = {"post-test editor": blocking(page)}

    # Keyboard only from here: Tab to the first question, rewrite it, empty its second choice.
    tab_to(page, lambda state: state["id"] == "q1-prompt")
    _type_over(page, NEW_PROMPT)
    tab_to(page, lambda state: state["id"] == "q1-c2")
    _type_over(page, "")
    page.keyboard.press("Enter")  # Enter in a field presses the form's first button: Save

    message = "Choice 2 of question 1 is empty."
    expect(page.locator("#q1-c2-error")).to_have_text(message)
    emptied = page.get_by_label("Choice 2", exact=True).first
    expect(emptied).to_have_attribute("aria-describedby", "q1-c2-error")
    expect(page.get_by_label("Question 1 (markdown)")).to_have_value(NEW_PROMPT)  # kept as typed
    found["post-test editor with an error"] = blocking(page)

    page.get_by_role("link", name=message).focus()
    page.keyboard.press("Enter")  # the summary's link puts the focus in the field
    assert focused(page)["id"] == "q1-c2"
    page.keyboard.type(NEW_CHOICE)
    # Tab stops once at the radio group, on the ticked one (choice 3); Up ticks choice 2.
    tab_to(page, lambda state: state["id"] == "q1-correct-3")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#q1-correct-2")).to_be_checked()
    _shift_tab_to(page, "Save post-test")  # the Save button above the questions
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Post-test saved.")).to_be_visible()
    with app.app_context():
        stored = db.session.scalar(sa.select(Course.post_test).where(Course.slug == COURSE))
    assert stored["questions"][0]["prompt"] == NEW_PROMPT and stored["questions"][0]["answer"] == [1]
    assert stored["questions"][0]["choices"][1] == NEW_CHOICE

    # The evaluation editor opens from the lesson outline too.
    page.goto(f"/studio/courses/{COURSE}/lessons")
    page.get_by_role("link", name="Edit the evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluation:")
    found["evaluation editor"] = blocking(page)
    assert_no_violations(found)

    learner = sign_in(new_context(), ready_learner).new_page()
    learner.goto(f"/learn/{COURSE}/post-test")
    learner.get_by_role("button", name=re.compile(r"^Start attempt 1")).click()
    expect(learner.get_by_text(NEW_PROMPT)).to_be_visible()
    expect(learner.get_by_label(NEW_CHOICE)).to_be_visible()


def test_the_multiple_answer_switch_turns_radios_into_checkboxes(author, new_context, sign_in):
    page = sign_in(new_context(), author).new_page()
    page.goto(f"/studio/courses/{COURSE}/post-test")
    markers = page.locator("#q1-choices input[name='q1-correct']")
    expect(markers.first).to_have_attribute("type", "radio")
    page.get_by_label("Learners choose every answer that applies").first.check()
    expect(markers.first).to_have_attribute("type", "checkbox")
    assert focused(page)["id"] == "q1-multiple"


def test_the_editors_fit_a_phone(author, new_context, sign_in):
    page = sign_in(new_context(viewport=PHONE), author).new_page()
    for path in (f"/studio/courses/{COURSE}/post-test", f"/studio/courses/{COURSE}/evaluation"):
        page.goto(path)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375 px"
