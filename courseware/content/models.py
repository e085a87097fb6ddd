from datetime import datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.db import utcnow
from courseware.extensions import db


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text)
    instructor: Mapped[str] = mapped_column(sa.String(120))
    price_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    contact_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    level: Mapped[str] = mapped_column(sa.String(20))
    category: Mapped[str] = mapped_column(sa.String(80))
    objectives: Mapped[list] = mapped_column(sa.JSON, default=list)
    # {"aota": {"provider": ..., "number": ...}} or None for "refer to your state's rules"
    approval: Mapped[dict | None] = mapped_column(sa.JSON)
    watch_percent: Mapped[int] = mapped_column(default=90)
    # post_test / evaluation / attestation settings, as written in course.md
    completion: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    post_test: Mapped[dict | None] = mapped_column(sa.JSON)
    evaluation: Mapped[dict | None] = mapped_column(sa.JSON)
    # Per-course overrides of the certificate's provider and signer (CERTIFICATE_* configuration).
    certificate: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    community: Mapped[bool] = mapped_column(default=False)
    sequential: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default=Status.DRAFT)
    publish_at: Mapped[datetime | None]
    # The markdown as written is kept beside its HTML so the studio can edit it and
    # `flask courses export` can write the files back.
    description_md: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    revision: Mapped[int] = mapped_column(default=1)
    # Kept on the row so the catalogue never counts per view.
    lesson_count: Mapped[int] = mapped_column(default=0)
    video_seconds: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan"
    )

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0

    @property
    def total_credit_minutes(self) -> int:
        return int(self.contact_hours * 60)

    def is_live(self, now: datetime) -> bool:
        return self.status == Status.PUBLISHED and (self.publish_at is None or self.publish_at <= now)


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    intro_md: Mapped[str] = mapped_column(sa.Text, default="")
    intro_html: Mapped[str] = mapped_column(sa.Text, default="")
    retired_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list["Lesson"]] = relationship(back_populates="module", order_by="Lesson.position")


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]  # order within the whole course
    title: Mapped[str] = mapped_column(sa.String(200))
    video_path: Mapped[str | None] = mapped_column(sa.String(255))
    captions_path: Mapped[str | None] = mapped_column(sa.String(255))
    duration_seconds: Mapped[int | None]
    credit_minutes: Mapped[int] = mapped_column(default=0)
    # As written in the front matter; None = this lesson shares the course's remaining minutes.
    credit_minutes_declared: Mapped[int | None]
    downloads: Mapped[list] = mapped_column(sa.JSON, default=list)
    preview: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default=Status.PUBLISHED)
    publish_at: Mapped[datetime | None]
    body_md: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    # Caption cues [[start_s, end_s, text], ...], read once at sync for the interactive transcript.
    transcript: Mapped[list] = mapped_column(sa.JSON, default=list)
    transcript_html: Mapped[str] = mapped_column(sa.Text, default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    revision: Mapped[int] = mapped_column(default=1)
    retired_at: Mapped[datetime | None]
    # When learners were told it went live (content.lesson_published). None while it is not live, and
    # for a scheduled lesson whose time has come until `flask courses publish-due` (or the next sync)
    # announces it: a lesson scheduled in the files or in the studio is announced once, when due.
    announced_at: Mapped[datetime | None]

    module: Mapped[Module] = relationship(back_populates="lessons")

    @property
    def has_video(self) -> bool:
        return self.video_path is not None

    def is_live(self, now: datetime) -> bool:
        """Whether learners see it, read the way content/structure.py reads it."""
        published = self.status == Status.PUBLISHED and self.retired_at is None
        return published and (self.publish_at is None or self.publish_at <= now)

    def awaits_announcement(self, now: datetime) -> bool:
        """Live because its scheduled time has come, and learners have not been told yet."""
        return self.is_live(now) and self.publish_at is not None and self.announced_at is None


class CourseRevision(db.Model):
    """One row per synced change of a course: which content a certificate was earned on."""

    __tablename__ = "course_revisions"
    __table_args__ = (sa.UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    lesson_hashes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
