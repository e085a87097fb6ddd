"""The bell: the member's notifications, reading them, email settings, the daily digest and the
one-click unsubscribe link."""

import re

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.notifications import inbox
from courseware.notifications.models import Notification, OutboxEmail


def _notify(
    app, user, title="Co-teaching", kind="reply", path="/forum/t/1-co-teaching#post-2", topic_id=None
):
    with app.test_request_context():
        event = inbox.Event(
            title=title, path=path, excerpt="Try this.", actor_name="Sam Lee", topic_id=topic_id
        )
        inbox.notify(event, {user.id: kind}, utcnow())
        db.session.commit()


def _member(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _ids(app, user) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Notification.id).where(Notification.user_id == user.id)))


def _outbox(app) -> list[OutboxEmail]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))
        db.session.expunge_all()
        return rows


def test_the_list_shows_unread_first_and_opening_one_reads_it(app, make, login):
    maya = make.user()
    _notify(app, maya, title="Sensory breaks")
    client = login(maya)

    page = client.get("/me/notifications").get_data(as_text=True)
    assert "Unread: </span>Sam Lee replied in “Sensory breaks”" in page and "Try this." in page
    [notification_id] = _ids(app, maya)
    response = client.get(f"/me/notifications/{notification_id}")
    assert response.status_code == 302 and response.location == "/forum/t/1-co-teaching#post-2"
    assert _member(app, maya.id).unread_notifications == 0
    client.get(f"/me/notifications/{notification_id}")  # a second click lowers nothing
    assert _member(app, maya.id).unread_notifications == 0


def test_another_members_notification_is_a_404(app, make, login):
    maya, sam = make.user(), make.user()
    _notify(app, maya)
    [notification_id] = _ids(app, maya)
    assert login(sam).get(f"/me/notifications/{notification_id}").status_code == 404


def test_mark_all_as_read_empties_the_bell(app, make, login):
    maya = make.user()
    for title in ("One", "Two", "Three"):
        _notify(app, maya, title=title)
    client = login(maya)
    assert 'class="bell-count">3<' in client.get("/me/").get_data(as_text=True)

    response = client.post("/me/notifications/read", follow_redirects=True)
    assert "All notifications are marked as read." in response.get_data(as_text=True)
    assert _member(app, maya.id).unread_notifications == 0
    assert "bell-count" not in client.get("/me/").get_data(as_text=True)


def test_an_empty_list_says_what_will_show_there(make, login):
    page = login(make.user()).get("/me/notifications").get_data(as_text=True)
    assert "Nothing yet." in page and "Mark all as read" not in page


def test_visitors_are_sent_to_sign_in(client):
    for path in ("/me/notifications", "/me/notifications/1", "/me/notifications/settings"):
        assert client.get(path).status_code == 302


def test_settings_save_the_choice_and_refuse_an_unknown_one(app, make, login):
    maya = make.user()
    client = login(maya)
    assert client.post("/me/notifications/settings", data={"emails": "weekly"}).status_code == 400
    response = client.post("/me/notifications/settings", data={"emails": "daily"}, follow_redirects=True)
    assert "Your notification settings are saved." in response.get_data(as_text=True)
    assert _member(app, maya.id).notification_emails == "daily"


def test_the_daily_digest_sends_one_email_of_what_is_still_unread(app, make, login):
    maya, sam = make.user(email="maya@example.com"), make.user(email="sam@example.com")
    with app.app_context():
        db.session.get(User, maya.id).notification_emails = "daily"
        db.session.commit()
    for title in ("One", "Two", "Three"):
        _notify(app, maya, title=title)
    _notify(app, sam, title="For Sam")  # Sam gets each email as it happens
    login(maya).get(f"/me/notifications/{_ids(app, maya)[1]}")  # "Two" is read in the app
    assert [email.recipient for email in _outbox(app)] == ["sam@example.com"]

    result = app.test_cli_runner().invoke(args=["notifications", "digest"])

    assert "1 daily summary queued" in result.output
    digest = _outbox(app)[-1]
    assert digest.recipient == "maya@example.com" and digest.subject.startswith("Your daily summary: 2 new")
    assert "“One”" in digest.body_text and "“Three”" in digest.body_text and "“Two”" not in digest.body_text
    again = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert "0 daily summaries queued" in again.output  # nothing is sent twice


def test_the_unsubscribe_link_stops_emails_without_signing_in_and_can_be_undone(app, client, make):
    maya = make.user(email="maya@example.com")
    _notify(app, maya)
    [email] = _outbox(app)
    link = re.search(r"Stop all notification emails: http://localhost(\S+)", email.body_text).group(1)
    assert email.headers["List-Unsubscribe"] == f"<http://localhost{link}>"

    one_click = client.post(link, csrf=False)  # what a mail program sends (RFC 8058)
    assert one_click.status_code == 200 and "Notification emails are off" in one_click.get_data(as_text=True)
    assert _member(app, maya.id).notification_emails == "never"
    _notify(app, maya)
    assert len(_outbox(app)) == 1
    client.post(f"{link}/undo")
    assert _member(app, maya.id).notification_emails == "each"


def test_a_broken_unsubscribe_link_says_so(client):
    response = client.get("/notifications/unsubscribe/not-a-token")
    assert response.status_code == 400 and "This unsubscribe link is not valid" in response.get_data(
        as_text=True
    )


def test_a_published_lesson_is_announced_to_the_courses_learners_only(app, make):
    from courseware.content.models import Lesson
    from courseware.content.signals import lesson_published
    from courseware.learning.models import Enrolment

    course = make.course(slug="own-your-role", title="Own Your Role")
    learner, refunded, outsider = make.user(), make.user(), make.user()
    make.enrolment(learner, course)
    make.enrolment(refunded, course)
    with app.app_context():
        db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == refunded.id)).revoked_at = utcnow()
        db.session.commit()
    with app.test_request_context():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.position == 2)
        )
        lesson_published.send(lesson, course_id=course.id, lesson_id=lesson.id)
        db.session.commit()

    [notification_id] = _ids(app, learner)
    assert _ids(app, refunded) == [] and _ids(app, outsider) == []
    with app.app_context():
        notification = db.session.get(Notification, notification_id)
        assert inbox.headline(notification) == "New lesson: Lesson 2"
        assert notification.path == "/learn/own-your-role/lesson-2"


def test_a_new_lesson_shows_on_the_dashboard_until_the_learner_opens_it(app, make, login):
    from courseware.content.models import Lesson
    from courseware.content.signals import lesson_published

    course = make.course(slug="own-your-role", title="Own Your Role")
    maya = make.user()
    make.enrolment(maya, course)
    with app.test_request_context():
        lesson = db.session.scalar(
            sa.select(Lesson).where(Lesson.course_id == course.id, Lesson.position == 3)
        )
        lesson_published.send(lesson, course_id=course.id, lesson_id=lesson.id)
        db.session.commit()
    client = login(maya)

    dashboard = client.get("/me/").get_data(as_text=True)
    assert 'New lesson</span> <a href="/learn/own-your-role/lesson-3">Lesson 3</a>' in dashboard
    assert client.get("/learn/own-your-role/lesson-3").status_code == 200

    assert "New lesson</span>" not in client.get("/me/").get_data(as_text=True)
    assert _member(app, maya.id).unread_notifications == 0


def test_the_notifications_page_runs_the_same_few_statements_however_many(app, make, login, queries):
    maya = make.user()
    client = login(maya)
    counts = []
    for total in (3, 60):
        while len(_ids(app, maya)) < total:
            _notify(app, maya, title=f"Topic {len(_ids(app, maya))}")
        with queries() as statements:
            assert client.get("/me/notifications").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8, counts
