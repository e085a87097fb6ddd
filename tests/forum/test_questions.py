"""Ask about this lesson: from the player into the course board, with the lesson and the second;
the topic links back to the player at that second; the lesson page lists its questions; accepted
answers; the instructor's unanswered queue."""

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role
from courseware.content.models import Lesson
from courseware.db import utcnow
from courseware.extensions import db
from forum.models import Topic
from tests.forum.conftest import topic_path


def _ask(client, lesson="lesson-2", t="205", title="Why does the teacher lead?", **extra):
    query = "&".join(f"{name}={value}" for name, value in (("lesson", lesson), ("t", t)) if value is not None)
    data = {
        "title": title,
        "body": "At this point she says the teacher leads.",
        "submit": "Post topic",
        **extra,
    }
    return client.post(f"/forum/integration/new?{query}", data=data)


def _latest(app, forum) -> Topic:
    with app.app_context():
        topic_id = db.session.scalar(sa.select(sa.func.max(Topic.id)))
    return forum.get_topic(topic_id)


# Ask about this lesson


def test_the_player_offers_to_ask_about_the_lesson(login, learner):
    page = login(learner).get("/learn/integration/lesson-2").get_data(as_text=True)
    assert 'id="ask-about-lesson" href="/forum/integration/new?lesson=lesson-2"' in page
    assert "Questions about this lesson" in page and "No questions yet" in page


def test_no_ask_link_without_a_community(login, make, member):
    course = make.course(slug="quiet", community=False)
    user = member()
    make.enrolment(user, course)
    page = login(user).get("/learn/quiet/lesson-1").get_data(as_text=True)
    assert "Ask about this lesson" not in page and "Questions about this lesson" not in page


def test_the_form_says_what_the_question_is_about(login, make, learner, community):
    with make.app.app_context():
        db.session.execute(db.update(Lesson).values(duration_seconds=300))
        db.session.commit()
    client = login(learner)
    page = client.get("/forum/integration/new?lesson=lesson-2&t=205").get_data(as_text=True)
    assert "About: <strong>Lesson 2</strong> at 3:25" in page
    assert 'action="/forum/integration/new?lesson=lesson-2&amp;t=205"' in page


def test_a_question_is_stored_with_its_lesson_and_second(app, login, forum, make, learner, community):
    with app.app_context():
        db.session.execute(db.update(Lesson).values(duration_seconds=300))
        db.session.commit()
    client = login(learner)

    response = _ask(client)

    assert response.status_code == 302
    topic = _latest(app, forum)
    lesson = make.lessons(community)[1]
    assert (topic.lesson_id, topic.video_seconds) == (lesson.id, 205)
    page = client.get(response.location).get_data(as_text=True)
    assert 'Asked about\n      <a href="/learn/integration/lesson-2?t=205">Lesson 2 at 3:25</a>' in page


@pytest.mark.parametrize(
    "lesson, t, expected",
    [
        ("lesson-2", "61", ("lesson-2", None)),  # past the 60 s video: the second is dropped
        ("lesson-2", "-3", ("lesson-2", None)),
        ("lesson-2", "abc", ("lesson-2", None)),
        ("lesson-2", None, ("lesson-2", None)),
        ("lesson-2", "60", ("lesson-2", 60)),
        ("no-such-lesson", "5", (None, None)),
        ("", "5", (None, None)),
        ("lesson-2'--", "99999999999999999999", (None, None)),
    ],
)
def test_odd_lessons_and_seconds_are_ignored_never_a_500(
    app, login, forum, make, learner, community, lesson, t, expected
):
    client = login(learner)
    query = f"lesson={lesson}" + (f"&t={t}" if t is not None else "")
    assert client.get(f"/forum/integration/new?{query}").status_code == 200
    assert _ask(client, lesson=lesson, t=t).status_code == 302
    topic = _latest(app, forum)
    slugs = {item.id: item.slug for item in make.lessons(community)}
    assert (slugs.get(topic.lesson_id), topic.video_seconds) == expected


def test_a_lesson_of_another_course_or_a_scheduled_one_is_ignored(
    app, login, forum, make, learner, community
):
    make.course(slug="other", community=True)
    with app.app_context():
        lesson = db.session.scalar(
            db.select(Lesson).where(Lesson.course_id == community.id, Lesson.slug == "lesson-3")
        )
        lesson.publish_at = utcnow().replace(year=utcnow().year + 1)
        db.session.commit()
    client = login(learner)
    _ask(client, lesson="lesson-3", t="5")
    assert _latest(app, forum).lesson_id is None
    page = client.get("/forum/integration/new?lesson=lesson-3").get_data(as_text=True)
    assert "About:" not in page


def test_the_lesson_page_lists_its_questions_newest_first(app, login, forum, learner, queries):
    client = login(learner)
    for n in range(12):
        _ask(client, title=f"Question {n:02d}", t=str(n))
    _ask(client, lesson="lesson-1", title="About lesson one", t="1")

    with queries() as statements:
        page = client.get("/learn/integration/lesson-2").get_data(as_text=True)

    assert len(statements) <= 6, "\n".join(s[:120] for s in statements)
    assert page.index("Question 11") < page.index("Question 02")
    assert "Question 01" not in page and "About lesson one" not in page  # ten shown, this lesson only
    assert 'href="/forum/integration/?lesson=lesson-2">See all questions about this lesson' in page
    board = client.get("/forum/integration/?lesson=lesson-2").get_data(as_text=True)
    assert "Questions about <strong>Lesson 2</strong>" in board
    assert "Question 00" in board and "About lesson one" not in board
    assert "About lesson one" in client.get("/forum/integration/?lesson=nope").get_data(as_text=True)


def test_outsiders_see_no_questions_and_hidden_ones_are_left_out(
    app, login, forum, make, member, moderator, learner, community
):
    client = login(learner)
    _ask(client, title="Visible question")
    _ask(client, title="Hidden question")
    login(moderator).post(f"/forum/t/{_latest(app, forum).id}/moderate", data={"action": "hide"})

    page = login(learner).get("/learn/integration/lesson-2").get_data(as_text=True)
    assert "Visible question" in page and "Hidden question" not in page
    with make.app.app_context():
        db.session.execute(db.update(Lesson).values(preview=True))
        db.session.commit()
    outsider = login(member()).get("/learn/integration/lesson-2").get_data(as_text=True)
    assert "Visible question" not in outsider and "Ask about this lesson" not in outsider


# Accepted answer


@pytest.fixture
def question(forum, learner, author):
    topic = forum.topic("integration", learner, title="How do I start?")
    forum.reply(topic, author, "Start with one routine.")
    forum.reply(topic, learner, "Thanks!")
    return forum.get_topic(topic.id)


def test_the_asker_accepts_an_answer_and_it_shows_at_the_top(login, forum, learner, question):
    answer = forum.get_post(question, 2)
    client = login(learner)

    response = client.post(f"/forum/t/{question.id}/accept", data={"post": answer.id})

    assert response.status_code == 302 and response.location == f"{topic_path(question)}#post-2"
    topic = forum.get_topic(question.id)
    assert topic.accepted_post_id == answer.id and topic.answered_at is not None
    page = client.get(topic_path(question)).get_data(as_text=True)
    assert 'id="accepted-heading">Accepted answer' in page
    assert f'href="/forum/p/{answer.id}">see it in place (#2)' in page
    assert page.index("Accepted answer") < page.index('id="post-1"')
    assert "Unmark accepted answer" in page
    assert "Solved" in client.get("/forum/integration/").get_data(as_text=True)


def test_the_instructor_changes_and_unmarks_the_answer(login, forum, author, question):
    client = login(author)
    client.post(f"/forum/t/{question.id}/accept", data={"post": forum.get_post(question, 3).id})
    assert forum.get_topic(question.id).accepted_post_id == forum.get_post(question, 3).id
    client.post(f"/forum/t/{question.id}/accept", data={"post": ""})
    topic = forum.get_topic(question.id)
    assert topic.accepted_post_id is None
    assert topic.answered_at is not None  # the instructor replied: still answered
    assert "Solved" not in client.get("/forum/integration/").get_data(as_text=True)


def test_only_the_asker_the_instructor_or_a_moderator_accepts(
    login, forum, make, member, community, question
):
    other = member()
    make.enrolment(other, community)
    answer = forum.get_post(question, 2)
    client = login(other)
    assert client.post(f"/forum/t/{question.id}/accept", data={"post": answer.id}).status_code == 403
    assert "Accept as the answer" not in client.get(topic_path(question)).get_data(as_text=True)
    assert login(member()).post(f"/forum/t/{question.id}/accept", data={"post": answer.id}).status_code == 404
    assert forum.get_topic(question.id).accepted_post_id is None


def test_odd_accept_requests_are_a_clear_answer(login, forum, learner, question):
    client = login(learner)
    other = forum.topic("integration", learner, title="Another", replies=1)
    opening = forum.get_post(question, 1)
    for data in (
        {"post": "abc"},
        {"post": forum.get_post(other, 2).id},
        {"post": 99999},
        {"post": "99999999999999999999"},
    ):
        assert client.post(f"/forum/t/{question.id}/accept", data=data).status_code == 400, data
    response = client.post(f"/forum/t/{question.id}/accept", data={"post": opening.id}, follow_redirects=True)
    assert "Only a reply in this topic" in response.get_data(as_text=True)
    assert client.post(f"/forum/t/{question.id}/accept", data={"post": 1}, csrf=False).status_code == 400
    assert forum.get_topic(question.id).accepted_post_id is None


# The unanswered queue


def test_the_unanswered_queue_lists_questions_without_an_instructor_reply(
    login, forum, learner, author, moderator, member, queries
):
    oldest = forum.topic("integration", learner, title="Oldest question")
    forum.topic("integration", learner, title="Newer question")
    answered = forum.topic("integration", learner, title="Answered by Jennifer")
    accepted = forum.topic("integration", learner, title="Answered by a colleague", replies=1)
    forum.topic("lounge", learner, title="Lounge chat")
    client = login(author)
    client.post("/forum/integration/new", data={"title": "Jennifer's own announcement", "body": "Welcome!"})
    client.post(f"/forum/t/{answered.id}/reply", data={"body": "Here is how."})
    login(learner).post(f"/forum/t/{accepted.id}/accept", data={"post": forum.get_post(accepted, 2).id})

    client = login(author)
    with queries() as statements:
        page = client.get("/forum/unanswered").get_data(as_text=True)

    assert len(statements) <= 8
    assert "Oldest question" in page and "Newer question" in page
    assert page.index("Oldest question") < page.index("Newer question")
    for absent in ("Answered by Jennifer", "Answered by a colleague", "own announcement", "Lounge chat"):
        assert absent not in page
    assert "Oldest question" in login(moderator).get("/forum/unanswered").get_data(as_text=True)
    assert login(learner).get("/forum/unanswered").status_code == 403
    assert oldest.answered_at is None


def test_a_topic_moved_onto_a_course_board_is_queued_as_if_written_there(
    login, forum, learner, author, moderator
):
    """The instructor's own lounge topic needs no answer; a member's one she answered is answered."""
    hers = forum.topic("lounge", author, title="Welcome, everyone")
    answered = forum.topic("lounge", learner, title="Answered in the lounge")
    waiting = forum.topic("lounge", learner, title="Still waiting")
    login(author).post(f"/forum/t/{answered.id}/reply", data={"body": "Here is how."})
    course_board = forum.board("integration")
    for topic in (hers, answered, waiting):
        login(moderator).post(f"/forum/t/{topic.id}/move", data={"board": course_board.id})

    page = login(author).get("/forum/unanswered").get_data(as_text=True)
    assert "Still waiting" in page
    assert "Welcome, everyone" not in page and "Answered in the lounge" not in page


def test_the_unanswered_queue_pages_and_says_when_it_is_empty(login, forum, learner, author):
    assert "Every question has an answer" in login(author).get("/forum/unanswered").get_data(as_text=True)
    for n in range(31):
        forum.topic("integration", learner, title=f"Question {n:02d}")
    client = login(author)
    first = client.get("/forum/unanswered").get_data(as_text=True)
    second = client.get("/forum/unanswered?page=2").get_data(as_text=True)
    assert "Question 00" in first and "Question 30" not in first and 'rel="next"' in first
    assert "Question 30" in second and "Question 00" not in second
    assert client.get("/forum/unanswered?page=abc").status_code == 200


def test_an_admin_reply_counts_as_the_instructor(login, forum, member, learner):
    admin = member(role=Role.ADMIN)
    topic = forum.topic("integration", learner)
    login(admin).post(f"/forum/t/{topic.id}/reply", data={"body": "Answered."})
    assert forum.get_topic(topic.id).answered_at is not None
