"""Who sees what: a course board is private to its learners, the author and moderators; everyone
else gets 404 for the board, its topics and links to its posts. The lounge is for every member."""

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from courseware.accounts.models import Role
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from forum import permissions
from tests.forum.conftest import topic_path


@pytest.fixture
def private_topic(community, forum, member, make):
    poster = member(display_name="Enrolled Poster")
    make.enrolment(poster, community)
    return forum.topic("integration", poster, title="Visual schedules", replies=1)


def test_an_outsider_gets_404_for_the_board_its_topics_and_post_links(login, member, forum, private_topic):
    client = login(member())
    post = forum.get_post(private_topic, 2)

    for url in (
        "/forum/integration/",
        "/forum/integration/new",
        topic_path(private_topic),
        f"/forum/t/{private_topic.id}",
        f"/forum/p/{post.id}",
        f"/forum/p/{post.id}/edit",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        "/forum/integration/new",
        f"/forum/t/{private_topic.id}/reply",
        f"/forum/t/{private_topic.id}/moderate",
        f"/forum/p/{post.id}/moderate",
    ):
        assert client.post(url, data={"title": "x", "body": "x", "action": "hide"}).status_code == 404, url
    assert forum.count_posts() == 2


def test_a_refunded_learner_no_longer_sees_the_course_board(
    app, login, member, make, community, private_topic
):
    learner = member()
    enrolment = make.enrolment(learner, community)
    client = login(learner)
    assert client.get("/forum/integration/").status_code == 200

    with app.app_context():
        db.session.execute(
            sa.update(Enrolment)
            .where(Enrolment.id == enrolment.id)
            .values(revoked_at=utcnow(), revoked_reason="refunded")
        )
        db.session.commit()

    assert client.get("/forum/integration/").status_code == 404
    assert client.get(topic_path(private_topic)).status_code == 404


def test_anonymous_visitors_get_404_for_course_boards_and_the_login_page_for_the_lounge(
    client, forum, member, private_topic
):
    lounge_topic = forum.topic("lounge", member())

    assert client.get("/forum/integration/").status_code == 404
    assert client.get(topic_path(private_topic)).status_code == 404
    assert client.get(f"/forum/p/{forum.get_post(private_topic, 1).id}").status_code == 404
    for url in ("/forum/lounge/", topic_path(lounge_topic)):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login?next=" in response.location


def test_enrolled_learners_the_author_and_moderators_see_the_course_board(
    make, login, member, author, moderator, community, private_topic
):
    learner = member()
    make.enrolment(learner, community)
    for user in (learner, author, moderator):
        client = login(user)
        assert client.get("/forum/integration/").status_code == 200
        assert "Visual schedules" in client.get(topic_path(private_topic)).get_data(as_text=True)


def test_every_signed_in_member_may_use_the_lounge(login, member, forum, community):
    client = login(member())
    assert "No topics yet" in client.get("/forum/lounge/").get_data(as_text=True)
    response = client.post("/forum/lounge/new", data={"title": "Hello", "body": "Hi all"})
    assert response.status_code == 302
    assert "Hi all" in client.get(response.location).get_data(as_text=True)


def test_unknown_boards_topics_and_posts_are_404(login, member, community):
    client = login(member())
    for url in (
        "/forum/nope/",
        "/forum/t/999-x",
        "/forum/t/999",
        "/forum/p/999",
        "/forum/t/99999999999999999999-x",
        "/forum/t/abc",
        "/forum/t/",
    ):
        assert client.get(url).status_code == 404, url


def test_permission_rules(app, make, forum, member, community):
    lounge, board = forum.board("lounge"), forum.board("integration")
    enrolled, outsider = member(), member()
    make.enrolment(enrolled, community)
    author = member(role=Role.AUTHOR)
    moderator = member(role=Role.MODERATOR)
    admin = member(role=Role.ADMIN)
    unverified = member(verified=False)
    anonymous = AnonymousUserMixin()

    with app.app_context():
        assert permissions.can_view_board(enrolled, board) and not permissions.can_view_board(outsider, board)
        assert all(permissions.can_view_board(u, board) for u in (author, moderator, admin))
        assert not permissions.can_view_board(anonymous, board)
        assert not permissions.can_view_board(anonymous, lounge)
        assert permissions.can_view_board(outsider, lounge)
        assert permissions.can_post(enrolled, board) and not permissions.can_post(outsider, board)
        assert not permissions.can_post(unverified, lounge)
    assert [permissions.is_moderator(u) for u in (enrolled, author, moderator, admin)] == [
        False,
        False,
        True,
        True,
    ]
    assert [permissions.is_instructor(u) for u in (enrolled, author, moderator, admin)] == [
        False,
        True,
        False,
        True,
    ]
    assert permissions.can_moderate(author, board) and not permissions.can_moderate(author, lounge)
    assert permissions.can_moderate(moderator, lounge) and not permissions.can_moderate(enrolled, board)
