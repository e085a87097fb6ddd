"""Unread tracking: the reader's position moves forward only, with no write on a page view that
shows nothing new; board pages mark new topics and new replies; reading a topic reads its
notifications."""

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.extensions import db
from forum.models import TopicRead
from tests.forum.conftest import topic_path


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def _position(app, user, topic) -> int | None:
    with app.app_context():
        return db.session.scalar(
            sa.select(TopicRead.last_read_number).where(
                TopicRead.user_id == user.id, TopicRead.topic_id == topic.id
            )
        )


def test_a_topic_page_writes_the_position_once_and_then_never_again(
    app, login, forum, queries, member, community, make
):
    maya, author = member(), member(role="author")
    make.enrolment(maya, community)
    topic = forum.topic("integration", author, replies=3)
    client = login(maya)

    with queries() as first:
        assert client.get(topic_path(topic)).status_code == 200
    with queries() as again:
        assert client.get(topic_path(topic)).status_code == 200

    assert _position(app, maya, topic) == 4
    assert len(_writes(first)) == 1 and _writes(again) == []


def test_the_position_moves_forward_only(app, login, forum, member, community, make):
    maya, author = member(), member(role="author")
    make.enrolment(maya, community)
    topic = forum.topic("integration", author)
    forum.bulk_posts(topic, author, 120)  # three pages of 50
    client = login(maya)

    client.get(f"{topic_path(topic)}?page=3")
    client.get(f"{topic_path(topic)}?page=1")

    assert _position(app, maya, topic) == 121


def test_the_board_marks_new_topics_and_new_replies(app, login, forum, member, community, make):
    maya, author = member(), member(role="author")
    make.enrolment(maya, community)
    read = forum.topic("integration", author, title="Read it all")
    forum.topic("integration", author, title="Never opened")
    client = login(maya)
    client.get(topic_path(read))
    forum.reply(read, author, "One more.")
    forum.reply(read, author, "And another.")

    page = client.get("/forum/integration/").get_data(as_text=True)

    assert 'Read it all</a>\n            <span class="badge badge-new">2 new<' in page
    assert 'Never opened</a>\n            <span class="badge badge-new">New<' in page
    client.get(topic_path(read))
    assert "2 new" not in client.get("/forum/integration/").get_data(as_text=True)


def test_a_topic_with_new_replies_opens_at_the_first_unread_post(app, login, forum, member, community, make):
    maya, author = member(), member(role="author")
    make.enrolment(maya, community)
    topic = forum.topic("integration", author, title="Long thread")
    forum.bulk_posts(topic, author, 59)  # 60 posts: page 2 starts at #51
    client = login(maya)
    client.get(topic_path(topic))  # page 1: read to #50

    def link() -> str:
        page = client.get("/forum/integration/").get_data(as_text=True)
        return page.split('">Long thread</a>')[0].rsplit('href="', 1)[1]

    assert link() == f"{topic_path(topic)}?page=2#post-51"
    client.get(f"{topic_path(topic)}?page=2")
    assert link() == topic_path(topic)  # all read: the top


def test_reading_a_topic_reads_its_notifications(app, login, forum, member, community, make):
    maya, sam = member(handle="maya"), member()
    for learner in (maya, sam):
        make.enrolment(learner, community)
    client = login(maya)
    client.post("/forum/integration/new", data={"title": "Help", "body": "Please.", "submit": "Post topic"})
    topic = forum.get_topic(_only_topic_id(app))
    login(sam).post(f"/forum/t/{topic.id}/reply", data={"body": "Here, @maya.", "submit": "Post reply"})
    with app.app_context():
        assert db.session.get(User, maya.id).unread_notifications == 1

    login(maya).get(topic_path(topic))

    with app.app_context():
        assert db.session.get(User, maya.id).unread_notifications == 0


def _only_topic_id(app) -> int:
    from forum.models import Topic

    with app.app_context():
        return db.session.scalar(sa.select(Topic.id))
