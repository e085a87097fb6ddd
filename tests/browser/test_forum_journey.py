"""The course community in a real browser: a learner asks, with a preview, the author answers with
her "Instructor" badge, and someone outside the course gets a 404 for the topic."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.accounts.models import Role
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import EnrolmentSource
from forum import services
from forum.models import Board, Post, Topic
from tests.browser.pages import PAID_COURSE
from tests.browser.test_accessibility import axe_page, blocking
from tests.browser.test_script_injection import CSP_MODES, assert_none_ran, watched_page
from tests.browser.xss_corpus import BROWSER_VECTORS

TITLE = "Starting co-teaching with one period a week"
QUESTION = (
    "Our schedule gives me **one period a week** in the classroom.\n\n"
    "- Where do I start?\n- What do I measure?"
)
ANSWER = "Start with one routine the teacher already runs, and measure it *together*."

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def community_boards(app, demo_courses) -> None:
    """What `flask forum boards` does after `flask courses sync`."""
    with app.app_context():
        services.ensure_course_boards()
        db.session.commit()


def test_a_learner_asks_in_the_course_community_and_the_author_answers(
    app, make, learner, sign_in, new_context, community_boards
):
    course = _course(app)
    make.enrolment(learner, course, source=EnrolmentSource.GRANT)
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)

    page = sign_in(new_context(), learner).new_page()
    page.goto(f"/learn/{PAID_COURSE}/")
    page.get_by_role("link", name=re.compile("^Community")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_text("No topics yet")).to_be_visible()
    page.get_by_role("link", name="New topic").click()

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(QUESTION)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".forum-preview")
    expect(preview.get_by_role("heading", name="Preview")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("one period a week")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_label("Title")).to_have_value(TITLE)  # what was typed is kept
    expect(page.get_by_label("Your post")).to_have_value(QUESTION)
    assert _count(app, Topic) == 0  # a preview saves nothing

    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").filter(has_text="Your topic is posted.")).to_be_visible()
    topic_url = page.url

    author_page = sign_in(new_context(), author).new_page()
    author_page.goto(topic_url)
    expect(author_page.locator("#post-1")).to_contain_text("Where do I start?")
    author_page.get_by_label("Your reply").fill(ANSWER)
    author_page.get_by_role("button", name="Post reply").click()
    expect(author_page.locator("#post-2")).to_contain_text("measure it together")

    page.reload()
    answer = page.locator("#post-2")
    expect(answer.locator(".post-by")).to_have_text(re.compile(r"Jennifer Huff\s+Instructor"))
    expect(answer.locator(".badge-role")).to_have_text("Instructor")
    expect(answer.locator("em")).to_have_text("together")
    expect(page.locator("#post-1 .badge-role")).to_have_count(0)
    with app.app_context():
        assert db.session.scalar(sa.select(Topic.reply_count)) == 1
        assert db.session.scalar(sa.select(Post.author_id).where(Post.number == 2)) == author.id

    outsider = sign_in(new_context(), make.user(email="outsider@example.com")).new_page()
    response = outsider.goto(topic_url)
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Not Found")
    assert outsider.goto(f"/forum/{PAID_COURSE}/").status == 404


def test_forum_pages_have_no_serious_accessibility_violations(
    app, make, learner, sign_in, new_context, community_boards
):
    make.enrolment(learner, _course(app), source=EnrolmentSource.GRANT)
    page = axe_page(new_context, sign_in, learner)
    found = {}
    for name, path in (("index", "/forum/"), ("board-empty", f"/forum/{PAID_COURSE}/"),
                       ("new-topic", f"/forum/{PAID_COURSE}/new")):
        assert page.goto(path).ok
        found[name] = blocking(page)
    page.get_by_role("button", name="Post topic").click()  # empty: sent back with its errors
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    found["new-topic-errors"] = blocking(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(QUESTION)
    page.get_by_role("button", name="Preview").click()
    # A page load: axe must wait for the new document, not run on the one being left.
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()
    found["new-topic-preview"] = blocking(page)
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    found["topic"] = blocking(page)
    page.get_by_role("link", name="Delete post #1 and the topic").click()  # it asks first
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your topic?")
    found["delete-topic"] = blocking(page)
    page.goto(f"/forum/{PAID_COURSE}/")
    found["board"] = blocking(page)
    assert not any(found.values()), found


def _course(app) -> Course:
    with app.app_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == PAID_COURSE))
        db.session.expunge(course)
    return course


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("csp", CSP_MODES)
def test_no_vector_runs_from_a_topic_title_post_or_display_name(
    app, make, learner, sign_in, new_context, community_boards, csp
):
    """Each vector as a topic's title, its opening post and its poster's display name, stored
    through the services as posting stores them; the board pages and every topic page, with and
    without CSP (one run each, so the two can share the workers)."""
    course = _course(app)
    make.enrolment(learner, course, source=EnrolmentSource.GRANT)
    posters = [make.user(display_name=vector.payload) for vector in BROWSER_VECTORS]
    with app.app_context():
        board = db.session.scalar(sa.select(Board).where(Board.slug == PAID_COURSE))
        topic_ids = [
            services.create_topic(board, poster.id, vector.payload, vector.payload, utcnow()).id
            for vector, poster in zip(BROWSER_VECTORS, posters, strict=True)
        ]
        replies_to = db.session.get(Topic, topic_ids[0])
        for vector, poster in zip(BROWSER_VECTORS, posters, strict=True):
            services.reply(replies_to, poster.id, f"{vector.payload}\n\n> {vector.payload}", utcnow())
        db.session.commit()
    found = {}
    watch = watched_page(new_context, sign_in, learner, csp=csp)
    for path in (f"/forum/{PAID_COURSE}/", f"/forum/{PAID_COURSE}/?page=2"):
        watch.page.goto(path)
        found[path] = watch.problems()
    for vector, topic_id in zip(BROWSER_VECTORS, topic_ids, strict=True):
        watch.page.goto(f"/forum/t/{topic_id}")  # redirected to its canonical address
        expect(watch.page.get_by_role("heading", level=1)).to_have_text(vector.payload)  # as text
        expect(watch.page.locator("#post-1 .poster-name")).to_have_text(vector.payload)
        found[vector.name] = watch.problems()
    assert_none_ran(found)
