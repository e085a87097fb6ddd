"""Notifications in a real browser: a colleague mentions a learner in the course community; the
learner sees the bell's count, opens the notification straight to the post, mutes the topic with
the keyboard, and follows the email's one-click link to stop notification emails, signed out."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.extensions import db
from courseware.learning.models import EnrolmentSource
from forum import services
from forum.models import TopicWatch
from tests.browser.helpers import outbox_link
from tests.browser.pages import PAID_COURSE
from tests.browser.test_accessibility import axe_page, blocking

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def colleagues(app, make, learner):
    """The learner and a colleague, both in the paid course with its community board."""
    with app.app_context():
        services.ensure_course_boards()
        db.session.commit()
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == PAID_COURSE))
    course = make.get(Course, course_id)
    colleague = make.user(email="sam@example.com", display_name="Sam Lee", handle="sam")
    for person in (learner, colleague):
        make.enrolment(person, course, source=EnrolmentSource.GRANT)
    return learner, colleague


def test_a_mention_reaches_the_bell_and_the_learner_can_mute_and_unsubscribe(
    app, sign_in, new_context, colleagues, learner
):
    maya, sam = colleagues
    page = sign_in(new_context(), maya).new_page()
    page.goto(f"/forum/{PAID_COURSE}/new")
    page.get_by_label("Title").fill("Sensory breaks before handwriting")
    page.get_by_label("Your post").fill("What works in your schools?")
    page.get_by_role("button", name="Post topic").click()
    expect(page.get_by_label("Notifications for this topic")).to_have_value("watching")
    topic_url = page.url  # read once the topic's page has loaded, not while the form is sent

    sam_page = sign_in(new_context(), sam).new_page()
    sam_page.goto(topic_url)
    sam_page.get_by_label("Your reply").fill(f"@{maya.handle} we do wall push-ups first.")
    sam_page.get_by_role("button", name="Post reply").click()
    expect(sam_page.locator("#post-2")).to_contain_text("wall push-ups")

    page.goto("/me/")
    bell = page.get_by_role("link", name=re.compile(r"Notifications 1 unread"))
    expect(bell).to_be_visible()
    bell.click()
    headline = "Sam Lee mentioned you in “Sensory breaks before handwriting”"
    page.get_by_role("link", name=re.compile(headline)).click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    expect(page.locator("#post-2")).to_contain_text("wall push-ups")
    expect(page.locator(".bell-count")).to_have_count(0)

    # Mute the topic with the keyboard alone.
    level = page.get_by_label("Notifications for this topic")
    level.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="This topic is now muted.")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(sa.select(TopicWatch.level).where(TopicWatch.user_id == maya.id)).all() == [
            "muted"
        ]

    # The email's one-click link works in a browser that is not signed in.
    stop_link = outbox_link(app, maya.email, "/notifications/unsubscribe/")
    visitor = new_context().new_page()
    visitor.goto(stop_link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Notification emails are off")
    with app.app_context():
        assert db.session.scalar(sa.select(User.notification_emails).where(User.id == maya.id)) == "never"


def test_notification_pages_have_no_serious_accessibility_violations(app, sign_in, new_context, colleagues):
    maya, _sam = colleagues
    page = axe_page(new_context, sign_in, maya)
    found = {}
    for name, path in (("inbox-empty", "/me/notifications"), ("settings", "/me/notifications/settings")):
        assert page.goto(path).ok
        found[name] = blocking(page)
    assert not any(found.values()), found
