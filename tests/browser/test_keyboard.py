"""Every form and the player with the keyboard alone: Tab reaches each field and button, each shows
its focus, and the keys a person would press there (typing, arrows on a list, Enter or Space on a
button) do the job. Checked by what the page then says and what the database then holds.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from courseware.accounts.models import Licence, User
from courseware.accounts.passwords import password_matches
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from forum import services as forum_services
from forum.models import Board, ForumSuspension, PostReport
from tests.browser.helpers import (
    focus_is_visible,
    focused,
    lesson_progress,
    lesson_slugs,
    outbox_link,
    press_tab,
    tab_to,
)
from tests.browser.pages import FREE_COURSE
from tests.conftest import PASSWORD

NEW_PASSWORD = "otters juggle kettles"
FREE_COURSE_TITLE = "Tips for Successful Collaboration with Teachers"


@dataclass(frozen=True)
class Stop:
    """Where one Tab should land (a field's id, or a button's text) and what the person does there."""

    name: str
    keys: tuple[str, ...] = ()  # pressed first, in order
    text: str = ""  # then typed
    # The calendar button at the end of a date field: Chromium draws its focus ring itself, inside the
    # field, where computed styles cannot see it; the check is that the button's pixels change.
    calendar_button: bool = False


def test_the_log_in_form_works_with_the_keyboard_alone(app, learner, page: Page):
    page.goto("/auth/login")
    skip_to_main(page)
    steps = tab_through(page, [
        Stop("email", text=learner.email),
        Stop("password", text=PASSWORD),
        Stop("remember", keys=("Space",)),  # ticks the checkbox
        Stop("Log in"),
    ])
    assert [(s["tag"], s["id"] or s["text"]) for s in steps] == [
        ("input", "email"), ("input", "password"), ("input", "remember"), ("button", "Log in"),
    ]
    expect(page.get_by_label("Keep me logged in on this device")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")


def test_the_sign_up_form_works_with_the_keyboard_alone(app, page: Page):
    email = "dana.brooks@example.org"
    page.goto("/auth/signup")
    skip_to_main(page)
    tab_through(page, [
        Stop("email", text=email),
        Stop("display_name", text="Dana Brooks"),
        Stop("password", text=NEW_PASSWORD),
        Stop("confirm", text=NEW_PASSWORD),
        Stop("Create account", keys=("Enter",)),
    ])
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    welcome = page.get_by_role("status").filter(has_text="Welcome!")
    expect(welcome).to_contain_text(f"We sent a link to {email}")
    user = find_user(app, email)
    assert user is not None and user.display_name == "Dana Brooks"
    assert password_matches(user.password_hash, NEW_PASSWORD)


def test_the_forgot_and_reset_password_forms_work_with_the_keyboard_alone(app, learner, page: Page):
    page.goto("/auth/forgot")
    skip_to_main(page)
    tab_through(page, [
        Stop("email", text=learner.email),
        Stop("Email me a link", keys=("Enter",)),
    ])
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    sent = page.get_by_role("status").filter(has_text=f"If an account uses {learner.email}")
    expect(sent).to_contain_text("we have emailed it a link to choose a new password")
    reset_link = outbox_link(app, learner.email, "/auth/reset/")

    # The link from the email opens the reset form, which works with the keyboard too.
    page.goto(reset_link)
    skip_to_main(page)
    tab_through(page, [
        Stop("password", text=NEW_PASSWORD),
        Stop("confirm", text=NEW_PASSWORD),
        Stop("Save new password", keys=("Enter",)),
    ])
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    expect(page.get_by_role("status").filter(has_text="Your new password is set")).to_be_visible()
    assert password_matches(find_user(app, learner.email).password_hash, NEW_PASSWORD)


def test_the_change_password_form_works_with_the_keyboard_alone(app, learner, learner_page: Page):
    page = learner_page
    page.goto("/me/password")
    skip_to_main(page)
    tab_through(page, [
        Stop("current_password", text=PASSWORD),
        Stop("password", text=NEW_PASSWORD),
        Stop("confirm", text=NEW_PASSWORD),
        Stop("Change password", keys=("Enter",)),
    ])
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    changed = "Your password is changed. Every other device was signed out."
    expect(page.get_by_role("status").filter(has_text=changed)).to_be_visible()
    assert password_matches(find_user(app, learner.email).password_hash, NEW_PASSWORD)


def test_the_profile_details_form_works_with_the_keyboard_alone(app, learner, learner_page: Page):
    page = learner_page
    page.goto("/me/profile")
    skip_to_main(page)
    tab_through(page, [
        Stop("display_name"),  # kept as it is
        Stop("handle", keys=("ControlOrMeta+a",), text="@Maya.Ortiz"),  # stored lower-case, without "@"
        Stop("legal_name", keys=("ControlOrMeta+a",), text="Maya Rose Ortiz"),  # typed over
        Stop("credential", keys=("ArrowDown",)),  # "Choose your credential" -> OTR/L, list closed
        Stop("credential_other"),
        Stop("time_zone", keys=("ArrowDown",)),  # Central (the default) -> Mountain time
        Stop("Save details", keys=("Enter",)),
    ])
    expect(page.get_by_role("status").filter(has_text="Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Legal name for certificates")).to_have_value("Maya Rose Ortiz")
    expect(page.get_by_label("Credential", exact=True)).to_have_value("OTR/L")
    user = find_user(app, learner.email)
    assert (user.display_name, user.legal_name, user.credential) == ("Maya Ortiz", "Maya Rose Ortiz", "OTR/L")
    assert user.time_zone == "America/Denver" and user.handle == "maya.ortiz"


def test_the_add_licence_form_works_with_the_keyboard_alone(app, learner, learner_page: Page):
    page = learner_page
    page.goto("/me/profile")
    skip_to_main(page)
    tab_through(page, [
        # Past the details form, untouched...
        Stop("display_name"), Stop("handle"), Stop("legal_name"), Stop("credential"),
        Stop("credential_other"), Stop("time_zone"), Stop("Save details"),
        # ...to the licence form.
        Stop("state", text="Texas"),  # typed on the closed list: it jumps to the option
        Stop("profession", keys=("ArrowDown", "ArrowDown")),  # past OT to OTA
        Stop("number", text="OTA-20417"),
        Stop("renewal_date", text="06302027"),  # month, day, year: the field moves on by itself
        Stop("renewal_date", calendar_button=True),  # the last stop in a date field; not needed
        Stop("Add license", keys=("Space",)),
    ])
    expect(page.get_by_role("status").filter(has_text="License added.")).to_be_visible()
    licences = page.locator(".licence-list")
    expect(licences).to_contain_text("Texas · OTA")
    expect(licences).to_contain_text("License number OTA-20417 · renews June 30, 2027")
    with app.app_context():
        rows = db.session.execute(
            sa.select(Licence.state, Licence.profession, Licence.number, Licence.renewal_date)
            .where(Licence.user_id == learner.id)
        ).all()
    assert [tuple(row) for row in rows] == [("TX", "OTA", "OTA-20417", date(2027, 6, 30))]


def test_enrolling_in_a_free_course_works_with_the_keyboard_alone(app, demo_courses, learner, learner_page):
    page = learner_page
    page.goto(f"/courses/{FREE_COURSE}")
    skip_to_main(page)
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Enrol for free")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text(FREE_COURSE_TITLE)
    enrolled = f"You are enrolled in {FREE_COURSE_TITLE}. Welcome!"
    expect(page.get_by_role("status").filter(has_text=enrolled)).to_be_visible()
    expect(page.get_by_role("link", name="Start the first lesson")).to_be_visible()
    with app.app_context():
        enrolment = db.session.scalar(
            sa.select(Enrolment)
            .join(Course, Enrolment.course_id == Course.id)
            .where(Enrolment.user_id == learner.id, Course.slug == FREE_COURSE)
        )
    assert enrolment is not None and enrolment.source == EnrolmentSource.FREE


def test_mark_as_done_works_with_the_keyboard_alone(app, make, learner, learner_page: Page):
    course = make.course(slug="reading-course", title="Documentation that Teachers Read", video=False)
    make.enrolment(learner, course)
    page = learner_page
    page.goto("/learn/reading-course/lesson-1")
    skip_to_main(page)
    tab_to(page, lambda state: state["tag"] == "button" and state["text"] == "Mark as done")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="“Lesson 1” is complete.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 2")  # it moves on
    assert lesson_progress(app, learner.email, "reading-course", "lesson-1").completed
    assert not lesson_progress(app, learner.email, "reading-course", "lesson-2").completed


def test_the_player_works_with_the_keyboard_alone(app, learner_with_progress, learner_page: Page):
    page = learner_page
    page.goto(f"/learn/{FREE_COURSE}/{lesson_slugs(app, FREE_COURSE)[0][0]}")
    speed = tab_to(page, lambda state: state["id"] == "playback-rate")
    assert focus_is_visible(speed), speed
    video = page.locator("#lesson-video")
    page.keyboard.press("ArrowDown")  # 1× -> 1.25×, without opening the list
    expect(page.get_by_label("Speed")).to_have_value("1.25")
    expect(video).to_have_js_property("playbackRate", 1.25)

    line = tab_to(page, lambda state: state["tag"] == "button" and "Teachers are experts" in state["text"])
    assert focus_is_visible(line), line
    page.keyboard.press("Enter")  # jumps to that line and plays
    current = page.locator("#transcript button[aria-current='true']")
    expect(current).to_contain_text("Teachers are experts")
    expect(video).to_have_js_property("paused", False)
    page.keyboard.press("Tab")
    assert focus_is_visible(focused(page)), "the next transcript line shows its focus too"

    following = tab_to(page, lambda state: state["tag"] == "a" and state["text"].startswith("Next"))
    assert focus_is_visible(following), following
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson_slugs(app, FREE_COURSE)[1][1])


# Helpers


def test_the_notification_settings_form_works_with_the_keyboard_alone(app, learner, learner_page: Page):
    page = learner_page
    page.goto("/me/notifications/settings")
    skip_to_main(page)
    tab_through(page, [
        Stop("emails", keys=("ArrowDown",)),  # each email -> one summary a day
        Stop("Save settings", keys=("Enter",)),
    ])
    saved = page.get_by_role("status").filter(has_text="Your notification settings are saved.")
    expect(saved).to_be_visible()
    assert find_user(app, learner.email).notification_emails == "daily"


def test_replying_and_reporting_in_the_forum_work_with_the_keyboard_alone(app, learner, learner_page: Page):
    topic_path = _lounge_topic_by_another_member(app)
    page = learner_page
    page.goto(topic_path)
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "body")
    page.keyboard.type("Wall push-ups before writing.")
    tab_to(page, lambda state: state["text"] == "Post reply")
    page.keyboard.press("Enter")
    expect(page.locator("#post-2")).to_contain_text("Wall push-ups before writing.")

    page.goto(topic_path)
    skip_to_main(page)
    tab_to(page, lambda state: state["tag"] == "a" and state["text"].startswith("Report"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report post #1")
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "reason-0")
    page.keyboard.press("ArrowDown")  # radio buttons: the arrow moves to "Rude or abusive" and picks it
    tab_through(page, [
        Stop("details", text="Not kind to a new member."),
        Stop("submit", keys=("Enter",)),  # the "Send report" button
    ])
    expect(page.get_by_role("status").filter(has_text="Thanks, a moderator will look at it.")).to_be_visible()
    with app.app_context():
        report = db.session.scalar(sa.select(PostReport))
        assert (report.reason, report.details) == ("rude", "Not kind to a new member.")
        assert report.reporter_id == learner.id


def test_suspending_and_reinstating_a_member_work_with_the_keyboard_alone(app, make, sign_in, new_context):
    topic_path = _lounge_topic_by_another_member(app)
    moderator = make.user(email="mod@example.com", display_name="Morgan Mod", role="moderator")
    page = sign_in(new_context(), moderator).new_page()
    page.goto(topic_path)
    skip_to_main(page)
    tab_to(page, lambda state: state["tag"] == "a" and state["text"].startswith("Suspend"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Posting by Sam Lee")
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "days")
    page.keyboard.type("0")  # out of range: the error shows beside the field, the reason is kept
    tab_through(page, [
        Stop("reason", text="Repeated advertising."),
        Stop("submit", keys=("Enter",)),
    ])
    expect(page.locator("#days-error")).to_contain_text("Between 1 and")
    expect(page.locator("#reason")).to_have_value("Repeated advertising.")
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "days")
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    tab_through(page, [Stop("reason"), Stop("submit", keys=("Enter",))])
    expect(page.get_by_role("status").filter(has_text="Sam Lee cannot post until")).to_be_visible()
    with app.app_context():
        suspension = db.session.scalar(sa.select(ForumSuspension))
        assert (suspension.reason, suspension.by_id, suspension.lifted_at) == (
            "Repeated advertising.", moderator.id, None)

    skip_to_main(page)
    tab_to(page, lambda state: state["text"] == "Lift the suspension")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Sam Lee may post again.")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(sa.select(ForumSuspension.lifted_at)) is not None


def test_granting_access_and_announcing_in_the_studio_work_with_the_keyboard_alone(
    app, make, demo_courses, sign_in, new_context
):
    author = make.user(email="jennifer@example.com", display_name="Jennifer Huff", role="author")
    maya = make.user(email="maya@example.com", display_name="Maya Ortiz")
    page = sign_in(new_context(), author).new_page()
    page.goto(f"/studio/courses/{FREE_COURSE}/learners")
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "email")
    page.keyboard.type(maya.email)
    tab_through(page, [Stop("Grant access", keys=("Enter",))])
    expect(page.get_by_role("status")).to_contain_text("maya@example.com")
    with app.app_context():
        assert db.session.scalar(sa.select(Enrolment.user_id).where(Enrolment.user_id == maya.id)) == maya.id

    page.goto(f"/studio/courses/{FREE_COURSE}/announcement")
    skip_to_main(page)
    tab_to(page, lambda state: state["id"] == "subject")
    page.keyboard.type("Live Q&A on Thursday")
    tab_through(page, [
        Stop("message", text="Bring your questions about co-teaching."),
        Stop("Send to 1 learner", keys=("Enter",)),
    ])
    expect(page.get_by_role("status").filter(has_text="Sent to 1 learner.")).to_be_visible()


def _lounge_topic_by_another_member(app) -> str:
    with app.app_context():
        forum_services.ensure_course_boards()
        lounge = db.session.scalar(sa.select(Board).where(Board.slug == forum_services.LOUNGE_SLUG))
        sam = User(email="sam@example.com", display_name="Sam Lee", handle="sam", password_hash="x",
                   email_verified_at=utcnow())
        db.session.add(sam)
        db.session.flush()
        topic = forum_services.create_topic(lounge, sam.id, "Sensory breaks", "What works for you?", utcnow())
        db.session.commit()
        return f"/forum/t/{topic.id}-{topic.slug}"


def skip_to_main(page: Page) -> None:
    """The first Tab shows the skip link; Enter on it moves focus to <main>, past the header."""
    skip = press_tab(page)
    assert skip["text"] == "Skip to main content", skip
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def tab_through(page: Page, stops: list[Stop]) -> list[dict]:
    """Tab to each stop in turn, checking it is the one expected and shows its focus, and act there."""
    reached = []
    for stop in stops:
        if stop.calendar_button:
            before = calendar_button(page)
            page.keyboard.press("Tab")
            state = focused(page)
            assert calendar_button(page) != before, f"the calendar button shows no focus: {state}"
        else:
            state = press_tab(page)
        reached.append(state)
        names = [s["id"] or s["text"] for s in reached]
        assert names[-1] == stop.name, f"Tab {len(reached)} reached {state}, not {stop.name!r}: {names}"
        for key in stop.keys:
            page.keyboard.press(key)
        if stop.text:
            page.keyboard.type(stop.text)
    return reached


def calendar_button(page: Page) -> bytes:
    """A picture of the focused date field's calendar button, at its right end inside the border."""
    box = page.evaluate(
        """() => {
          const { right, top, height } = document.activeElement.getBoundingClientRect();
          return { x: right - 40, y: top + 2, width: 38, height: height - 4 };
        }"""
    )
    return page.screenshot(clip=box)


def find_user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user
