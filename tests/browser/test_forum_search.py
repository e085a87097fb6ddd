"""Forum search in a real browser: from the forum's index, a member finds a reply with the words
highlighted and follows the result to the post on its page; an outsider's search never shows a
private board's post."""

import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.db import utcnow
from courseware.extensions import db
from forum import services
from forum.models import Board, Topic


def test_a_member_searches_follows_a_result_and_an_outsider_sees_no_private_post(
    app, make, learner, sign_in, new_context
):
    course = make.course(slug="integration", title="From Isolation to Integration", community=True)
    make.enrolment(learner, course)
    colleague = make.user(email="sam@example.com", display_name="Sam Lee")
    with app.app_context():
        services.ensure_course_boards()
        lounge = db.session.scalar(sa.select(Board).where(Board.slug == "lounge"))
        private = db.session.scalar(sa.select(Board).where(Board.slug == "integration"))
        topic = services.create_topic(lounge, colleague.id, "Morning routines", "How do you start?", utcnow())
        for n in range(55):  # the answer lands on the topic's second page
            services.reply(topic, colleague.id, f"Reply {n}: we sing the schedule.", utcnow())
        services.reply(topic, learner.id, "A visual schedule with **weighted** lap pads helps.", utcnow())
        services.create_topic(private, learner.id, "Lap pads in our district", "Course-only notes.", utcnow())
        db.session.commit()
        topic_id = db.session.scalar(sa.select(Topic.id).where(Topic.title == "Morning routines"))

    page = sign_in(new_context(), learner).new_page()
    page.goto("/forum/")
    page.get_by_role("searchbox", name="Search the forum").fill("lap pads")
    page.get_by_role("searchbox", name="Search the forum").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the forum")
    results = page.locator(".search-result")
    expect(results).to_have_count(2)
    own = results.filter(has_text="Lap pads in our district").locator("h3 mark")
    expect(own).to_have_text(["Lap", "pads"])
    lap, pads = own.nth(0).bounding_box(), own.nth(1).bounding_box()
    assert pads["x"] - (lap["x"] + lap["width"]) >= 3, "the space between the highlighted words is lost"
    reply = results.filter(has_text="Morning routines")
    expect(reply.locator("mark")).to_have_text(["lap", "pads"])
    expect(reply.locator(".search-snippet")).to_contain_text("**weighted** lap pads helps.")  # as text
    reply.get_by_role("link", name="Morning routines").click()
    expect(page).to_have_url(f"/forum/t/{topic_id}-morning-routines?page=2#post-57")
    expect(page.locator("#post-57")).to_contain_text("A visual schedule with weighted lap pads helps.")
    expect(page.locator("#post-57")).to_be_in_viewport()

    outsider = sign_in(new_context(), make.user(email="outsider@example.com")).new_page()
    outsider.goto("/forum/")
    outsider.get_by_role("searchbox", name="Search the forum").fill("lap pads")
    outsider.get_by_role("button", name="Search").click()
    expect(outsider.locator(".search-result")).to_have_count(1)
    expect(outsider.locator(".search-result")).to_contain_text("Morning routines")
    expect(outsider.get_by_text("Lap pads in our district")).to_have_count(0)
    outsider.goto("/forum/search?q=district")
    expect(outsider.get_by_role("heading", name="No posts match")).to_be_visible()
