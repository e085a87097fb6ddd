from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from courseware.db import utcnow
from courseware.extensions import db


class ActivityFormat(StrEnum):
    """Some states cap self-study (home study) hours per renewal cycle."""

    SELF_STUDY = "self_study"
    LIVE = "live"


class ExternalCredit(db.Model):
    """A certificate earned elsewhere that the learner records on their transcript by hand."""

    __tablename__ = "external_credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    provider: Mapped[str] = mapped_column(sa.String(200))
    completed_on: Mapped[date]
    contact_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    format: Mapped[str] = mapped_column(sa.String(20), default=ActivityFormat.SELF_STUDY)
    # The uploaded certificate PDF, stored under a random name in the instance uploads folder.
    file_name: Mapped[str | None] = mapped_column(sa.String(64))
    original_filename: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
