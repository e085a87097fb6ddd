"""The topic page's post list is rendered once per topic version, page, kind of reader and minute
(forum.post_cache): every change still shows on the next view, each reader gets their own
buttons and CSRF token, and a warm page skips the posts' statements."""

from datetime import timedelta

import sqlalchemy as sa

from courseware.db import utcnow
from courseware.extensions import db
from forum.models import Post
from forum.post_cache import Markers, PostListCache, Rendered
from tests.forum.conftest import page_of, post_html, post_numbers, reader


def test_each_reader_gets_buttons_for_their_own_posts_and_their_own_csrf_token(
    app, learner, colleague, topic
):
    maya, sam = reader(app, learner), reader(app, colleague)
    for _ in range(2):  # the second round is served from the cache
        maya_page, sam_page = page_of(maya, topic), page_of(sam, topic)
        assert ">Edit<" in post_html(maya_page, 1) and ">Report<" not in post_html(maya_page, 1)
        assert ">Report<" in post_html(maya_page, 2) and ">Edit<" not in post_html(maya_page, 2)
        assert ">Edit<" in post_html(sam_page, 2) and ">Report<" in post_html(sam_page, 1)
        assert ">Edit<" not in post_html(sam_page, 1)
    assert "-csrf" not in maya_page and "<!--" not in maya_page

    delete_form = post_html(sam_page, 2)
    token = delete_form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert token == sam.csrf_token()
    reply_id = delete_form.split('action="/forum/p/', 1)[1].split("/", 1)[0]
    response = sam.post(f"/forum/p/{reply_id}/delete", data={"csrf_token": token}, csrf=False)
    assert response.status_code == 302
    assert "Post deleted by its author." in post_html(page_of(maya, topic), 2)


def test_a_warm_page_does_not_read_the_posts_again(app, learner, topic, queries):
    client = reader(app, learner)
    client.csrf_token()
    with queries() as cold:
        first = page_of(client, topic)
    with queries() as warm:
        second = page_of(client, topic)
    assert any("FROM posts" in statement for statement in cold)
    assert not any("FROM posts" in statement for statement in warm)
    assert len(warm) < len(cold)
    assert post_numbers(first) == post_numbers(second) == [1, 2]


def test_replies_edits_deletes_and_accepted_answers_show_at_once(app, forum, learner, colleague, topic):
    maya, sam = reader(app, learner), reader(app, colleague)
    page_of(maya, topic)
    sam.post(f"/forum/t/{topic.id}/reply", data={"body": "And a first-then board."})
    assert post_numbers(page_of(maya, topic)) == [1, 2, 3]

    reply = forum.get_post(topic, 3)
    sam.post(f"/forum/p/{reply.id}/edit", data={"body": "And a first-then board, laminated."})
    assert "laminated" in post_html(page_of(maya, topic), 3)

    maya.post(f"/forum/t/{topic.id}/accept", data={"post": reply.id})
    page = page_of(maya, topic)
    assert "Accepted answer" in page and "Unmark accepted answer" in post_html(page, 3)

    sam.post(f"/forum/p/{reply.id}/delete")
    page = page_of(maya, topic)
    assert "Post deleted by its author." in post_html(page, 3) and "Accepted answer" not in page


def test_moderation_shows_at_once_to_members_and_moderators(app, forum, learner, colleague, moderator, topic):
    maya, morgan = reader(app, learner), reader(app, moderator)
    reply = forum.get_post(topic, 2)
    assert post_numbers(page_of(maya, topic)) == [1, 2]
    assert "Hide post #2" in post_html(page_of(morgan, topic), 2)

    morgan.post(f"/forum/p/{reply.id}/moderate", data={"action": "hide"})
    assert post_numbers(page_of(maya, topic)) == [1]
    assert "Unhide post #2" in post_html(page_of(morgan, topic), 2)

    morgan.post(f"/forum/t/{topic.id}/moderate", data={"action": "lock"})
    assert ">Edit<" not in post_html(page_of(maya, topic), 1)  # a locked topic: no more edits


def test_a_new_name_or_handle_shows_on_every_post_at_once(app, learner, colleague, topic):
    maya, sam = reader(app, learner), reader(app, colleague)
    assert "Sam Lee" in post_html(page_of(maya, topic), 2)
    response = sam.post(
        "/me/profile",
        data={"display_name": "Samira Lee", "handle": "samira", "legal_name": "", "credential": "OTR/L"},
    )
    assert response.status_code == 302
    post = post_html(page_of(maya, topic), 2)
    assert "Samira Lee" in post and "@samira" in post and "Sam Lee" not in post


def test_the_delete_button_goes_when_the_grace_period_ends(app, monkeypatch, learner, colleague, topic):
    sam = reader(app, colleague)
    assert ">Delete<" in post_html(page_of(sam, topic), 2)
    later = utcnow() + timedelta(minutes=app.config["FORUM_DELETE_GRACE_MINUTES"] + 1)
    monkeypatch.setattr("forum.views.topic_page.utcnow", lambda: later)
    assert ">Delete<" not in post_html(page_of(sam, topic), 2)


def test_post_bodies_that_look_like_the_markers_change_nothing(app, forum, learner, colleague, topic):
    cache_markers = "<!--0123456789abcdef:own:1-->x<!--0123456789abcdef:others-->y<!--0123456789abcdef:end-->"
    forum.reply(topic, colleague, f"{cache_markers} and `<!--:own:1-->`")
    maya = reader(app, learner)
    for _ in range(2):
        page = page_of(maya, topic)
        assert post_numbers(page) == [1, 2, 3]
        assert ">Report<" in post_html(page, 3) and ">Edit<" not in post_html(page, 3)


def test_the_cache_keeps_to_its_size_and_drops_the_least_recently_used():
    markers = Markers("n0nce")
    entry = Rendered.parse("<p>" + "x" * 96 + "</p>", markers, highest_shown=1)
    cache = PostListCache(max_bytes=entry.size * 2)
    cache.put("a", entry)
    cache.put("b", entry)
    assert cache.get("a") is entry  # "a" is now the most recently used
    cache.put("c", entry)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (entry, None, entry)
    assert len(cache) == 2
    PostListCache(max_bytes=entry.size - 1).put("too big", entry)  # refused, not an error


def test_own_buttons_are_swapped_in_for_the_reader_only():
    markers = Markers("n0nce")
    html = (
        f"<li>{markers.own(7)}<a>Edit {markers.csrf_token}</a>{markers.others}<a>Report</a>{markers.end}</li>"
        f"<li>{markers.own(8)}<a>Edit</a>{markers.others}<a>Report</a>{markers.end}</li>"
    )
    entry = Rendered.parse(html, markers, highest_shown=2)
    assert entry.html_for(7, "TOKEN") == "<li><a>Edit TOKEN</a></li><li><a>Report</a></li>"
    assert entry.html_for(None, "") == "<li><a>Report</a></li><li><a>Report</a></li>"


def test_a_cache_of_size_zero_renders_every_time(app, learner, topic):
    app.config["FORUM_POST_CACHE_BYTES"] = 0
    client = reader(app, learner)
    assert "one picture at a time" in post_html(page_of(client, topic), 2)
    with app.app_context():  # behind the services' back: no new version, so only no cache shows it
        db.session.execute(
            sa.update(Post)
            .where(Post.topic_id == topic.id, Post.number == 2)
            .values(body_html="<p>Changed</p>")
        )
        db.session.commit()
    assert "Changed" in post_html(page_of(client, topic), 2)
