"""What learners do in the browser reaches the author's charts: a learner watches a lesson to its
end with the real player, another answers the post-test (its multi-select question by keyboard),
and the author's analytics show where the first stopped and what the second chose wrongly."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Role
from courseware.content.models import Course
from courseware.extensions import db
from tests.browser.helpers import lesson_slugs
from tests.browser.pages import FREE_COURSE
from tests.browser.test_certificate_journey import complete_every_lesson, post_test_questions

pytestmark = pytest.mark.usefixtures("demo_courses")


def test_a_watched_ending_and_a_wrong_choice_show_in_the_authors_charts(app, make, new_context, sign_in):
    questions = post_test_questions(app, FREE_COURSE)
    [multiple] = [question for question in questions if len(question["answer"]) > 1]
    watcher, tester = make.user(display_name="Watcher"), make.user(display_name="Tester")
    make.enrolment(watcher, demo_course(app))
    complete_every_lesson(app, tester, FREE_COURSE)  # every lesson watched to the end (0 % to 100 %)

    watch_the_last_line_to_the_end(sign_in(new_context(), watcher).new_page(), app)
    wrong = "How can the routine be rearranged around the OT's schedule?"
    take_the_post_test(sign_in(new_context(), tester).new_page(), questions, multiple, wrong)

    page = sign_in(new_context(), make.user(role=Role.AUTHOR)).new_page()
    page.goto(f"/studio/courses/{FREE_COURSE}/analytics")
    (_slug, first_title), *_others = lesson_slugs(app, FREE_COURSE)
    stops = page.get_by_role("table", name=f"Where viewers stop: {first_title}")
    # Both learners' furthest second is the video's end: the last tenth.
    expect(stops.get_by_role("row").last).to_have_text(re.compile(r"^90–100 %.*2$"))
    items = page.get_by_role("table", name="Post-test item analysis")
    row = items.get_by_role("row", name=re.compile(re.escape(multiple["prompt"])))
    expect(row).to_have_text(re.compile(rf"1\s*0 %\s*{re.escape(wrong)}\s*\(1\)"))


def watch_the_last_line_to_the_end(page: Page, app) -> None:
    (slug, title), *_others = lesson_slugs(app, FREE_COURSE)
    page.goto(f"/learn/{FREE_COURSE}/{slug}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    with page.expect_response(re.compile(r"/progress$")) as answer:
        page.locator("#transcript button").last.click()  # jumps there and plays
        expect(page.locator("#lesson-video")).to_have_js_property("ended", True, timeout=20_000)
    assert answer.value.ok


def take_the_post_test(page: Page, questions: list[dict], multiple: dict, wrong: str) -> None:
    """Right answers everywhere but the multi-select question: one of its key and `wrong`, by keyboard."""
    page.goto(f"/learn/{FREE_COURSE}/post-test")
    page.get_by_role("button", name=re.compile(r"^Start attempt 1")).click()
    # .all() does not wait: read the questions once the attempt's page has loaded.
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test: attempt 1")
    for fieldset in page.locator("fieldset.question").all():
        shown = {text.strip() for text in fieldset.locator("label").all_inner_texts()}
        [question] = [q for q in questions if set(q["choices"]) == shown]
        if question is multiple:
            continue
        for index in question["answer"]:
            fieldset.get_by_label(question["choices"][index], exact=True).check()
    box = page.locator("fieldset.question").filter(has_text=multiple["prompt"])
    for label in (multiple["choices"][multiple["answer"][0]], wrong):
        box.get_by_label(label, exact=True).focus()
        page.keyboard.press("Space")
        expect(box.get_by_label(label, exact=True)).to_be_checked()
    page.get_by_role("button", name="Submit answers").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#score-heading")).to_contain_text("Your score")


def demo_course(app) -> Course:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == FREE_COURSE))
        db.session.expunge(course)
        return course
