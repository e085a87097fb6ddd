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
    # Reserved for "ask about this lesson" (a later slice).
    lesson_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lessons.id", ondelete="SET NULL"))
    video_seconds: Mapped[int | None]

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

    author: Mapped[User] = relationship(lazy="raise")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
