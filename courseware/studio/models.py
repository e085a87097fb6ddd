"""The studio's own records: every save of a lesson in the browser editor, kept as history."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.db import utcnow
from courseware.extensions import db


class RevisionStatus(StrEnum):
    DRAFT = "draft"  # saved, not published: learners still see the Lesson row
    PUBLISHED = "published"  # written to the Lesson row, live at once
    SCHEDULED = "scheduled"  # written to the Lesson row with a publish_at in the future
    WENT_LIVE = "went-live"  # `flask courses publish-due` saw a scheduled lesson go live and announced it


class LessonRevision(db.Model):
    """One save of a lesson in the studio. Rows are only ever added: a restore adds a new one.

    The latest row of a lesson, when it is a draft, is the lesson's pending draft; the Lesson row
    keeps what learners see until the author publishes.
    """

    __tablename__ = "lesson_revisions"
    __table_args__ = (sa.UniqueConstraint("lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"))
    # 1, 2, 3... per lesson; the unique key refuses the second of two saves made from the same page.
    number: Mapped[int]
    # Lesson.revision when this was saved (a draft) or the one it produced (a publish).
    lesson_revision: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    body_md: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered once at save, so the history and the editor show a draft without rendering per view.
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    duration_seconds: Mapped[int | None]
    credit_minutes: Mapped[int | None]  # as declared; None shares the course's remaining minutes
    preview: Mapped[bool] = mapped_column(default=False)
    publish_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(sa.String(200), default="")

    # Loaded only where a page names the author (the history), never lazily.
    author: Mapped[User | None] = relationship(lazy="raise")


class MediaKind(StrEnum):
    VIDEO = "video"
    CAPTIONS = "captions"
    DOWNLOAD = "download"


class MediaUpload(db.Model):
    """A file the author uploaded for a lesson: the record of who sent what, kept after removal.

    The lesson row names the file (`media/<random>.<ext>`, as course files name theirs); the bytes
    live in the media store (courseware/storage.py) under the course's id.
    """

    __tablename__ = "media_uploads"
    __table_args__ = (sa.UniqueConstraint("course_id", "stored_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    lesson_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("lessons.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(255))  # "media/<random>.<ext>"
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content_type: Mapped[str] = mapped_column(sa.String(100))  # as sniffed from the content
    # When the author took it off the lesson (replaced or removed); the file stays for the record.
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id], lazy="raise")
