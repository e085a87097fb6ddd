import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.db import utcnow
from courseware.extensions import db


class Role(StrEnum):
    MEMBER = "member"
    AUTHOR = "author"
    MODERATOR = "moderator"
    ADMIN = "admin"


class Profession(StrEnum):
    OT = "OT"
    OTA = "OTA"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    # The forum's @name: unique, lower-case letters, digits, "_", "." and "-"; made from the display
    # name at sign-up and changeable on the profile.
    handle: Mapped[str | None] = mapped_column(sa.String(30), unique=True)
    legal_name: Mapped[str | None] = mapped_column(sa.String(160))
    # The learner confirms the legal name before the first certificate; it cannot change after it.
    legal_name_confirmed_at: Mapped[datetime | None]
    legal_name_locked_at: Mapped[datetime | None]
    credential: Mapped[str | None] = mapped_column(sa.String(40))
    # IANA name; the completion date printed on a certificate is the day in this zone.
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.MEMBER)
    email_verified_at: Mapped[datetime | None]
    # Flask-Login's "alternative id": rotating it signs out every session and remember cookie.
    session_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Notifications: "each" (an email per notification), "daily" (one digest) or "never"; the bell's
    # count is kept here so every page shows it without counting.
    notification_emails: Mapped[str] = mapped_column(sa.String(10), default="each", server_default="each")
    unread_notifications: Mapped[int] = mapped_column(default=0, server_default="0")

    licences: Mapped[list["Licence"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Licence.id"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def legal_name_locked(self) -> bool:
        return self.legal_name_locked_at is not None

    @property
    def is_author(self) -> bool:
        return self.role in (Role.AUTHOR, Role.ADMIN)


class Licence(db.Model):
    """A state licence the learner renews with CE hours (the transcript groups hours by it)."""

    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(sa.String(2))
    profession: Mapped[str] = mapped_column(sa.String(3))
    number: Mapped[str] = mapped_column(sa.String(40))
    renewal_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="licences")
