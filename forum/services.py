"""Writing to the forum: boards from the courses table, topics, replies, edits with their history,
accepted answers, deletion within the grace period, the new-member rate limit. Moderation is in
moderation.py; what pages read is in pages.py.

Services only flush; the view (or CLI command) commits once. Markdown is cooked here, once, into
`body_html`; pages only ever show the stored HTML.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import load_only

from courseware import formatting
from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.extensions import db
from courseware.formatting import line_diff
from courseware.markdown import render
from courseware.notifications import inbox
from forum import permissions
from forum.models import Board, BoardKind, Post, PostRevision, Topic

LOUNGE_SLUG = "lounge"
LOUNGE_TITLE = "Members' lounge"
LOUNGE_DESCRIPTION = (
    "Open to every member: introduce yourself, share what works in your schools and ask your colleagues."
)
# Board slugs share /forum/<slug>/ with the forum's own paths.
RESERVED_SLUGS = frozenset({LOUNGE_SLUG, "t", "p", "u", "new", "search", "unanswered", "reports"})

# New members (accounts younger than a day) wait between posts: spam arrives with new accounts.
NEW_MEMBER_PERIOD = timedelta(hours=24)
NEW_MEMBER_POST_INTERVAL = timedelta(seconds=30)
NEW_MEMBER_TOPIC_INTERVAL = timedelta(minutes=2)


class PostingError(Exception):
    """The change does not apply; the message says why, in words for the member."""


class RateLimited(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        unit = "second" if seconds == 1 else "seconds"
        super().__init__(f"New members post at a gentle pace. You can post again in {seconds} {unit}.")


@dataclass
class BoardsReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def ensure_course_boards() -> BoardsReport:
    """The lounge, and one board per course with `community: true`, titled after it (idempotent)."""
    report = BoardsReport()
    boards = {board.course_id: board for board in db.session.scalars(sa.select(Board))}
    if not any(board.kind == BoardKind.LOUNGE for board in boards.values()):
        db.session.add(
            Board(slug=LOUNGE_SLUG, title=LOUNGE_TITLE, description=LOUNGE_DESCRIPTION,
                  kind=BoardKind.LOUNGE, position=0)
        )
        report.created.append(LOUNGE_SLUG)
    for course in _community_courses():
        if course.slug in RESERVED_SLUGS:
            report.skipped.append(course.slug)
            continue
        board = boards.get(course.id)
        wanted = dict(slug=course.slug, title=course.title, description=course.summary)
        if board is None:
            db.session.add(Board(kind=BoardKind.COURSE, course_id=course.id, position=1, **wanted))
            report.created.append(course.slug)
        elif any(getattr(board, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(board, name, value)
            report.updated.append(course.slug)
    db.session.flush()
    return report


def _community_courses() -> list[Course]:
    statement = (
        sa.select(Course)
        .options(load_only(Course.id, Course.slug, Course.title, Course.summary))
        .where(Course.community.is_(True))
        .order_by(Course.id)
    )
    return list(db.session.scalars(statement))


def create_topic(
    board: Board, author_id: int, title: str, body: str, now: datetime, *,
    lesson_id: int | None = None, video_seconds: int | None = None, by_instructor: bool = False,
) -> Topic:
    """A topic and its opening post (number 1); the board's counts move in the same transaction.
    An instructor's own topic needs no answer: it never enters the unanswered queue."""
    topic = Topic(
        board_id=board.id, author_id=author_id, title=title, slug=slugify(title), created_at=now,
        last_post_at=now, last_poster_id=author_id, post_count=1, reply_count=0, highest_number=1,
        lesson_id=lesson_id, video_seconds=video_seconds if lesson_id is not None else None,
        answered_at=now if by_instructor else None,
    )
    db.session.add(topic)
    db.session.flush()
    post = _new_post(topic.id, author_id, 1, body, now)
    topic.last_post_id = post.id
    move_board_counts(board.id, topics=1, posts=1, last_post_at=now)
    db.session.flush()
    return topic


def reply(topic: Topic, author_id: int, body: str, now: datetime, *, by_instructor: bool = False) -> Post:
    """The next post of the topic. Its number comes from the topic row's own counter, bumped by
    one UPDATE ... RETURNING, so two replies at once never take the same number. The instructor's
    first reply takes the topic out of the unanswered queue, in the same UPDATE."""
    values = dict(
        highest_number=Topic.highest_number + 1, post_count=Topic.post_count + 1,
        reply_count=Topic.reply_count + 1, last_post_at=now, last_poster_id=author_id,
        version=Topic.version + 1,
    )
    if by_instructor:
        values["answered_at"] = sa.func.coalesce(Topic.answered_at, now)
    number = db.session.execute(
        sa.update(Topic)
        .where(Topic.id == topic.id)
        .values(**values)
        .returning(Topic.highest_number)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    post = _new_post(topic.id, author_id, number, body, now)
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id).values(last_post_id=post.id)
        .execution_options(synchronize_session=False)
    )
    if topic.hidden_at is None:  # a hidden topic's posts are not in the board's counts
        move_board_counts(topic.board_id, posts=1, last_post_at=now)
    return post


def edit_post(post: Post, body: str, now: datetime, editor_id: int | None = None) -> PostRevision | None:
    """A new body, cooked again; the body before it is kept as the post's next revision. Saving
    the same text again changes nothing and keeps no revision."""
    if body == post.body_md:
        return None
    last = db.session.scalar(
        sa.select(sa.func.max(PostRevision.number)).where(PostRevision.post_id == post.id)
    )
    revision = PostRevision(
        post_id=post.id, number=(last or 0) + 1, body_md=post.body_md, edited_by_id=editor_id, edited_at=now,
    )
    db.session.add(revision)
    post.body_md = body
    post.body_html = cook(body)
    post.edited_at = now
    topic_changed(post.topic_id)
    db.session.flush()
    return revision


def retitle_topic(topic: Topic, title: str) -> None:
    """A new title (and the slug its address carries: links with the old one redirect). The search
    index follows through its trigger; the pages that show it render again."""
    if title == topic.title:
        return
    topic.title = title
    topic.slug = slugify(title)
    topic_changed(topic.id)
    db.session.flush()


def accept_answer(topic: Topic, post: Post | None, now: datetime) -> str:
    """Marks `post` (a visible reply of the topic) as the accepted answer, or unmarks with None.
    Accepting answers the question; unmarking puts it back in the queue unless the instructor
    has replied."""
    topic_changed(topic.id)
    if post is None:
        topic.accepted_post_id = None
        topic.answered_at = _first_instructor_reply_at(topic.id)
        db.session.flush()
        return "The answer is no longer marked as accepted."
    if post.topic_id != topic.id or post.number == 1:
        raise PostingError("Only a reply in this topic can be its accepted answer.")
    if post.hidden_at is not None or post.deleted_at is not None:
        raise PostingError("A hidden or deleted post cannot be the accepted answer.")
    topic.accepted_post_id = post.id
    topic.answered_at = topic.answered_at or now
    db.session.flush()
    return f"Post #{post.number} is marked as the accepted answer."


def deletion_problem(topic: Topic, post: Post) -> str | None:
    """Why the author cannot delete this post (the grace period apart), or None: the opening post
    goes only with a topic that has no replies."""
    if post.number == 1 and topic.reply_count > 0:
        return "The opening post cannot be deleted once the topic has replies: edit it instead."
    return None


def delete_post(topic: Topic, post: Post, now: datetime) -> str:
    """Soft-deletes the author's post (checked by the view against the grace period): the row and
    its number stay, the counts move. The opening post of a topic without replies takes the topic
    with it, which leaves the board as a hidden one does."""
    problem = deletion_problem(topic, post)
    if problem is not None:
        raise PostingError(problem)
    changed = db.session.execute(
        sa.update(Post).where(Post.id == post.id, Post.deleted_at.is_(None)).values(deleted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    post.deleted_at = now
    if not changed:
        return "The post is already deleted."
    topic_changed(topic.id)
    if post.number == 1:
        hide_topic(topic, now)
        return "Your topic is deleted."
    inbox.withdraw([topic.id], post_number=post.number)
    values = dict(post_count=Topic.post_count - 1, reply_count=Topic.reply_count - 1)
    if topic.accepted_post_id == post.id:
        values["accepted_post_id"] = None
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id).values(**values)
        .execution_options(synchronize_session=False)
    )
    if topic.hidden_at is None:
        move_board_counts(topic.board_id, posts=-1)
    refresh_last_post(topic)
    return f"Post #{post.number} is deleted."


def topic_changed(topic_id: int) -> None:
    """Something the topic's pages show changed: its cached post lists (forum.post_cache) are keyed
    on the version, so every worker renders the new one."""
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic_id).values(version=Topic.version + 1)
        .execution_options(synchronize_session=False)
    )


def authors_renamed(user_id: int) -> None:
    """A member's name, @handle or role changed: it shows on each of their posts."""
    topics = sa.select(Post.topic_id).where(Post.author_id == user_id).distinct()
    db.session.execute(
        sa.update(Topic).where(Topic.id.in_(topics)).values(version=Topic.version + 1)
        .execution_options(synchronize_session=False)
    )


def refresh_last_post(topic: Topic) -> None:
    """The board lists the topic's latest visible post: after a hide, unhide or delete, find it again."""
    latest = db.session.execute(
        sa.select(Post.id, Post.author_id, Post.created_at)
        .where(Post.topic_id == topic.id, Post.hidden_at.is_(None), Post.deleted_at.is_(None))
        .order_by(Post.number.desc())
        .limit(1)
    ).one()  # the opening post is never hidden or deleted on its own
    db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id)
        .values(last_post_id=latest.id, last_poster_id=latest.author_id, last_post_at=latest.created_at)
        .execution_options(synchronize_session=False)
    )


@dataclass
class RevisionChange:
    """One edit of a post as its history page shows it: who, when, and the line diff."""

    revision: PostRevision
    diff: Markup


def revision_diffs(revisions: list[PostRevision], post: Post) -> list[RevisionChange]:
    """Each revision holds the body before its edit; the body after it is the next revision's, or
    the post's own for the latest edit."""
    if not revisions:
        return []
    afters = [revision.body_md for revision in revisions[1:]] + [post.body_md]
    return [
        RevisionChange(revision, line_diff(revision.body_md, after))
        for revision, after in zip(revisions, afters, strict=True)
    ]


def cook(body: str) -> str:
    """Markdown as members write it -> the sanitised HTML that is stored and shown."""
    return render(body, trusted=False)


def check_rate_limit(user: User, now: datetime, new_topic: bool) -> None:
    """Raises RateLimited while a member whose account is under a day old must wait: one post per
    30 s, one topic per 2 minutes. Read from the member's own latest post or topic (one indexed
    statement), so it holds the same on SQLite and PostgreSQL and across workers."""
    if now - user.created_at >= NEW_MEMBER_PERIOD:
        return
    if permissions.is_moderator(user) or permissions.is_instructor(user):
        return
    model, interval = (Topic, NEW_MEMBER_TOPIC_INTERVAL) if new_topic else (Post, NEW_MEMBER_POST_INTERVAL)
    latest = db.session.scalar(
        sa.select(model.created_at)
        .where(model.author_id == user.id)
        .order_by(model.created_at.desc())
        .limit(1)
    )
    if latest is None:
        return
    wait = latest + interval - now
    if wait > timedelta(0):
        raise RateLimited(max(1, int(wait.total_seconds() + 0.999)))


def slugify(title: str) -> str:
    """A topic's address from its title; 'topic' if nothing is left."""
    return formatting.slugify(title, "topic")


def hide_topic(topic: Topic, now: datetime) -> None:
    """Take the topic off its board (a moderator's hide, or its author deleting the opening post):
    the board's counts drop by the topic and its visible posts, once, however often it is asked."""
    changed = db.session.execute(
        sa.update(Topic).where(Topic.id == topic.id, Topic.hidden_at.is_(None)).values(hidden_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        move_board_counts(topic.board_id, topics=-1, posts=-topic.post_count)
        topic.hidden_at = now
        inbox.withdraw([topic.id])  # members can no longer open what they were told of


def _first_instructor_reply_at(topic_id: int) -> datetime | None:
    return db.session.scalar(
        sa.select(Post.created_at)
        .join(User, Post.author_id == User.id)
        .where(Post.topic_id == topic_id, Post.number > 1, Post.hidden_at.is_(None),
               Post.deleted_at.is_(None), User.role.in_(permissions.INSTRUCTOR_ROLES))
        .order_by(Post.number)
        .limit(1)
    )


def answered_on_arrival(topic: Topic) -> datetime | None:
    """When a topic moved in from another board counts as answered, as if it had been written here:
    at once if the instructor started it, else at her first reply (or as it was, if accepted)."""
    if topic.answered_at is not None:
        return topic.answered_at
    author_role = db.session.scalar(sa.select(User.role).where(User.id == topic.author_id))
    if author_role in permissions.INSTRUCTOR_ROLES:
        return topic.created_at
    return _first_instructor_reply_at(topic.id)


def _new_post(topic_id: int, author_id: int, number: int, body: str, now: datetime) -> Post:
    post = Post(
        topic_id=topic_id, author_id=author_id, number=number, body_md=body, body_html=cook(body),
        created_at=now,
    )
    db.session.add(post)
    db.session.flush()
    return post


def move_board_counts(
    board_id: int, topics: int = 0, posts: int = 0, last_post_at: datetime | None = None
) -> None:
    """Board counts move by SQL (`x = x + n`), never read-modify-write: replies race."""
    values = {"topic_count": Board.topic_count + topics, "post_count": Board.post_count + posts}
    if last_post_at is not None:
        values["last_post_at"] = last_post_at
    db.session.execute(
        sa.update(Board).where(Board.id == board_id).values(**values)
        .execution_options(synchronize_session=False)
    )
