"""The free handout and a district seat, in a real browser: a visitor joins the list from the home
page, confirms by the emailed link and gets the PDF, then unsubscribes in one click; a therapist
redeems her district's seat code and lands in the course."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.db import utcnow
from courseware.extensions import db
from courseware.notifications.models import OutboxEmail
from courseware.payments import seats
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking

pytestmark = pytest.mark.usefixtures("demo_courses")


def _emailed_link(app, kind: str) -> str:
    with app.app_context():
        body = db.session.scalar(sa.select(OutboxEmail.body_text).order_by(OutboxEmail.id.desc()))
    return re.search(rf"https?://\S+?(/{kind}/\S+)", body).group(1)


def test_a_visitor_gets_the_free_handout_by_double_opt_in_and_can_leave_the_list(app, new_context):
    page = axe_page(new_context)
    page.goto("/")
    page.get_by_role("link", name="Get the free handout").click()
    expect(page.get_by_label("First name")).to_be_visible()  # the new page, for axe
    found = {"free-download": blocking(page)}

    page.get_by_label("First name").fill("Maya")
    page.get_by_role("textbox", name="Email").fill("maya@example.com")
    page.get_by_role("button", name="Email me the download").click()
    expect(page.locator("#consent-error")).to_contain_text("Tick the box")
    expect(page.get_by_role("textbox", name="Email")).to_have_value("maya@example.com")
    page.get_by_label(re.compile("^Email me the download and the occasional note")).check()
    page.get_by_role("button", name="Email me the download").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    found["check-email"] = blocking(page)

    with page.expect_download() as download:
        page.evaluate("url => { window.location.href = url; }", _emailed_link(app, "free"))
    assert download.value.suggested_filename == "tips-for-successful-collaboration-with-teachers.pdf"

    page.goto(_emailed_link(app, "unsubscribe"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You're unsubscribed")
    found["unsubscribed"] = blocking(page)
    assert_no_violations(found)


def test_a_therapist_redeems_her_districts_seat_code(app, learner, new_context, sign_in):
    with app.app_context():
        from courseware.content.models import Course

        course = db.session.scalar(sa.select(Course).where(Course.slug == "own-your-role"))
        code = seats.create_code(course, "Springfield Public Schools", 2, None, None, utcnow()).code
        db.session.commit()
    page = sign_in(new_context(), learner).new_page()
    page.goto("/me/")
    page.get_by_role("link", name="Redeem your seat code").click()

    page.get_by_label("Seat code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Redeem").click()

    expect(page).to_have_url(re.compile(r"/learn/own-your-role/$"))
    expect(page.get_by_role("status").filter(has_text="Your seat is confirmed")).to_be_visible()
