"""The author helps her learners in a real browser: finds who is stuck, grants and revokes access, and
emails an announcement; the page fits a phone and every form field has a label."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from courseware.accounts.models import Role, User
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.notifications.models import OutboxEmail
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking
from tests.browser.test_layout import _OVERFLOW

COURSE = "own-your-role"
TITLE = "Own Your Role: Insights & Advocacy for School-Based OT Practitioners"

pytestmark = pytest.mark.usefixtures("demo_courses")


def enrol(app, make, name: str, email: str, days_quiet: int) -> None:
    user = make.user(email=email, display_name=name)
    now = utcnow()
    with app.app_context():
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == COURSE))
        db.session.add(
            Enrolment(
                user_id=user.id,
                course_id=course_id,
                source="purchase",
                created_at=now - timedelta(days=40),
                last_activity_at=now - timedelta(days=days_quiet),
                lessons_completed=1,
            )
        )
        db.session.commit()


def enrolment_of(app, email: str) -> Enrolment:
    with app.app_context():
        row = db.session.scalar(
            sa.select(Enrolment)
            .join(Enrolment.user)
            .join(Enrolment.course)
            .where(Course.slug == COURSE, User.email == email)
        )
        db.session.expunge(row)
        return row


@pytest.fixture
def author(make):
    return make.user(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


def test_the_author_finds_stuck_learners_grants_revokes_and_announces(
    app, make, author, learner, new_context, sign_in
):
    enrol(app, make, "Sam Stalled", "sam@example.com", days_quiet=20)
    enrol(app, make, "Riley Recent", "riley@example.com", days_quiet=1)
    page = axe_page(new_context, sign_in, author)

    page.goto("/studio/")
    # The link's name is "Learners: <title>"; Chromium puts a space before the hidden part.
    page.get_by_role("link", name=re.compile(rf"^Learners\W+{re.escape(TITLE)}$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    found = {"learners": blocking(page)}

    # Who is stuck: the filter form, by its labels.
    page.get_by_label("Show").select_option("stuck")
    page.get_by_label("Stuck after (days without activity)").fill("14")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"status=stuck"))
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="Sam Stalled")).to_be_visible()
    expect(table).not_to_contain_text("Riley Recent")
    expect(page.get_by_text("1 learner match these filters.")).to_be_visible()

    # Grant access by email.
    page.get_by_label("Learner's email").fill("nobody@example.com")
    page.get_by_role("button", name="Grant access").click()
    expect(page.locator("#email-error")).to_contain_text("No account has this email yet.")
    expect(page.get_by_label("Learner's email")).to_have_value("nobody@example.com")
    page.get_by_label("Learner's email").fill(learner.email)
    page.get_by_role("button", name="Grant access").click()
    expect(page.get_by_text(f"{learner.email} now has access to {TITLE}.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=learner.email)
    expect(row).to_contain_text("Grant")
    expect(row).to_contain_text("Active")

    # Revoke it, with a reason.
    row.get_by_role("link", name=f"Revoke access for {learner.email}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke access")
    found["revoke"] = blocking(page)
    page.get_by_role("button", name="Revoke access").click()
    expect(page.locator("#reason-error")).to_contain_text("Enter why access ends")
    page.get_by_label("Reason").fill("Enrolled by mistake")
    page.get_by_role("button", name="Revoke access").click()
    expect(page.get_by_text(f"{learner.email} no longer has access to {TITLE}.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=learner.email)).to_contain_text("Enrolled by mistake")
    revoked = enrolment_of(app, learner.email)
    assert revoked.revoked_at is not None and revoked.revoked_reason == "Enrolled by mistake"

    # An announcement to the two learners who still have access.
    page.get_by_role("link", name="Email an announcement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email an announcement")  # for axe
    found["announce"] = blocking(page)
    page.get_by_label("Subject").fill("New handout for lesson 2")
    page.get_by_label("Message").fill("I added a one-page handout you can share with teachers.")
    page.get_by_role("button", name="Send to 2 learners").click()
    expect(page.get_by_text("Sent to 2 learners.")).to_be_visible()
    found["after-announcement"] = blocking(page)
    with app.app_context():
        emails = db.session.execute(sa.select(OutboxEmail.recipient, OutboxEmail.body_text)).all()
    assert sorted(email.recipient for email in emails) == ["riley@example.com", "sam@example.com"]
    assert all(f"/learn/{COURSE}/" in email.body_text and TITLE in email.body_text for email in emails)

    # Reinstating is granting again, one click on the revoked row.
    page.get_by_role("button", name=f"Reinstate access for {learner.email}").click()
    expect(page.get_by_text("is reinstated, with their progress.")).to_be_visible()
    assert enrolment_of(app, learner.email).revoked_at is None
    assert_no_violations(found)


def test_the_learners_page_fits_a_phone_and_the_learners_are_readable_blocks(
    app, make, author, new_context, sign_in
):
    for number in range(3):
        enrol(
            app, make, f"Learner With A Rather Long Name {number}", f"long.address.{number}@example.com", 20
        )
    page = sign_in(new_context(viewport=PHONE), author).new_page()
    for path in (
        f"/studio/courses/{COURSE}/learners",
        f"/studio/courses/{COURSE}/announcement",
        f"/studio/courses/{COURSE}/learners?status=bogus",
    ):
        page.goto(path)
        overflow = page.evaluate(_OVERFLOW)
        assert overflow["scrollWidth"] <= PHONE["width"], (path, overflow)
    page.goto(f"/studio/courses/{COURSE}/learners")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "studio-learners-phone.png", full_page=True)
    # On a phone each learner is a block of labelled lines, none wider than the screen.
    row = page.get_by_role("row").filter(has_text="long.address.0@example.com")
    assert row.bounding_box()["width"] <= PHONE["width"]


def test_the_filter_form_works_from_the_keyboard(app, make, author, new_context, sign_in):
    enrol(app, make, "Sam Stalled", "sam@example.com", days_quiet=20)
    enrol(app, make, "Riley Recent", "riley@example.com", days_quiet=1)
    page = sign_in(new_context(), author).new_page()
    page.goto(f"/studio/courses/{COURSE}/learners")
    page.get_by_label("Name or email").focus()
    page.keyboard.type("SAM@")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=SAM%40"))
    expect(page.get_by_role("table")).to_contain_text("Sam Stalled")
    expect(page.get_by_role("table")).not_to_contain_text("Riley Recent")
    for label in ("Show", "Stuck after (days without activity)", "Name or email", "Learner's email"):
        expect(page.get_by_label(label)).to_be_visible()
