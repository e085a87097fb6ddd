"""Ask about this lesson, in a real browser: the learner asks from the player at the second she is
at, the instructor replies and accepts the answer, the learner follows the question's link back to
the player at that second, and the lesson lists its question. The author finds a reported post
from the forum's index and hides it."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.accounts.models import Role
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import EnrolmentSource
from forum import moderation, services
from forum.models import Board, Topic
from tests.browser.helpers import lesson_slugs
from tests.browser.pages import PAID_COURSE
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking

TITLE = "Where do I stand when I first go in?"
QUESTION = "At this point you say *the doorway*: do you mean literally?"
ANSWER = "Literally: stand where you can see the whole room, and watch one routine."
SECOND = 7

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def community_boards(app, demo_courses) -> None:
    with app.app_context():
        services.ensure_course_boards()
        db.session.commit()


def test_a_learner_asks_about_a_lesson_at_a_second_and_gets_an_accepted_answer(
    app, make, learner, sign_in, new_context, community_boards
):
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == PAID_COURSE))
        db.session.expunge(course)
    make.enrolment(learner, course, source=EnrolmentSource.GRANT)
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)
    (lesson_slug, lesson_title), *_rest = lesson_slugs(app, PAID_COURSE)
    lesson_path = f"/learn/{PAID_COURSE}/{lesson_slug}"

    page = sign_in(new_context(), learner).new_page()
    page.goto(lesson_path)
    expect(page.get_by_text("No questions yet")).to_be_visible()
    page.wait_for_function("() => document.getElementById('lesson-video').readyState >= 1")
    page.evaluate(f"() => {{ document.getElementById('lesson-video').currentTime = {SECOND}.4; }}")
    page.wait_for_function(f"() => Math.floor(document.querySelector('video').currentTime) == {SECOND}")
    page.get_by_role("link", name="Ask about this lesson").click()

    expect(page).to_have_url(re.compile(rf"/forum/{PAID_COURSE}/new\?lesson={lesson_slug}&t={SECOND}$"))
    expect(page.locator(".asked-about")).to_have_text(f"About: {lesson_title} at 0:0{SECOND}")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(QUESTION)
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    asked = page.get_by_role("link", name=f"{lesson_title} at 0:0{SECOND}")
    expect(asked).to_have_attribute("href", f"{lesson_path}?t={SECOND}")
    topic_url = page.url

    teacher = sign_in(new_context(), author).new_page()
    teacher.goto(topic_url)
    teacher.get_by_label("Your reply").fill(ANSWER)
    teacher.get_by_role("button", name="Post reply").click()
    expect(teacher.locator("#post-2")).to_contain_text("watch one routine")
    teacher.get_by_role("button", name="Accept as the answer post #2").click()
    expect(teacher.get_by_role("heading", name="Accepted answer")).to_be_visible()
    with app.app_context():
        topic = db.session.scalar(sa.select(Topic))
        assert topic.video_seconds == SECOND and topic.accepted_post_id is not None
        assert topic.answered_at is not None

    page.reload()
    accepted = page.locator(".accepted-answer")
    expect(accepted).to_contain_text("watch one routine")
    expect(accepted.locator(".badge-role")).to_have_text("Instructor")
    page.get_by_role("link", name=f"{lesson_title} at 0:0{SECOND}").click()
    expect(page).to_have_url(re.compile(rf"{lesson_path}\?t={SECOND}$"))
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('lesson-video').currentTime - {SECOND}) < 0.5"
    )
    questions = page.locator(".lesson-questions")
    expect(questions.get_by_role("link", name=TITLE)).to_be_visible()
    expect(questions).to_contain_text("Solved")


def test_the_q_and_a_pages_have_no_serious_accessibility_violations(
    app, make, learner, sign_in, new_context, community_boards
):
    """The lesson with its questions, a topic as a moderator sees it (accept, move, history), the
    history, report, review-queue, unanswered and suspension pages."""
    moderator = make.user(email="mod@example.com", display_name="Morgan Mod", role=Role.MODERATOR)
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == PAID_COURSE))
        board = db.session.scalar(sa.select(Board).where(Board.slug == PAID_COURSE))
        make.enrolment(learner, course, source=EnrolmentSource.GRANT)
        topic = services.create_topic(board, learner.id, TITLE, QUESTION, utcnow())
        answer = services.reply(topic, moderator.id, ANSWER, utcnow())
        services.edit_post(answer, ANSWER + "\n\nEdited.", utcnow(), editor_id=moderator.id)
        services.accept_answer(topic, answer, utcnow())
        moderation.report_post(answer, learner.id, "rude", "Too blunt.", utcnow())
        db.session.commit()
        topic_id, answer_id = topic.id, answer.id
    (lesson_slug, _title), *_rest = lesson_slugs(app, PAID_COURSE)

    found = {}
    page = axe_page(new_context, sign_in, learner)
    for name, path in (
        ("lesson-questions", f"/learn/{PAID_COURSE}/{lesson_slug}"),
        ("report-form", f"/forum/p/{answer_id}/report"),
    ):
        assert page.goto(path).ok, path
        found[name] = blocking(page)
    page = axe_page(new_context, sign_in, moderator)
    for name, path in (
        ("index-with-queues", "/forum/"),
        ("topic-moderator", f"/forum/t/{topic_id}"),
        ("history", f"/forum/p/{answer_id}/history"),
        ("reports", "/forum/reports"),
        ("unanswered", "/forum/unanswered"),
        ("suspend", f"/forum/u/{learner.id}/suspend"),
    ):
        assert page.goto(path).ok, path
        found[name] = blocking(page)
    assert_no_violations(found)


def test_the_author_finds_a_reported_post_from_the_forum_and_hides_it(
    app, make, learner, sign_in, new_context, community_boards
):
    """Her course board is her community: a learner's report reaches her queue, which the forum's
    index shows her with its count, and hiding the post takes it from the learners."""
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)
    colleague = make.user(email="sam@example.com", display_name="Sam Lee")
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == PAID_COURSE))
        board = db.session.scalar(sa.select(Board).where(Board.slug == PAID_COURSE))
        make.enrolment(learner, course, source=EnrolmentSource.GRANT)
        topic = services.create_topic(board, learner.id, TITLE, QUESTION, utcnow())
        spam = services.reply(topic, colleague.id, "Buy my course at spam.example", utcnow())
        moderation.report_post(spam, learner.id, "spam", "An advert for another course.", utcnow())
        db.session.commit()
        topic_id = topic.id

    page = sign_in(new_context(), author).new_page()
    page.goto("/forum/")
    queues = page.get_by_role("navigation", name="Your queues")
    expect(queues.get_by_role("link", name=re.compile(r"^Unanswered questions\s+1$"))).to_be_visible()
    queues.get_by_role("link", name=re.compile(r"^Reported posts\s+1$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reported posts")
    report = page.get_by_role("listitem").filter(has_text="An advert for another course.")
    expect(report).to_contain_text("Spam or advertising")
    expect(report).to_contain_text("reported by")
    report.get_by_role("button", name=re.compile(r"^Hide post")).click()
    expect(page.get_by_role("status").filter(has_text="Post #2 is hidden")).to_be_visible()
    expect(page.get_by_role("heading", name="No open reports")).to_be_visible()

    reader = sign_in(new_context(), learner).new_page()
    reader.goto(f"/forum/t/{topic_id}")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.get_by_text("spam.example")).to_have_count(0)
