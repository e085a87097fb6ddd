"""Forum fixtures: `forum` builds boards (as `flask forum boards` does), topics and posts through the
services; `member` makes an established member (older than the new-member rate limit), `enrolled`
one enrolled in the community course, and `learner` (Maya) and `colleague` (Sam) are two of those."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courseware.accounts.models import Role, User
from courseware.db import utcnow
from courseware.extensions import db
from forum import services
from forum.models import Board, Post, Topic


@pytest.fixture
def member(make):
    """member(**fields): a verified member whose account is two days old (no new-member limit)."""

    def _member(**fields) -> User:
        fields.setdefault("created_at", utcnow() - timedelta(days=2))
        return make.user(**fields)

    return _member


@pytest.fixture
def author(member) -> User:
    return member(email="jennifer@example.com", display_name="Jennifer Huff", role=Role.AUTHOR)


@pytest.fixture
def moderator(member) -> User:
    return member(email="mod@example.com", display_name="Morgan Mod", role=Role.MODERATOR)


class ForumFactory:
    def __init__(self, app):
        self.app = app

    def boards(self) -> services.BoardsReport:
        with self.app.app_context():
            report = services.ensure_course_boards()
            db.session.commit()
        return report

    def board(self, slug: str) -> Board:
        with self.app.app_context():
            board = db.session.scalar(sa.select(Board).where(Board.slug == slug))
            db.session.expunge(board)
        return board

    def topic(self, board_slug: str, user: User, title: str = "Co-teaching in the art room",
              body: str = "Where do I **start**?", replies: int = 0) -> Topic:
        """A topic by `user`, with `replies` replies by the same user, through the services."""
        with self.app.app_context():
            board = db.session.scalar(sa.select(Board).where(Board.slug == board_slug))
            topic = services.create_topic(board, user.id, title, body, utcnow())
            for n in range(replies):
                services.reply(topic, user.id, f"Reply number {n + 2}.", utcnow())
            db.session.commit()
            return self.get_topic(topic.id)

    def reply(self, topic: Topic, user: User, body: str) -> Post:
        with self.app.app_context():
            post = services.reply(db.session.get(Topic, topic.id), user.id, body, utcnow())
            db.session.commit()
            db.session.refresh(post)
            db.session.expunge(post)
            return post

    def bulk_posts(self, topic: Topic, user: User, count: int) -> None:
        """`count` more replies in one INSERT (fast), with the topic's and board's counts moved."""
        now = utcnow()
        first = topic.highest_number + 1
        rows = [
            dict(topic_id=topic.id, author_id=user.id, number=number, body_md=f"Post {number}",
                 body_html=f"<p>Post {number}</p>", created_at=now)
            for number in range(first, first + count)
        ]
        with self.app.app_context():
            db.session.execute(sa.insert(Post), rows)
            db.session.execute(
                sa.update(Topic).where(Topic.id == topic.id).values(
                    highest_number=Topic.highest_number + count, post_count=Topic.post_count + count,
                    reply_count=Topic.reply_count + count, last_post_at=now, version=Topic.version + 1,
                )
            )
            db.session.execute(
                sa.update(Board).where(Board.id == topic.board_id)
                .values(post_count=Board.post_count + count)
            )
            db.session.commit()

    def get_topic(self, topic_id: int) -> Topic:
        with self.app.app_context():
            topic = db.session.get(Topic, topic_id)
            db.session.expunge(topic)
            return topic

    def get_post(self, topic: Topic, number: int) -> Post:
        with self.app.app_context():
            post = db.session.scalar(sa.select(Post).where(Post.topic_id == topic.id, Post.number == number))
            db.session.expunge(post)
            return post

    def count_posts(self) -> int:
        return self.count(Post)

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def enrolled(make, member, community):
    """enrolled(**fields): an established member enrolled in the community course."""

    def _enrolled(**fields) -> User:
        user = member(**fields)
        make.enrolment(user, community)
        return user

    return _enrolled


@pytest.fixture
def learner(enrolled) -> User:
    return enrolled(display_name="Maya Ortiz")


@pytest.fixture
def colleague(enrolled) -> User:
    return enrolled(display_name="Sam Lee")


@pytest.fixture
def forum(app) -> ForumFactory:
    return ForumFactory(app)


@pytest.fixture
def community(make, forum):
    """A published course with `community: true`, its board and the lounge."""
    course = make.course(slug="integration", title="From Isolation to Integration", community=True)
    forum.boards()
    return course


def topic_path(topic: Topic) -> str:
    return f"/forum/t/{topic.id}-{topic.slug}"


@pytest.fixture
def topic(forum, learner, colleague) -> Topic:
    """Maya's question on the community board and Sam's reply."""
    topic = forum.topic("integration", learner, title="Visual schedules", body="How do you start?")
    forum.reply(topic, colleague, "With one picture at a time.")
    return forum.get_topic(topic.id)


def reader(app, user: User):
    """A client of its own, signed in as `user`: two readers side by side."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def page_of(client, topic: Topic) -> str:
    response = client.get(topic_path(topic))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post_html(page: str, number: int) -> str:
    start = page.index(f'<li id="post-{number}"')
    return page[start:page.index("</li>", start)]


_POST_NUMBERS = re.compile(r'<li id="post-(\d+)"')


def post_numbers(page: str) -> list[int]:
    """The post numbers a topic page shows, in order."""
    return [int(number) for number in _POST_NUMBERS.findall(page)]
