"""A benchmark forum: one course board with `topics` topics of POSTS_PER_TOPIC posts each, written
by a crowd of members in plausible sentences, plus one long topic (LONG_TOPIC_POSTS posts) for the
topic page's 50-post page. Bulk inserts (one INSERT ... VALUES per batch), with the kept counts set
as the services would have left them; the search index fills through its triggers as it would for
posts written one by one.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from courseware.accounts.models import User
from courseware.content.models import Course, Status
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, EnrolmentSource
from forum.models import Board, BoardKind, Post, Topic
from forum.services import cook, ensure_course_boards, slugify

POSTS_PER_TOPIC = 20
LONG_TOPIC_POSTS = 120
AUTHORS = 200
BODIES = 400  # distinct post bodies, cooked once each
BATCH = 5_000
SEARCH_QUERY = "sensory schedule"  # two common words: thousands of matches at either size

_SUBJECTS = ["The teacher", "Our team", "My student", "The para", "A first grader", "The OT", "Her class",
             "The principal", "Our COTA", "The family"]
_VERBS = ["tried", "added", "modelled", "graded", "practised", "measured", "shared", "dropped", "kept",
          "adapted"]
_OBJECTS = ["a visual schedule", "sensory breaks", "weighted lap pads", "pencil grips", "slant boards",
            "a first-then board", "fidget tools", "movement breaks", "a calm corner", "scissor practice",
            "handwriting warm-ups", "a token chart", "chair bands", "a timer", "graph paper"]
_PLACES = ["during writing block", "at morning meeting", "in the lunchroom", "before recess", "in art",
           "on the bus ramp", "in the resource room", "during centers", "at dismissal", "in PE"]
_TITLES = ["Ideas for", "Help with", "What works for", "Data on", "Questions about", "Starting",
           "Co-teaching", "Measuring"]


@dataclass(frozen=True)
class Forum:
    board_slug: str
    long_topic_path: str
    member_ids: list[int]  # benchmark members, enrolled in the board's course
    posts: int


def seed(topics: int, members: int) -> Forum:
    """Fill the empty schema; call inside an app context."""
    rng = random.Random(11)  # the same forum on every run
    course = _course()
    authors = _users("author", AUTHORS)
    bench_members = _users("member", members)
    db.session.flush()
    for user in bench_members:
        db.session.add(Enrolment(user_id=user.id, course_id=course.id, source=EnrolmentSource.GRANT))
    ensure_course_boards()
    board = db.session.scalar(sa.select(Board).where(Board.kind == BoardKind.COURSE))
    author_ids = [user.id for user in authors]
    bodies = [_body(rng) for _ in range(BODIES)]
    cooked = [cook(body) for body in bodies]
    sizes = [POSTS_PER_TOPIC] * topics + [LONG_TOPIC_POSTS]
    posts = _insert_topics_and_posts(board, sizes, author_ids, bodies, cooked, rng)
    db.session.commit()
    long_topic = db.session.scalar(sa.select(Topic).order_by(Topic.id.desc()).limit(1))
    return Forum(board.slug, f"/forum/t/{long_topic.id}-{long_topic.slug}", [u.id for u in bench_members],
                 posts)


def _course() -> Course:
    course = Course(
        slug="bench-community", title="Integrated services (benchmark community)", summary="A course.",
        instructor="Jennifer Huff, OTR, MOT", contact_hours=Decimal("6.75"), level="Intermediate",
        category="Occupational Therapy Process", community=True, status=Status.PUBLISHED,
    )
    db.session.add(course)
    db.session.flush()
    return course


def _users(kind: str, count: int) -> list[User]:
    password_hash = generate_password_hash("bench password, never used to log in")
    created = utcnow() - timedelta(days=60)
    users = [
        User(email=f"{kind}{n}@example.com", password_hash=password_hash, display_name=f"{kind.title()} {n}",
             email_verified_at=created, created_at=created)
        for n in range(count)
    ]
    db.session.add_all(users)
    return users


def _insert_topics_and_posts(board, sizes, author_ids, bodies, cooked, rng) -> int:
    """Topics with explicit ids (so posts can point at them without a round trip each), then their
    posts in batches; counts on the rows as the services keep them."""
    start = utcnow() - timedelta(days=400)
    first_topic_id = (db.session.scalar(sa.select(sa.func.max(Topic.id))) or 0) + 1
    first_post_id = (db.session.scalar(sa.select(sa.func.max(Post.id))) or 0) + 1
    topics, posts, post_id = [], [], first_post_id
    for index, size in enumerate(sizes):
        topic_id = first_topic_id + index
        created = start + timedelta(minutes=5 * index)
        title = f"{rng.choice(_TITLES)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)}"
        authors = [rng.choice(author_ids) for _ in range(size)]
        for number in range(1, size + 1):
            which = rng.randrange(len(bodies))
            posts.append(dict(id=post_id, topic_id=topic_id, author_id=authors[number - 1], number=number,
                              body_md=bodies[which], body_html=cooked[which],
                              created_at=created + timedelta(minutes=number)))
            post_id += 1
        topics.append(dict(
            id=topic_id, board_id=board.id, author_id=authors[0], title=title, slug=slugify(title),
            created_at=created, last_post_at=created + timedelta(minutes=size), last_post_id=post_id - 1,
            last_poster_id=authors[-1], post_count=size, reply_count=size - 1, highest_number=size,
        ))
    for batch in range(0, len(topics), BATCH):
        db.session.execute(sa.insert(Topic), topics[batch:batch + BATCH])
    for batch in range(0, len(posts), BATCH):
        db.session.execute(sa.insert(Post), posts[batch:batch + BATCH])
    db.session.execute(
        sa.update(Board).where(Board.id == board.id)
        .values(topic_count=len(topics), post_count=len(posts), last_post_at=topics[-1]["last_post_at"])
    )
    return len(posts)


def _body(rng: random.Random) -> str:
    sentences = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_PLACES)}."
        for _ in range(rng.randint(3, 7))
    ]
    if rng.random() < 0.3:
        sentences.append(f"\n\n- {rng.choice(_OBJECTS)}\n- {rng.choice(_OBJECTS)}")
    return " ".join(sentences)
