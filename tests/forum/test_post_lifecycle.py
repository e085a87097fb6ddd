"""Edit history with diffs for moderators, deleting within the grace period, quoting a post, and
the topic page still running a constant number of statements with all of it."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.extensions import db
from forum.models import Post, PostRevision
from tests.forum.conftest import post_numbers, topic_path


@pytest.fixture
def topic(forum, learner):
    return forum.topic(
        "integration", learner, title="Visual schedules", body="First line\nSecond line", replies=2
    )


def _age(app, post, minutes):
    with app.app_context():
        db.session.execute(
            sa.update(Post)
            .where(Post.id == post.id)
            .values(created_at=post.created_at - timedelta(minutes=minutes))
        )
        db.session.commit()


# Edit history


def test_every_edit_keeps_a_revision_and_moderators_see_the_diff(
    app, login, forum, learner, moderator, topic
):
    opening = forum.get_post(topic, 1)
    client = login(learner)
    client.post(f"/forum/p/{opening.id}/edit", data={"body": "First line\nSecond line <b>changed</b>"})
    client.post(
        f"/forum/p/{opening.id}/edit", data={"body": "First line\nSecond line <b>changed</b>"}
    )  # same
    client.post(f"/forum/p/{opening.id}/edit", data={"body": "New first line\nSecond line <b>changed</b>"})

    with app.app_context():
        revisions = db.session.scalars(sa.select(PostRevision).order_by(PostRevision.number)).all()
        assert [(r.number, r.body_md, r.edited_by_id) for r in revisions] == [
            (1, "First line\nSecond line", learner.id),
            (2, "First line\nSecond line <b>changed</b>", learner.id),
        ]
    member_page = client.get(topic_path(topic)).get_data(as_text=True)
    assert "edited just now" in member_page and f"/forum/p/{opening.id}/history" not in member_page
    assert client.get(f"/forum/p/{opening.id}/history").status_code == 403

    moderator_client = login(moderator)
    assert f'href="/forum/p/{opening.id}/history"' in moderator_client.get(topic_path(topic)).get_data(
        as_text=True
    )
    history = moderator_client.get(f"/forum/p/{opening.id}/history").get_data(as_text=True)
    assert '<del class="diff-line">Second line</del>' in history
    assert '<ins class="diff-line">Second line &lt;b&gt;changed&lt;/b&gt;</ins>' in history  # escaped
    assert '<del class="diff-line">First line</del>' in history
    assert '<ins class="diff-line">New first line</ins>' in history
    assert "Edit 2" in history and "Maya Ortiz" in history


def test_editing_the_opening_post_corrects_the_topics_title(login, forum, learner, topic):
    opening, reply = forum.get_post(topic, 1), forum.get_post(topic, 2)
    client = login(learner)
    form = client.get(f"/forum/p/{opening.id}/edit").get_data(as_text=True)
    assert 'name="title"' in form and 'value="Visual schedules"' in form
    assert 'name="title"' not in client.get(f"/forum/p/{reply.id}/edit").get_data(as_text=True)

    empty = client.post(f"/forum/p/{opening.id}/edit", data={"title": " ", "body": "Kept body"})
    page = empty.get_data(as_text=True)
    assert 'id="title-error">Give your topic a title.' in page and "Kept body" in page
    assert forum.get_topic(topic.id).title == "Visual schedules"

    saved = client.post(f"/forum/p/{opening.id}/edit", data={"title": "Visual timetables", "body": "Same"})
    renamed = forum.get_topic(topic.id)
    assert (renamed.title, renamed.slug) == ("Visual timetables", "visual-timetables")
    assert saved.location == f"/forum/t/{topic.id}-visual-timetables#post-1"
    assert "<h1>Visual timetables</h1>" in client.get(saved.location).get_data(as_text=True)
    old_link = client.get(f"/forum/t/{topic.id}-visual-schedules")
    assert old_link.status_code in (301, 302, 308) and "visual-timetables" in old_link.location
    assert "Visual timetables" in client.get("/forum/integration/").get_data(as_text=True)
    found = client.get("/forum/search?q=timetables").get_data(as_text=True)
    assert "<mark>timetables</mark>" in found, found[found.find("<main"):]


def test_the_instructor_sees_history_on_her_board(login, forum, learner, author, topic):
    post = forum.get_post(topic, 2)
    login(learner).post(f"/forum/p/{post.id}/edit", data={"body": "Changed"})
    assert login(author).get(f"/forum/p/{post.id}/history").status_code == 200


def test_history_of_an_unedited_post_says_so(login, forum, moderator, topic):
    post = forum.get_post(topic, 2)
    assert "has not been edited" in login(moderator).get(f"/forum/p/{post.id}/history").get_data(as_text=True)


# Delete within the grace period


def test_the_author_deletes_a_reply_within_the_grace_period(login, forum, learner, moderator, topic):
    last = forum.get_post(topic, 3)
    client = login(learner)
    assert "Delete<span" in client.get(topic_path(topic)).get_data(as_text=True)

    response = client.post(f"/forum/p/{last.id}/delete", follow_redirects=True)
    client.post(f"/forum/p/{last.id}/delete")  # twice: the counts move once

    page = response.get_data(as_text=True)
    assert "Post #3 is deleted." in page and "Post deleted by its author." in page
    assert "Reply number 3." not in page and post_numbers(page) == [1, 2, 3]
    stored = forum.get_topic(topic.id)
    assert (stored.post_count, stored.reply_count) == (2, 1)
    assert stored.last_post_id == forum.get_post(topic, 2).id
    assert forum.board("integration").post_count == 2
    assert "Reply number 3." in login(moderator).get(topic_path(topic)).get_data(as_text=True)


def test_after_the_grace_period_the_button_is_gone_and_a_post_is_403(app, login, forum, learner, topic):
    post = forum.get_post(topic, 2)
    _age(app, post, 16)
    client = login(learner)
    page = client.get(topic_path(topic)).get_data(as_text=True)
    assert f'action="/forum/p/{post.id}/delete"' not in page
    response = client.post(f"/forum/p/{post.id}/delete")
    assert response.status_code == 403 and "first 15 minutes" in response.get_data(as_text=True)
    assert forum.get_post(topic, 2).deleted_at is None


def test_the_grace_period_is_configurable(app, login, forum, learner, topic):
    app.config["FORUM_DELETE_GRACE_MINUTES"] = 30
    post = forum.get_post(topic, 2)
    _age(app, post, 20)
    assert login(learner).post(f"/forum/p/{post.id}/delete").status_code == 302


def test_others_cannot_delete_and_the_opening_post_stays_while_there_are_replies(
    login, forum, member, make, community, learner, topic
):
    other = member()
    make.enrolment(other, community)
    assert login(other).post(f"/forum/p/{forum.get_post(topic, 2).id}/delete").status_code == 403
    opening = forum.get_post(topic, 1)
    client = login(learner)
    page = client.get(topic_path(topic)).get_data(as_text=True)
    assert f'action="/forum/p/{opening.id}/delete"' not in page
    response = client.post(f"/forum/p/{opening.id}/delete", follow_redirects=True)
    assert "cannot be deleted once the topic has replies" in response.get_data(as_text=True)
    assert forum.get_post(topic, 1).deleted_at is None
    asked = client.get(f"/forum/p/{opening.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "cannot be deleted once the topic has replies" in asked and "Delete your topic?" not in asked


def test_a_topic_without_replies_goes_with_its_opening_post_after_a_page_asks(login, forum, learner):
    topic = forum.topic("integration", learner, title="Posted by mistake")
    opening = forum.get_post(topic, 1)
    client = login(learner)
    assert f'href="/forum/p/{opening.id}/delete"' in client.get(topic_path(topic)).get_data(as_text=True)
    asked = client.get(f"/forum/p/{opening.id}/delete").get_data(as_text=True)
    assert "Delete your topic?" in asked and "“Posted by mistake” and its opening post leave" in asked
    assert f'<form method="post" action="/forum/p/{opening.id}/delete"' in asked
    assert forum.board("integration").topic_count == 1  # asking deletes nothing

    response = client.post(f"/forum/p/{opening.id}/delete")
    assert response.status_code == 302 and response.location == "/forum/integration/"
    assert (forum.board("integration").topic_count, forum.board("integration").post_count) == (0, 0)
    assert login(learner).get(topic_path(topic)).status_code == 404


def test_deleting_the_accepted_answer_unmarks_it(login, forum, learner, topic):
    answer = forum.get_post(topic, 2)
    client = login(learner)
    client.post(f"/forum/t/{topic.id}/accept", data={"post": answer.id})
    client.post(f"/forum/p/{answer.id}/delete")
    assert forum.get_topic(topic.id).accepted_post_id is None


# Quote


def test_quote_prefills_the_reply_form(login, forum, learner, author, topic):
    forum.reply(topic, author, "Line one\n\nLine <three>")
    page = login(learner).get(f"{topic_path(topic)}?quote=4").get_data(as_text=True)
    assert (
        "&gt; **Jennifer Huff** wrote (#4):\n&gt; Line one\n&gt;\n&gt; Line &lt;three&gt;</textarea>" in page
    )
    assert f'href="{topic_path(topic)}?quote=2#reply"' in page


@pytest.mark.parametrize("quote", ["0", "99", "abc", "-1", "99999999999999999999"])
def test_an_odd_quote_is_an_empty_form(login, learner, topic, quote):
    response = login(learner).get(f"{topic_path(topic)}?quote={quote}")
    assert response.status_code == 200 and "wrote (#" not in response.get_data(as_text=True)


def test_a_hidden_post_is_not_quoted_for_members(login, forum, learner, moderator, topic):
    login(moderator).post(f"/forum/p/{forum.get_post(topic, 2).id}/moderate", data={"action": "hide"})
    assert "wrote (#2)" not in login(learner).get(f"{topic_path(topic)}?quote=2").get_data(as_text=True)


def test_the_topic_page_stays_within_eight_statements(
    login, forum, learner, author, moderator, queries, topic
):
    forum.bulk_posts(topic, learner, 60)
    login(learner).post(f"/forum/t/{topic.id}/accept", data={"post": forum.get_post(topic, 55).id})
    for user in (learner, author, moderator):
        client = login(user)
        with queries() as statements:
            response = client.get(f"{topic_path(topic)}?quote=2")
        assert response.status_code == 200
        assert len(statements) <= 8, "\n".join(s[:150] for s in statements)
        assert "Accepted answer" in response.get_data(as_text=True)
