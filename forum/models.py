"""Boards, topics and posts. Posts store their HTML cooked once, at write time; every count a page
shows is kept on a row and moved with `x = x + 1` in the transaction that changes it."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db

TITLE_MAX = 150
BODY_MAX = 20_000


class BoardKind(StrEnum):
    LOUNGE = "lounge"
    COURSE = "course"


class Board(db.Model):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(20))
    # A course's private board; None for the lounge.
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), unique=True
    )
    position: Mapped[int] = mapped_column(default=0)
    # Visible topics and their visible posts (hidden ones are not counted).
    topic_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None]

    @property
    def is_lounge(self) -> bool:
        return self.kind == BoardKind.LOUNGE


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (
        # The board page: pinned first, then latest activity.
        sa.Index("ix_topics_board_id_pinned_last_post_at", "board_id", "pinned", "last_post_at"),
        # The new-member rate limit reads the member's latest topic.
        sa.Index("ix_topics_author_id_created_at", "author_id", "created_at"),
        # A lesson's questions in the player, newest first.
        sa.Index("ix_topics_lesson_id_created_at", "lesson_id", "created_at"),
        # The unanswered queue: topics with no `answered_at`, oldest first.
        sa.Index("ix_topics_answered_at_created_at", "answered_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(sa.ForeignKey("boards.id", ondelete="CASCADE"))
    # RESTRICT: a member's posts are part of other people's conversations; closing an account
    # will anonymise them (a later slice), never delete them with the account.
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    slug: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A plain pointer, not a foreign key: posts already point at topics, and a cycle of foreign
    # keys would make every insert and delete order-dependent.
    last_post_id: Mapped[int | None]
    last_poster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Visible posts; `highest_number` is the last number handed out (hidden posts keep theirs),
    # so the pager knows how many number ranges the topic has without counting.
    post_count: Mapped[int] = mapped_column(default=1)
    reply_count: Mapped[int] = mapped_column(default=0)
    highest_number: Mapped[int] = mapped_column(default=1)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    hidden_at: Mapped[datetime | None]
    # Closing reuses the lock (no new replies) and says "Closed": the question is settled, not
    # stopped by a moderator. Set only together with `locked`.
    closed_at: Mapped[datetime | None]
    # "Ask about this lesson": the lesson and, for a video, the second the question is about.
    lesson_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lessons.id", ondelete="SET NULL"))
    video_seconds: Mapped[int | None]
    # The reply the asker or the instructor accepted: a plain pointer, like last_post_id.
    accepted_post_id: Mapped[int | None]
    # When the instructor first replied or an answer was accepted: NULL keeps the topic in the
    # unanswered queue (an indexed read, never a subquery per topic).
    answered_at: Mapped[datetime | None]
    # Bumped by every change to what the topic's pages show (posts, their authors' names, the
    # accepted answer, the lock): the key of the topic's cached post lists (forum.post_cache).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    # Loaded explicitly by each page (contains_eager); a lazy load would be a statement per row.
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id], lazy="raise")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        # Also the index behind the topic page's number ranges.
        sa.UniqueConstraint("topic_id", "number"),
        sa.Index("ix_posts_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    number: Mapped[int]  # 1 is the opening post
    body_md: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    # Deleted by its author within the grace period: the row stays (numbers and quotes hold),
    # members see "Post deleted by its author" in its place.
    deleted_at: Mapped[datetime | None]

    author: Mapped[User] = relationship(lazy="raise")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class PostRevision(db.Model):
    """A post's body as it was before one edit; `number` counts the post's edits from 1."""

    __tablename__ = "post_revisions"
    __table_args__ = (sa.UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    body_md: Mapped[str] = mapped_column(sa.Text)
    edited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)

    edited_by: Mapped[User | None] = relationship(lazy="raise")


class ReportReason(StrEnum):
    SPAM = "spam"
    RUDE = "rude"
    OFF_TOPIC = "off_topic"
    PRIVACY = "privacy"
    OTHER = "other"


REPORT_REASONS = {
    ReportReason.SPAM: "Spam or advertising",
    ReportReason.RUDE: "Rude or abusive",
    ReportReason.OFF_TOPIC: "Off topic",
    ReportReason.PRIVACY: "Shares a student's or someone's private information",
    ReportReason.OTHER: "Something else",
}


class PostReport(db.Model):
    """A member's report of a post, once per member per post; open until a moderator resolves it."""

    __tablename__ = "post_reports"
    __table_args__ = (
        sa.UniqueConstraint("post_id", "reporter_id"),
        # The review queue: open reports, oldest first.
        sa.Index("ix_post_reports_resolved_at_created_at", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.String(20))
    details: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # "dismissed" or "hidden"
    resolution: Mapped[str | None] = mapped_column(sa.String(20))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy="raise")


class ForumSuspension(db.Model):
    """A member may read but not post until `until` (or until a moderator lifts it)."""

    __tablename__ = "forum_suspensions"
    __table_args__ = (sa.Index("ix_forum_suspensions_user_id_until", "user_id", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]


class WatchLevel(StrEnum):
    """Watching: every new post. Tracking (the default, no row): only what is addressed to the
    member (mentions, quotes, an accepted answer) and unread markers. Muted: nothing at all."""

    WATCHING = "watching"
    TRACKING = "tracking"
    MUTED = "muted"


WATCH_LEVELS = {
    WatchLevel.WATCHING: "Watching",
    WatchLevel.TRACKING: "Tracking",
    WatchLevel.MUTED: "Muted",
}
WATCH_HINT = (
    "Watching: every new post. Tracking: only when someone mentions you, quotes you or accepts your "
    "answer. Muted: nothing at all."
)


class TopicWatch(db.Model):
    __tablename__ = "topic_watches"
    __table_args__ = (
        sa.PrimaryKeyConstraint("topic_id", "user_id"),
        sa.Index("ix_topic_watches_user_id", "user_id"),
    )

    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(sa.String(10))


class BoardWatch(db.Model):
    __tablename__ = "board_watches"
    __table_args__ = (
        sa.PrimaryKeyConstraint("board_id", "user_id"),
        sa.Index("ix_board_watches_user_id", "user_id"),
    )

    board_id: Mapped[int] = mapped_column(sa.ForeignKey("boards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(sa.String(10))


class TopicRead(db.Model):
    """How far a member has read a topic: the highest post number a topic page has shown them.
    Written only when it moves forward, never on a page view that shows nothing new."""

    __tablename__ = "topic_reads"
    __table_args__ = (sa.PrimaryKeyConstraint("user_id", "topic_id"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(sa.ForeignKey("topics.id", ondelete="CASCADE"))
    last_read_number: Mapped[int]
