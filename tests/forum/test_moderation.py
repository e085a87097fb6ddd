"""Moderators (and the author on her course boards) pin, lock and hide; members cannot; hidden
things leave the counts members see and come back when unhidden."""

import pytest

from courseware.accounts.models import Role
from tests.forum.conftest import post_numbers, topic_path


@pytest.fixture
def topic(forum, learner):
    return forum.topic("integration", learner, title="Visual schedules", replies=2)


def _moderate(client, topic, action):
    return client.post(f"/forum/t/{topic.id}/moderate", data={"action": action}, follow_redirects=True)


def test_pin_and_lock_by_a_moderator(login, forum, moderator, learner, topic):
    older_pinned_later = topic
    newer = forum.topic("integration", learner, title="Newer topic")
    client = login(moderator)

    pinned = _moderate(client, older_pinned_later, "pin").get_data(as_text=True)
    locked = _moderate(client, older_pinned_later, "lock").get_data(as_text=True)

    assert "pinned to the top" in pinned and "Unpin topic" in locked and "Unlock topic" in locked
    assert "The topic is locked" in locked
    stored = forum.get_topic(topic.id)
    assert stored.pinned and stored.locked
    board = login(learner).get("/forum/integration/").get_data(as_text=True)
    assert board.index("Visual schedules") < board.index("Newer topic")  # pinned first
    assert "Pinned" in board and "Locked" in board
    _moderate(login(moderator), topic, "unpin")
    board = login(learner).get("/forum/integration/").get_data(as_text=True)
    assert board.index("Newer topic") < board.index("Visual schedules")  # then latest activity
    assert newer.id != topic.id


def test_the_author_moderates_her_course_board_but_not_the_lounge(login, forum, author, member, topic):
    lounge_topic = forum.topic("lounge", member())
    client = login(author)

    assert "The topic is locked" in _moderate(client, topic, "lock").get_data(as_text=True)
    assert client.post(f"/forum/t/{lounge_topic.id}/moderate", data={"action": "lock"}).status_code == 403


def test_members_get_403_and_outsiders_404_for_moderation(login, forum, learner, member, topic):
    post = forum.get_post(topic, 2)
    client = login(learner)
    assert client.post(f"/forum/t/{topic.id}/moderate", data={"action": "hide"}).status_code == 403
    assert client.post(f"/forum/p/{post.id}/moderate", data={"action": "hide"}).status_code == 403
    assert "Hide topic" not in client.get(topic_path(topic)).get_data(as_text=True)
    outsider = login(member())
    assert outsider.post(f"/forum/t/{topic.id}/moderate", data={"action": "hide"}).status_code == 404
    assert outsider.post(f"/forum/p/{post.id}/moderate", data={"action": "hide"}).status_code == 404
    assert not forum.get_topic(topic.id).hidden_at and not forum.get_post(topic, 2).hidden_at


def test_an_unknown_action_is_a_400_not_a_500(login, moderator, topic, forum):
    client = login(moderator)
    assert client.post(f"/forum/t/{topic.id}/moderate", data={"action": "delete"}).status_code == 400
    assert client.post(f"/forum/t/{topic.id}/moderate", data={}).status_code == 400
    post = forum.get_post(topic, 2)
    assert client.post(f"/forum/p/{post.id}/moderate", data={"action": "pin"}).status_code == 400


def test_a_hidden_post_is_invisible_to_members_and_leaves_the_counts(
    login, forum, moderator, learner, member, topic
):
    last = forum.reply(topic, member(role=Role.AUTHOR, display_name="Jennifer Huff"), "The last word")
    client = login(moderator)

    response = client.post(f"/forum/p/{last.id}/moderate", data={"action": "hide"}, follow_redirects=True)
    client.post(f"/forum/p/{last.id}/moderate", data={"action": "hide"})  # a double click changes nothing

    assert "Post #4 is hidden" in response.get_data(as_text=True)
    stored = forum.get_topic(topic.id)
    assert (stored.post_count, stored.reply_count, stored.highest_number) == (3, 2, 4)
    assert stored.last_poster_id == learner.id and stored.last_post_id == forum.get_post(topic, 3).id
    assert forum.board("integration").post_count == 3
    moderator_page = client.get(topic_path(topic)).get_data(as_text=True)
    assert post_numbers(moderator_page) == [1, 2, 3, 4] and "Hidden from members" in moderator_page
    member_view = login(learner)
    page = member_view.get(topic_path(topic)).get_data(as_text=True)
    assert post_numbers(page) == [1, 2, 3] and "The last word" not in page
    assert member_view.get(f"/forum/p/{last.id}").status_code == 404

    login(moderator).post(f"/forum/p/{last.id}/moderate", data={"action": "unhide"})
    stored = forum.get_topic(topic.id)
    assert (stored.post_count, stored.reply_count, stored.last_post_id) == (4, 3, last.id)
    assert forum.board("integration").post_count == 4
    assert "The last word" in login(learner).get(topic_path(topic)).get_data(as_text=True)


def test_the_opening_post_is_hidden_with_its_topic(login, forum, moderator, learner, topic):
    opening = forum.get_post(topic, 1)
    client = login(moderator)

    response = client.post(f"/forum/p/{opening.id}/moderate", data={"action": "hide"}, follow_redirects=True)
    assert "use “Hide topic”" in response.get_data(as_text=True)
    assert forum.get_post(topic, 1).hidden_at is None

    _moderate(client, topic, "hide")
    _moderate(client, topic, "hide")  # twice: the counts move once
    assert forum.get_topic(topic.id).hidden_at is not None
    board = forum.board("integration")
    assert (board.topic_count, board.post_count) == (0, 0)
    assert "Visual schedules" in client.get("/forum/integration/").get_data(as_text=True)
    assert "Hidden from members" in client.get(topic_path(topic)).get_data(as_text=True)
    member_view = login(learner)
    assert "Visual schedules" not in member_view.get("/forum/integration/").get_data(as_text=True)
    assert member_view.get(topic_path(topic)).status_code == 404
    assert member_view.get(f"/forum/p/{opening.id}").status_code == 404

    _moderate(login(moderator), topic, "unhide")
    board = forum.board("integration")
    assert (board.topic_count, board.post_count) == (1, 3)
    assert login(learner).get(topic_path(topic)).status_code == 200


def test_a_moderator_may_still_reply_to_a_locked_topic(login, forum, moderator, topic):
    client = login(moderator)
    _moderate(client, topic, "lock")
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Closing this thread."})
    assert response.status_code == 302 and forum.get_topic(topic.id).post_count == 4
