"""The whole topic page is kept per kind of reader (forum.views.topic_page) and served from one
statement: what it shows one reader never reaches another, a reader's own changes show at once,
and a member whose session ended, or who may no longer read the board, gets no cached page."""

import re
from datetime import timedelta

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment
from forum.models import Board, ForumSuspension
from tests.conftest import PASSWORD
from tests.forum.conftest import page_of, post_html, post_numbers, reader, topic_path

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def tokens(page: str) -> set[str]:
    return set(_TOKEN.findall(page)) | set(_META_TOKEN.findall(page))


def bell(page: str) -> str | None:
    found = re.search(r'<span class="bell-count">([^<]+)<', page)
    return found.group(1) if found else None


def set_user(app, user: User, **values) -> None:
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user.id).values(**values))
        db.session.commit()


def test_a_warm_page_is_one_statement_with_the_readers_own_tokens_and_bell(
    app, enrolled, colleague, topic, queries
):
    kim = enrolled(display_name="Kim Park")  # a reader of Sam's kind: neither asked the question
    set_user(app, colleague, unread_notifications=3)
    sam, kim_client = reader(app, colleague), reader(app, kim)
    for client in (sam, kim_client, sam, kim_client):  # the first views record how far each has read
        page_of(client, topic)

    with queries() as warm:
        sam_page = page_of(sam, topic)
    kim_page = page_of(kim_client, topic)

    assert len(warm) == 1
    assert post_numbers(sam_page) == post_numbers(kim_page) == [1, 2]
    assert bell(sam_page) == "3" and bell(kim_page) is None
    sam_tokens, kim_tokens = tokens(sam_page), tokens(kim_page)
    assert len(sam_tokens) == len(kim_tokens) == 1 and sam_tokens != kim_tokens
    # Sam's token is Sam's: the watch form on his page works for him.
    form = {"csrf_token": sam_tokens.pop(), "level": "watching"}
    response = sam.post(f"/forum/t/{topic.id}/watch", data=form, csrf=False)
    assert response.status_code == 302


def test_reading_a_topic_takes_its_notifications_off_the_bell_of_that_page(
    app, login, forum, learner, colleague, topic
):
    set_user(app, learner, handle="maya")
    maya = reader(app, learner)
    page_of(maya, topic)
    login(colleague).post(f"/forum/t/{topic.id}/reply", data={"body": "Try this, @maya."})
    with app.app_context():
        assert db.session.get(User, learner.id).unread_notifications == 1

    page = page_of(maya, topic)

    assert post_numbers(page) == [1, 2, 3] and bell(page) is None
    assert bell(page_of(maya, topic)) is None


def test_a_flashed_message_and_a_new_watch_level_show_on_a_warm_page(app, learner, topic):
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)

    response = maya.post(f"/forum/t/{topic.id}/watch", data={"level": "muted"}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "This topic is now muted." in page
    assert '<option value="muted" selected>' in page
    again = page_of(maya, topic)
    assert "This topic is now muted." not in again and '<option value="muted" selected>' in again


def test_a_member_whose_sessions_were_ended_is_an_outsider_again(app, learner, topic):
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)

    set_user(app, learner, session_token="rotated-" + "x" * 40)  # "Log out everywhere", a new password

    assert maya.get(topic_path(topic)).status_code == 404  # what a private board is to a visitor


def test_a_refunded_learner_no_longer_gets_the_warm_page(app, learner, colleague, topic):
    maya, sam = reader(app, learner), reader(app, colleague)
    page_of(maya, topic), page_of(maya, topic), page_of(sam, topic)

    with app.app_context():
        db.session.execute(
            sa.update(Enrolment).where(Enrolment.user_id == learner.id)
            .values(revoked_at=utcnow(), revoked_reason="refunded")
        )
        db.session.commit()

    assert maya.get(topic_path(topic)).status_code == 404
    assert post_numbers(page_of(sam, topic)) == [1, 2]


def test_each_unverified_member_sees_their_own_address(app, enrolled, learner, topic):
    first = enrolled(email="first@example.com", verified=False)
    second = enrolled(email="second@example.com", verified=False)
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)

    for member in (first, second, first, second):
        page = page_of(reader(app, member), topic)
        assert f"we sent a link to <strong>{member.email}</strong>" in page
        assert "Please verify your email address before you post" in page
    maya_page = page_of(maya, topic)
    assert "@example.com</strong>" not in maya_page and 'name="body"' in maya_page


def test_a_suspended_member_sees_why_on_a_page_others_keep_warm(app, learner, colleague, moderator, topic):
    maya, sam = reader(app, learner), reader(app, colleague)
    page_of(sam, topic), page_of(sam, topic), page_of(maya, topic), page_of(maya, topic)
    with app.app_context():
        db.session.add(ForumSuspension(user_id=colleague.id, until=utcnow() + timedelta(days=3),
                                       reason="Advertising in replies", by_id=moderator.id))
        db.session.commit()

    page = page_of(sam, topic)

    assert "Your posting is suspended until" in page and "Advertising in replies" in page
    assert 'name="body"' not in page
    assert "Advertising in replies" not in page_of(maya, topic)


def test_moderators_get_their_controls_and_members_never_do(app, learner, moderator, topic):
    maya, morgan = reader(app, learner), reader(app, moderator)
    for _ in range(2):
        assert "Pin topic" not in page_of(maya, topic)
        page = page_of(morgan, topic)
        assert "Pin topic" in page and "Hide post #2" in post_html(page, 2)


def test_a_new_board_is_at_once_a_place_to_move_the_topic_to(app, make, forum, moderator, topic):
    morgan = reader(app, moderator)
    page_of(morgan, topic), page_of(morgan, topic)
    make.course(slug="own-your-role", title="Own Your Role", community=True)
    forum.boards()

    move_to = page_of(morgan, topic).split('id="move-board"', 1)[1].split("</select>", 1)[0]
    assert "Own Your Role</option>" in move_to


def test_a_renamed_board_shows_on_a_warm_page(app, learner, topic):
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)
    with app.app_context():
        renamed = sa.update(Board).where(Board.slug == "integration").values(title="Integration, 2nd Edition")
        db.session.execute(renamed)
        db.session.commit()

    assert "← Integration, 2nd Edition" in page_of(maya, topic)


def test_addresses_and_quotes_still_work_on_a_warm_page(app, learner, topic):
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)

    for path in (f"/forum/t/{topic.id}", f"/forum/t/{topic.id}-not-its-slug"):
        response = maya.get(path)
        assert response.status_code == 301 and response.headers["Location"].endswith(topic_path(topic))
    quoted = maya.get(topic_path(topic) + "?quote=2").get_data(as_text=True)
    assert "&gt; **Sam Lee** wrote (#2):" in quoted
    assert "wrote (#2)" not in page_of(maya, topic)


def test_a_visitor_who_is_not_signed_in_gets_no_cached_page(app, client, learner, topic):
    maya = reader(app, learner)
    page_of(maya, topic), page_of(maya, topic)

    assert client.get(topic_path(topic)).status_code == 404  # a private course board


def test_a_member_back_with_only_the_remember_me_cookie_reads_the_topic(app, client, learner, topic):
    page_of(reader(app, learner), topic), page_of(reader(app, learner), topic)
    form = {"email": learner.email, "password": PASSWORD, "remember": "y"}
    assert client.post("/auth/login", data=form).status_code == 302
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])  # the browser was closed

    page = page_of(client, topic)

    assert post_numbers(page) == [1, 2] and ">Edit<" in post_html(page, 1)
