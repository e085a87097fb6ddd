"""Forum notifications: who hears about a post (watchers, @mentions, quotes, accepted answers), the
bell's count, the emails with their one-click links, muting, and private boards' limits."""

import re

import pytest
import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.learning.services import revoke_enrolment
from courseware.notifications.models import Notification, OutboxEmail
from forum.models import TopicWatch
from tests.forum.conftest import topic_path


@pytest.fixture
def maya(enrolled):
    return enrolled(display_name="Maya Ortiz", handle="maya", email="maya@example.com")


@pytest.fixture
def sam(enrolled):
    return enrolled(display_name="Sam Lee", handle="sam.lee", email="sam@example.com")


def _notifications(app, user) -> list[Notification]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def _emails_to(app, address: str) -> list[OutboxEmail]:
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxEmail).where(OutboxEmail.recipient == address)).all()
        db.session.expunge_all()
        return list(rows)


def _bell(app, user) -> int:
    with app.app_context():
        return db.session.get(User, user.id).unread_notifications


def _reply(client, topic, body: str):
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": body, "submit": "Post reply"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _mute_link(app, address: str) -> re.Match:
    return re.search(r"Mute this topic: http://localhost(\S+)", _emails_to(app, address)[0].body_text)


def _start_topic(client, body="Where do I start?", title="Co-teaching in the art room", board="integration"):
    response = client.post(f"/forum/{board}/new", data={"title": title, "body": body, "submit": "Post topic"})
    assert response.status_code == 302
    return int(re.search(r"/forum/t/(\d+)-", response.location).group(1))


def test_a_reply_notifies_the_topics_author_in_app_and_by_email(app, login, forum, maya, sam):
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "Start with the art teacher's **goals**.")

    [note] = _notifications(app, maya)
    assert (note.kind, note.actor_name, note.title) == ("reply", "Sam Lee", "Co-teaching in the art room")
    assert (
        note.path == f"{topic_path(topic)}#post-2" and note.excerpt == "Start with the art teacher's goals."
    )
    assert _bell(app, maya) == 1 and _notifications(app, sam) == []  # never about one's own post
    [email] = _emails_to(app, "maya@example.com")
    assert email.subject == "Sam Lee replied in “Co-teaching in the art room”"
    assert f"http://localhost{topic_path(topic)}#post-2" in email.body_text
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Mute this topic: http://localhost/forum/t/" in email.body_text
    page = login(maya).get("/me/").get_data(as_text=True)
    assert 'class="bell-count">1<span class="visually-hidden"> unread</span>' in page


def test_the_replier_watches_the_topic_from_then_on(app, login, forum, maya, sam, author):
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "Me too.")
    _reply(login(author), topic, "Here is how.")

    assert [n.kind for n in _notifications(app, sam)] == ["reply"]
    assert [n.kind for n in _notifications(app, maya)] == ["reply", "reply"]


def test_a_mention_notifies_once_and_only_outside_quotes_and_code(app, login, forum, maya, sam, member):
    topic = forum.get_topic(_start_topic(login(maya)))
    bystander = member(handle="jo", email="jo@example.com")  # not enrolled: the board is private
    _reply(login(sam), topic, "@Maya and @maya, see this. `@sam.lee` > @jo\n\n> @sam.lee wrote")

    assert [n.kind for n in _notifications(app, maya)] == ["mention"]  # a mention beats "reply"
    assert _notifications(app, bystander) == []
    [email] = _emails_to(app, "maya@example.com")
    assert email.subject == "Sam Lee mentioned you in “Co-teaching in the art room”"


def test_quoting_a_post_notifies_its_author(app, login, forum, maya, sam, author):
    topic = forum.topic("integration", author, title="Welcome")
    _reply(login(maya), topic, "Thank you!")
    client = login(sam)
    quoted = client.get(f"{topic_path(topic)}?quote=2").get_data(as_text=True)
    assert "**Maya Ortiz** wrote (#2):" in quoted  # the reply form opens with the quote
    _reply(client, topic, "> **Maya Ortiz** wrote (#2):\n> Thank you!\n\nSo say all of us.")

    assert [n.kind for n in _notifications(app, maya)] == ["quote"]


def test_an_accepted_answer_notifies_its_author(app, login, forum, maya, sam):
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "Try the co-teaching models.")
    answer = forum.get_post(topic, 2)
    response = login(maya).post(f"/forum/t/{topic.id}/accept", data={"post": str(answer.id)})

    assert response.status_code == 302
    assert [n.kind for n in _notifications(app, sam)] == ["accepted"]


def test_muting_a_topic_silences_it_even_for_mentions(app, login, forum, maya, sam):
    topic = forum.get_topic(_start_topic(login(maya)))
    client = login(maya)
    assert client.post(f"/forum/t/{topic.id}/watch", data={"level": "muted"}).status_code == 302
    _reply(login(sam), topic, "Hi @maya")

    assert _notifications(app, maya) == []
    with app.app_context():
        assert db.session.get(TopicWatch, (topic.id, maya.id)).level == "muted"


def test_an_unknown_watch_level_is_a_400(login, forum, maya):
    topic = forum.get_topic(_start_topic(login(maya)))
    assert login(maya).post(f"/forum/t/{topic.id}/watch", data={"level": "loud"}).status_code == 400


def test_watching_a_board_brings_its_new_topics(app, login, forum, maya, sam):
    assert login(sam).post("/forum/integration/watch", data={"level": "watching"}).status_code == 302
    _start_topic(login(maya), title="Sensory breaks")

    [note] = _notifications(app, sam)
    assert (note.kind, note.title) == ("new_topic", "Sensory breaks")


def test_a_refunded_learner_hears_nothing_more_from_the_private_board(app, login, forum, maya, sam):
    topic = forum.get_topic(_start_topic(login(maya)))
    with app.app_context():
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == maya.id))
        enrolment.revoked_at = utcnow()
        db.session.commit()
    _reply(login(sam), topic, "Hello @maya")

    assert _notifications(app, maya) == []


def test_a_revoked_learner_loses_the_private_boards_notifications_but_keeps_the_lounges(
    app, login, forum, maya, sam
):
    """Under the bell a notification shows a title and an excerpt: once the learner may no longer
    read the board, those go too, and the bell counts only what is left."""
    private = forum.get_topic(_start_topic(login(maya)))
    lounge = forum.get_topic(_start_topic(login(maya), title="Hello from Ohio", board="lounge"))
    _reply(login(sam), private, "The art teacher's goals first.")
    _reply(login(sam), lounge, "Welcome, neighbour!")
    assert _bell(app, maya) == 2
    with app.app_context():
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == maya.id))
        revoke_enrolment(enrolment, "refunded", utcnow())
        db.session.commit()

    assert [note.title for note in _notifications(app, maya)] == ["Hello from Ohio"]
    assert _bell(app, maya) == 1
    page = login(maya).get("/me/notifications").get_data(as_text=True)
    assert "Hello from Ohio" in page and "Co-teaching in the art room" not in page and "goals" not in page
    assert [note.title for note in _notifications(app, sam)] == []  # nobody else's changes


@pytest.mark.parametrize("taken_back_by", ["a moderator hiding it", "its author deleting it"])
def test_a_post_that_is_taken_back_takes_its_notifications_with_it(
    app, login, forum, maya, sam, moderator, taken_back_by
):
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "Buy my course at spam.example")
    _reply(login(sam), topic, "Sorry, I meant: start with the teacher's goals.")
    login(maya).get("/me/notifications/" + str(_notifications(app, maya)[1].id))  # one read, one unread
    spam = forum.get_post(topic, 2)
    if taken_back_by == "a moderator hiding it":
        login(moderator).post(f"/forum/p/{spam.id}/moderate", data={"action": "hide"})
    else:
        login(sam).post(f"/forum/p/{spam.id}/delete")

    [left] = _notifications(app, maya)
    assert left.path.endswith("#post-3") and "spam.example" not in login(maya).get(
        "/me/notifications"
    ).get_data(as_text=True)
    assert _bell(app, maya) == 0  # the unread one was the spam


def test_moving_a_topic_onto_a_private_board_takes_back_what_outsiders_were_told(
    app, login, forum, maya, sam, member, moderator
):
    outsider = member(display_name="Olive Outside", handle="olive")
    topic = forum.get_topic(_start_topic(login(outsider), title="Lunchroom seating", board="lounge"))
    _reply(login(maya), topic, "We tried assigned seats.")  # tells Olive; Maya watches from now on
    _reply(login(sam), topic, "Same here.")  # tells Olive and Maya
    assert _bell(app, outsider) == 2 and _bell(app, maya) == 1

    login(moderator).post(f"/forum/t/{topic.id}/move", data={"board": forum.board("integration").id})

    assert _notifications(app, outsider) == [] and _bell(app, outsider) == 0
    assert [note.title for note in _notifications(app, maya)] == ["Lunchroom seating"]  # she may read it


def test_hiding_a_topic_takes_back_every_notification_about_it(app, login, forum, maya, sam, moderator):
    topic = forum.get_topic(_start_topic(login(maya)))
    other = forum.get_topic(_start_topic(login(maya), title="Another question"))
    _reply(login(sam), topic, "@maya this one")
    _reply(login(sam), other, "And this one")
    login(moderator).post(f"/forum/t/{topic.id}/moderate", data={"action": "hide"})

    assert [note.title for note in _notifications(app, maya)] == ["Another question"]
    assert _bell(app, maya) == 1


def test_members_who_chose_never_get_the_bell_but_no_email(app, login, forum, maya, sam):
    with app.app_context():
        db.session.get(User, maya.id).notification_emails = "never"
        db.session.commit()
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "Hi.")

    assert len(_notifications(app, maya)) == 1 and _emails_to(app, "maya@example.com") == []


def test_the_mute_link_in_an_email_works_without_signing_in(app, client, login, forum, maya, sam):
    topic = forum.get_topic(_start_topic(login(maya)))
    _reply(login(sam), topic, "First.")
    mute = _mute_link(app, "maya@example.com")
    client.post("/auth/logout")

    page = client.get(mute.group(1))
    assert page.status_code == 200 and "Topic muted" in page.get_data(as_text=True)
    _reply(login(sam), topic, "Second.")
    assert len(_notifications(app, maya)) == 1
    assert client.get(mute.group(1).replace("/mute/", "/mute/x")).status_code == 400


def test_a_mute_token_for_one_topic_does_not_mute_another(app, client, login, forum, maya, sam):
    first = forum.get_topic(_start_topic(login(maya)))
    second = forum.get_topic(_start_topic(login(maya), title="Another"))
    _reply(login(sam), first, "First.")
    mute = _mute_link(app, "maya@example.com")

    assert client.get(mute.group(1).replace(f"/t/{first.id}/", f"/t/{second.id}/")).status_code == 400


def test_no_vector_runs_from_the_notifications_page(app, login, make):
    """Every corpus vector as the actor's name, the topic title and the excerpt of a notification:
    the bell's pages show them as text."""
    from courseware.notifications import inbox
    from tests.browser.xss_corpus import ALL_VECTORS
    from tests.forum.test_xss_corpus import script_risks

    maya = make.user()
    with app.test_request_context():
        for vector in ALL_VECTORS:
            text = vector.payload[:150]
            event = inbox.Event(title=text, path="/forum/", excerpt=inbox.excerpt(text), actor_name=text[:80])
            inbox.notify(event, {maya.id: "mention"}, utcnow())
        db.session.commit()
    client = login(maya)

    found = {}
    for page_number in range(1, len(ALL_VECTORS) // inbox.NOTIFICATIONS_PER_PAGE + 2):
        page = client.get(f"/me/notifications?page={page_number}").get_data(as_text=True)
        found[page_number] = script_risks(page, whole_page=True)
    assert not any(found.values()), found
