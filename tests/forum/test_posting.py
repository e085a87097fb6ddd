"""Starting topics and replying: preview, validation beside the fields, unverified members, locked
topics, the new-member rate limit, editing one's own post, and the counts kept on rows."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.db import utcnow
from courseware.extensions import db
from forum.models import BODY_MAX, Post, Topic
from tests.forum.conftest import topic_path


def test_a_learner_starts_a_topic_and_the_counts_move(app, login, forum, learner):
    client = login(learner)

    response = client.post("/forum/integration/new", data={
        "title": "  Co-teaching: where do I start?  ", "body": "We have **one** period a week.",
        "submit": "Post topic",
    })

    topic = forum.get_topic(_only_topic_id(app))
    assert response.status_code == 302
    assert response.location == f"/forum/t/{topic.id}-co-teaching-where-do-i-start"
    assert (topic.title, topic.post_count, topic.reply_count, topic.highest_number) == (
        "Co-teaching: where do I start?", 1, 0, 1
    )
    assert topic.last_poster_id == learner.id and topic.last_post_id == forum.get_post(topic, 1).id
    post = forum.get_post(topic, 1)
    assert post.body_md == "We have **one** period a week."
    assert post.body_html == "<p>We have <strong>one</strong> period a week.</p>\n"  # cooked once, stored
    board = forum.board("integration")
    assert (board.topic_count, board.post_count, board.last_post_at) == (1, 1, topic.created_at)
    page = client.get(response.location).get_data(as_text=True)
    assert "Your topic is posted." in page and "<strong>one</strong>" in page and "Maya Ortiz" in page


def test_a_reply_takes_the_next_number_and_moves_the_counts(app, login, forum, learner, author):
    topic = forum.topic("integration", author, title="Welcome")
    client = login(learner)

    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Thank you!", "submit": "Post reply"})

    assert response.status_code == 302 and response.location == f"{topic_path(topic)}#post-2"
    topic = forum.get_topic(topic.id)
    assert (topic.post_count, topic.reply_count, topic.highest_number) == (2, 1, 2)
    assert topic.last_poster_id == learner.id and topic.last_post_id == forum.get_post(topic, 2).id
    assert forum.board("integration").post_count == 2
    board_page = client.get("/forum/integration/").get_data(as_text=True)
    assert "1 reply" in board_page and "by Maya Ortiz" in board_page


def test_preview_shows_the_sanitised_post_keeps_the_text_and_saves_nothing(login, forum, learner):
    client = login(learner)
    body = "A list:\n\n- one\n- two\n\n<script>alert(1)</script>"

    page = client.post("/forum/integration/new", data={
        "title": "Sensory breaks", "body": body, "preview": "Preview",
    }).get_data(as_text=True)

    assert "<h2 id=\"preview-heading\">Preview</h2>" in page
    assert "<li>one</li>" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert 'value="Sensory breaks"' in page and "- one\n- two" in page  # what was typed is kept
    assert forum.count(Topic) == 0 and forum.count(Post) == 0

    topic = forum.topic("integration", learner)
    reply_page = client.post(f"/forum/t/{topic.id}/reply", data={"body": "*Draft*", "preview": "Preview"})
    assert "<em>Draft</em>" in reply_page.get_data(as_text=True) and forum.count(Post) == 1


@pytest.mark.parametrize(
    ("title", "body", "field", "message"),
    [
        ("", "Body", "title", "Give your topic a title."),
        ("   ", "Body", "title", "Give your topic a title."),
        ("\u200b\u200b \ufeff", "Body", "title", "Give your topic a title."),  # takes no room on a page
        ("x" * 151, "Body", "title", "Keep the title to 150 characters or fewer."),
        ("Title", "", "body", "Write something before you post."),
        ("Title", " \n\t ", "body", "Write something before you post."),
        ("Title", "x" * (BODY_MAX + 1), "body", "Keep a post to 20,000 characters or fewer."),
    ],
)
def test_a_new_topic_with_a_problem_is_sent_back_with_the_error_beside_the_field(
    login, forum, learner, title, body, field, message
):
    response = login(learner).post("/forum/integration/new", data={"title": title, "body": body})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    assert 'aria-invalid="true"' in page and "Please correct the error below." in page
    assert forum.count(Topic) == 0


def test_a_reply_with_a_problem_keeps_what_was_typed(login, forum, learner):
    topic = forum.topic("integration", learner)
    page = login(learner).post(
        f"/forum/t/{topic.id}/reply", data={"body": "y" * (BODY_MAX + 1)}
    ).get_data(as_text=True)
    assert "Keep a post to 20,000 characters or fewer." in page and "y" * 100 in page
    assert forum.count(Post) == 1


def test_a_body_of_exactly_the_limit_is_accepted(login, forum, learner):
    response = login(learner).post("/forum/integration/new", data={"title": "Long", "body": "x" * BODY_MAX})
    assert response.status_code == 302


def test_an_unverified_member_is_told_to_verify_and_nothing_is_posted(make, login, forum, community):
    unverified = make.user(verified=False, created_at=utcnow() - timedelta(days=3))
    make.enrolment(unverified, community)
    topic = forum.topic("lounge", make.user())
    client = login(unverified)

    form_page = client.get("/forum/lounge/new")
    sent = client.post("/forum/lounge/new", data={"title": "Hi", "body": "Hello"})
    topic_page = client.get(topic_path(topic)).get_data(as_text=True)
    reply = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Hello"}, follow_redirects=True)

    for page in (form_page.get_data(as_text=True), sent.get_data(as_text=True), topic_page):
        assert "Please verify your email address before you post" in page
        assert 'action="/auth/verify/resend"' in page or "resend" in page
        assert 'name="body"' not in page
    assert form_page.status_code == 200 and sent.status_code == 403
    assert "Please verify your email address before you post" in reply.get_data(as_text=True)
    assert forum.count(Topic) == 1 and forum.count(Post) == 1


def test_a_locked_topic_takes_no_replies_and_says_why(app, login, forum, learner, author):
    topic = forum.topic("integration", author)
    with app.app_context():
        db.session.execute(sa.update(Topic).values(locked=True))
        db.session.commit()
    client = login(learner)

    page = client.get(topic_path(topic)).get_data(as_text=True)
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Me too"}, follow_redirects=True)

    assert "This topic is locked by a moderator" in page and 'name="body"' not in page
    assert "This topic is locked by a moderator" in response.get_data(as_text=True)
    assert forum.count(Post) == 1


def test_a_new_member_waits_30_seconds_between_posts_and_2_minutes_between_topics(
    app, make, login, forum, community
):
    newcomer = make.user(display_name="New Member")  # an account made just now
    make.enrolment(newcomer, community)
    client = login(newcomer)

    first = client.post("/forum/integration/new", data={"title": "First", "body": "Hello"})
    topic = forum.get_topic(_only_topic_id(app))
    too_soon = client.post(f"/forum/t/{topic.id}/reply", data={"body": "Follow-up text"})
    second_topic = client.post("/forum/integration/new", data={"title": "Second", "body": "Again"})

    assert first.status_code == 302
    assert too_soon.status_code == 429 and second_topic.status_code == 429
    reply_page, topic_page = too_soon.get_data(as_text=True), second_topic.get_data(as_text=True)
    assert 20 <= _wait_shown(reply_page) <= 30 and "Follow-up text" in reply_page
    assert 110 <= _wait_shown(topic_page) <= 120 and 'value="Second"' in topic_page
    assert '<p class="error" id="body-error">New members post at a gentle pace.' in reply_page
    assert forum.count(Post) == 1

    _age_posts(app, seconds=31)
    assert client.post(f"/forum/t/{topic.id}/reply", data={"body": "Now"}).status_code == 302
    assert client.post("/forum/integration/new", data={"title": "Third", "body": "x"}).status_code == 429
    _age_posts(app, seconds=121)
    assert client.post("/forum/integration/new", data={"title": "Third", "body": "x"}).status_code == 302


def test_established_members_and_staff_are_not_rate_limited(make, login, forum, learner, community):
    staff = make.user(role="author")  # a new account, but staff
    for user in (learner, staff):
        client = login(user)
        for n in range(2):
            response = client.post("/forum/integration/new", data={"title": f"T{n}", "body": "x"})
            assert response.status_code == 302


def test_a_member_edits_her_own_post_and_it_is_cooked_again(make, login, forum, learner, member, community):
    topic = forum.topic("integration", learner, body="Old *text*")
    post = forum.get_post(topic, 1)
    client = login(learner)

    form = client.get(f"/forum/p/{post.id}/edit").get_data(as_text=True)
    preview = client.post(f"/forum/p/{post.id}/edit", data={"body": "New **text**", "preview": "Preview"})
    empty = client.post(f"/forum/p/{post.id}/edit", data={"body": ""})
    saved = client.post(f"/forum/p/{post.id}/edit", data={"body": "New **text**"})

    assert "Old *text*</textarea>" in form
    assert "<strong>text</strong>" in preview.get_data(as_text=True)
    assert "Write something before you post." in empty.get_data(as_text=True)
    assert saved.status_code == 302 and saved.location == f"{topic_path(topic)}#post-1"
    post = forum.get_post(topic, 1)
    assert post.body_html == "<p>New <strong>text</strong></p>\n" and post.edited_at is not None
    assert "edited" in client.get(topic_path(topic)).get_data(as_text=True)

    other = login(member())  # the lounge is open to her, this board is not; and the post is not hers
    assert other.get(f"/forum/p/{post.id}/edit").status_code == 404
    classmate = member()
    make.enrolment(classmate, community)
    client = login(classmate)
    assert client.get(f"/forum/p/{post.id}/edit").status_code == 403
    assert client.post(f"/forum/p/{post.id}/edit", data={"body": "Vandal"}).status_code == 403
    assert 'href="/forum/p/' not in client.get(topic_path(topic)).get_data(as_text=True).split("post-1")[1]


def test_a_form_without_its_csrf_token_is_refused(login, forum, learner):
    topic = forum.topic("integration", learner)
    client = login(learner)
    new_topic = client.post("/forum/integration/new", data={"title": "T", "body": "B"}, csrf=False)
    assert new_topic.status_code == 400
    assert client.post(f"/forum/t/{topic.id}/reply", data={"body": "B"}, csrf=False).status_code == 400
    assert forum.count(Post) == 1


def _wait_shown(page: str) -> int:
    return int(re.search(r"You can post again in (\d+) seconds\.", page).group(1))


def _age_posts(app, seconds: int) -> None:
    """Move every post and topic back in time, as if the member had waited."""
    with app.app_context():
        for model in (Post, Topic):
            for row in db.session.scalars(sa.select(model)):
                row.created_at -= timedelta(seconds=seconds)
        db.session.commit()


def test_a_preview_of_an_empty_post_shows_the_error_not_an_empty_preview(login, forum, learner):
    page = login(learner).post(
        "/forum/integration/new", data={"title": "Kept", "body": "", "preview": "Preview"}
    ).get_data(as_text=True)
    assert "Write something before you post." in page and 'id="preview-heading"' not in page
    assert 'value="Kept"' in page


def _only_topic_id(app) -> int:
    """The id the database gave the one topic (PostgreSQL's sequences do not restart per test)."""
    with app.app_context():
        return db.session.scalar(sa.select(Topic.id))
