"""Reports and the review queue, suspensions, moving a topic between boards, closing a topic."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.db import utcnow
from courseware.extensions import db
from forum.models import ForumSuspension, PostReport
from tests.forum.conftest import post_numbers, topic_path


@pytest.fixture
def topic(forum, learner, colleague):
    topic = forum.topic("integration", learner, title="Visual schedules")
    forum.reply(topic, colleague, "Buy my course at spam.example")
    return forum.get_topic(topic.id)


def _report(client, post, reason="spam", details=""):
    return client.post(
        f"/forum/p/{post.id}/report", data={"reason": reason, "details": details}, follow_redirects=True
    )


# Reports and the review queue


def test_a_member_reports_a_post_once(app, login, forum, learner, topic):
    post = forum.get_post(topic, 2)
    client = login(learner)
    form = client.get(f"/forum/p/{post.id}/report").get_data(as_text=True)
    assert "Why are you reporting this post?" in form and "Spam or advertising" in form

    first = _report(client, post, details="An advert.")
    second = _report(client, post, reason="rude")

    assert "Thanks, a moderator will look at it" in first.get_data(as_text=True)
    assert "already reported this post" in second.get_data(as_text=True)
    with app.app_context():
        reports = db.session.scalars(sa.select(PostReport)).all()
        assert [(r.reporter_id, r.reason, r.details) for r in reports] == [(learner.id, "spam", "An advert.")]


def test_a_report_needs_a_reason_and_keeps_the_text(login, forum, learner, topic):
    post = forum.get_post(topic, 2)
    client = login(learner)
    for reason in ("", "nonsense"):
        response = client.post(f"/forum/p/{post.id}/report", data={"reason": reason, "details": "Kept text"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and 'class="error"' in page and "Kept text" in page
    assert forum.count(PostReport) == 0


def test_who_may_report(login, forum, learner, colleague, member, topic):
    own = forum.get_post(topic, 1)
    assert login(learner).post(f"/forum/p/{own.id}/report", data={"reason": "spam"}).status_code == 403
    assert (
        "Report<span"
        not in login(learner).get(topic_path(topic)).get_data(as_text=True).split('id="post-2"')[0]
    )
    outsider = login(member())
    assert outsider.get(f"/forum/p/{forum.get_post(topic, 2).id}/report").status_code == 404


def test_moderators_review_reports_oldest_first_and_hide(
    login, forum, learner, colleague, moderator, queries, topic
):
    spam = forum.get_post(topic, 2)
    _report(login(learner), spam)
    _report(login(colleague), forum.get_post(topic, 1), reason="off_topic", details="Wrong board")
    assert login(learner).get("/forum/reports").status_code == 403

    client = login(moderator)
    with queries() as statements:
        queue = client.get("/forum/reports").get_data(as_text=True)
    assert len(statements) <= 8
    assert queue.index("post #2") < queue.index("post #1") and "Wrong board" in queue
    assert "Spam or advertising" in queue and "reported by Maya Ortiz" in queue

    response = client.post(f"/forum/p/{spam.id}/reports", data={"action": "hide"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Post #2 is hidden" in page and "Buy my course" not in page
    assert forum.get_post(topic, 2).hidden_at is not None
    assert post_numbers(login(learner).get(topic_path(topic)).get_data(as_text=True)) == [1]

    response = login(moderator).post(
        f"/forum/p/{forum.get_post(topic, 1).id}/reports", data={"action": "dismiss"}, follow_redirects=True
    )
    assert "No open reports" in response.get_data(as_text=True)
    assert forum.get_topic(topic.id).hidden_at is None
    assert login(moderator).post(f"/forum/p/{spam.id}/reports", data={"action": "x"}).status_code == 400


def test_the_author_reviews_the_reports_on_her_course_boards_only(
    login, forum, learner, colleague, author, topic
):
    """She moderates her course boards, so their reports are hers to review; the lounge's are the
    moderators'."""
    lounge = forum.topic("lounge", colleague, title="Lounge chatter", body="Off-topic advert")
    _report(login(learner), forum.get_post(topic, 2), details="Course board spam")
    _report(login(learner), forum.get_post(lounge, 1), details="Lounge spam")

    client = login(author)
    queue = client.get("/forum/reports").get_data(as_text=True)
    assert "Course board spam" in queue and "Lounge spam" not in queue
    assert "Open reports on your course boards" in queue

    hidden = client.post(f"/forum/p/{forum.get_post(lounge, 1).id}/reports", data={"action": "hide"})
    assert hidden.status_code == 403 and forum.get_post(lounge, 1).hidden_at is None
    response = client.post(
        f"/forum/p/{forum.get_post(topic, 2).id}/reports", data={"action": "hide"}, follow_redirects=True
    )
    assert "Post #2 is hidden" in response.get_data(as_text=True)
    assert forum.get_post(topic, 2).hidden_at is not None
    assert "No open reports" in response.get_data(as_text=True)


def test_the_forum_index_shows_staff_their_queues_with_what_waits(
    login, forum, learner, colleague, author, moderator, topic
):
    lounge = forum.topic("lounge", colleague, title="Lounge chatter")
    _report(login(learner), forum.get_post(topic, 2))
    _report(login(learner), forum.get_post(lounge, 1))

    def queues(user) -> str:
        page = login(user).get("/forum/").get_data(as_text=True)
        nav = page.split('aria-label="Your queues"')
        return nav[1].split("</nav>")[0] if len(nav) > 1 else ""

    authors = queues(author)
    assert 'href="/forum/unanswered"' in authors and 'href="/forum/reports"' in authors
    assert re.search(r"Unanswered questions <span[^>]*>1</span>", authors)  # the topic, no reply of hers
    assert re.search(r"Reported posts <span[^>]*>1</span>", authors)  # the lounge's is not hers
    assert re.search(r"Reported posts <span[^>]*>2</span>", queues(moderator))
    assert queues(learner) == ""


def test_flask_accounts_role_appoints_a_moderator_and_an_author(
    app, login, forum, learner, colleague, topic
):
    """The author appoints a moderator from the command line: the review queue opens to them, and a
    new author's posts carry the "Instructor" badge at once, on pages already rendered."""
    runner = app.test_cli_runner()
    reader = login(learner)
    assert "badge-role" not in reader.get(topic_path(topic)).get_data(as_text=True)  # now rendered and kept
    assert login(colleague).get("/forum/reports").status_code == 403

    made = runner.invoke(args=["accounts", "role", colleague.email.upper(), "moderator"])
    assert made.exit_code == 0, made.output
    assert f"{colleague.email} ({colleague.display_name}) is now moderator." in made.output
    assert login(colleague).get("/forum/reports").status_code == 200

    runner.invoke(args=["accounts", "role", colleague.email, "author"])
    page = login(learner).get(topic_path(topic)).get_data(as_text=True)
    assert '<span class="badge badge-role">Instructor</span>' in page.split('id="post-2"')[1]

    unknown = runner.invoke(args=["accounts", "role", "nobody@example.com", "moderator"])
    assert unknown.exit_code == 1 and "No account with the email nobody@example.com." in unknown.output
    wrong = runner.invoke(args=["accounts", "role", colleague.email, "superuser"])
    assert wrong.exit_code == 2 and "'member', 'author', 'moderator', 'admin'" in wrong.output


# Suspensions


def test_a_suspended_member_reads_but_cannot_post(login, forum, learner, colleague, moderator, topic):
    client = login(moderator)
    form = client.get(f"/forum/u/{colleague.id}/suspend").get_data(as_text=True)
    assert "Sam Lee may post" in form
    response = client.post(
        f"/forum/u/{colleague.id}/suspend",
        data={"days": "7", "reason": "Advertising in the course board."},
        follow_redirects=True,
    )
    assert "Sam Lee cannot post until" in response.get_data(as_text=True)

    suspended = login(colleague)
    page = suspended.get(topic_path(topic)).get_data(as_text=True)
    until = utcnow() + timedelta(days=7)
    reason = "Advertising in the course board."
    message = f"Your posting is suspended until {until:%B} {until.day}, {until.year}: {reason}"
    assert message in page and 'id="reply-heading"' in page and 'name="body"' not in page
    assert message in suspended.get("/forum/integration/new").get_data(as_text=True)
    reply = suspended.post(f"/forum/t/{topic.id}/reply", data={"body": "More spam"}, follow_redirects=True)
    assert message in reply.get_data(as_text=True)
    new = suspended.post("/forum/integration/new", data={"title": "Spam", "body": "Spam"})
    assert new.status_code == 403 and message in new.get_data(as_text=True)
    assert forum.get_topic(topic.id).post_count == 2

    lifted = login(moderator).post(f"/forum/u/{colleague.id}/lift", follow_redirects=True)
    assert "Sam Lee may post again" in lifted.get_data(as_text=True)
    assert login(colleague).post(f"/forum/t/{topic.id}/reply", data={"body": "Sorry."}).status_code == 302


def test_a_suspended_member_cannot_edit_their_posts(login, forum, colleague, moderator, topic):
    """Editing is posting: a suspension that stops replies stops rewriting what is already there."""
    own = forum.get_post(topic, 2)
    edit_link = f'href="/forum/p/{own.id}/edit"'
    assert edit_link in login(colleague).get(topic_path(topic)).get_data(as_text=True)
    login(moderator).post(f"/forum/u/{colleague.id}/suspend", data={"days": "2", "reason": "Spam."})

    suspended = login(colleague)
    assert edit_link not in suspended.get(topic_path(topic)).get_data(as_text=True)
    for response in (
        suspended.get(f"/forum/p/{own.id}/edit", follow_redirects=True),
        suspended.post(f"/forum/p/{own.id}/edit", data={"body": "Edited"}, follow_redirects=True),
    ):
        assert "Your posting is suspended until" in response.get_data(as_text=True)
    assert forum.get_post(topic, 2).body_md == "Buy my course at spam.example"


def test_the_instructor_and_moderators_cannot_be_suspended(login, forum, author, moderator, member, topic):
    """The instructor must always be able to answer in her community; no moderator silences another,
    or themselves by mistake."""
    forum.reply(topic, author, "Here is how I would start.")
    other_moderator = member(email="mod2@example.com", display_name="Robin Mod", role=Role.MODERATOR)
    client = login(moderator)
    page = client.get(topic_path(topic)).get_data(as_text=True)
    assert "Suspend<span class=\"visually-hidden\"> Sam Lee" in page
    assert "Suspend<span class=\"visually-hidden\"> Jennifer Huff" not in page
    for staff in (author, other_moderator, moderator):
        form = client.get(f"/forum/u/{staff.id}/suspend").get_data(as_text=True)
        assert "only members can be suspended" in form and 'name="days"' not in form
        response = client.post(f"/forum/u/{staff.id}/suspend", data={"days": "2", "reason": "No."})
        assert response.status_code == 403
        assert "only members can be suspended" in response.get_data(as_text=True)
    assert forum.count(ForumSuspension) == 0


def test_an_expired_suspension_no_longer_applies(app, login, colleague, moderator):
    with app.app_context():
        db.session.add(
            ForumSuspension(
                user_id=colleague.id, until=utcnow() - timedelta(minutes=1), reason="Old", by_id=moderator.id
            )
        )
        db.session.commit()
    assert "suspended" not in login(colleague).get("/forum/integration/new").get_data(as_text=True)


def test_only_moderators_suspend_and_bad_forms_say_why(login, learner, colleague, moderator, author):
    assert login(learner).get(f"/forum/u/{colleague.id}/suspend").status_code == 403
    assert login(author).post(f"/forum/u/{colleague.id}/lift").status_code == 403
    client = login(moderator)
    assert client.get("/forum/u/99999/suspend").status_code == 404
    for days in ("", "0", "abc", "1000"):
        response = client.post(
            f"/forum/u/{colleague.id}/suspend", data={"days": days, "reason": "Kept reason"}
        )
        assert response.status_code == 400 and "Kept reason" in response.get_data(as_text=True), days
    response = client.post(f"/forum/u/{colleague.id}/suspend", data={"days": "3", "reason": ""})
    assert response.status_code == 400 and "Say why" in response.get_data(as_text=True)
    words = client.post(f"/forum/u/{colleague.id}/suspend", data={"days": "abc", "reason": "Spam"})
    error = words.get_data(as_text=True).split('id="days-error">')[1].split("</p>")[0]
    assert error == "Enter a whole number of days, like 7."  # not also "Between 1 and 365 days."


# Move and close


def test_a_moderator_moves_a_topic_and_the_counts_follow(login, forum, moderator, topic):
    lounge = forum.board("lounge")
    client = login(moderator)
    assert "Move to board" in client.get(topic_path(topic)).get_data(as_text=True)

    response = client.post(f"/forum/t/{topic.id}/move", data={"board": lounge.id}, follow_redirects=True)

    assert "moved to Members&#39; lounge" in response.get_data(as_text=True)
    assert forum.get_topic(topic.id).board_id == lounge.id
    course_board, lounge = forum.board("integration"), forum.board("lounge")
    assert (course_board.topic_count, course_board.post_count) == (0, 0)
    assert (lounge.topic_count, lounge.post_count) == (1, 2) and lounge.last_post_at is not None
    assert client.post(f"/forum/t/{topic.id}/move", data={"board": "abc"}).status_code == 400
    assert client.post(f"/forum/t/{topic.id}/move", data={"board": 99999}).status_code == 400


def test_members_and_the_instructor_cannot_move(login, forum, learner, author, topic):
    lounge = forum.board("lounge")
    assert login(learner).post(f"/forum/t/{topic.id}/move", data={"board": lounge.id}).status_code == 403
    assert login(author).post(f"/forum/t/{topic.id}/move", data={"board": lounge.id}).status_code == 403


def test_closing_is_a_lock_that_says_closed(login, forum, learner, moderator, topic):
    client = login(moderator)
    response = client.post(f"/forum/t/{topic.id}/moderate", data={"action": "close"}, follow_redirects=True)
    assert "The topic is closed" in response.get_data(as_text=True) and "Reopen topic" in response.get_data(
        as_text=True
    )
    stored = forum.get_topic(topic.id)
    assert stored.locked and stored.closed_at is not None
    page = login(learner).get(topic_path(topic)).get_data(as_text=True)
    assert "This topic is closed" in page and ">Closed<" in page
    assert login(learner).post(f"/forum/t/{topic.id}/reply", data={"body": "Late"}).status_code == 302
    assert forum.get_topic(topic.id).post_count == 2
    assert ">Closed<" in login(learner).get("/forum/integration/").get_data(as_text=True)
    login(moderator).post(f"/forum/t/{topic.id}/moderate", data={"action": "reopen"})
    stored = forum.get_topic(topic.id)
    assert not stored.locked and stored.closed_at is None
