from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courseware.accounts.models import User
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db


class PurchaseStatus(StrEnum):
    PENDING = "pending"  # sent to Checkout; nothing paid yet (or an async payment on its way)
    PAID = "paid"
    FAILED = "failed"  # an async payment (bank debit) failed
    REFUNDED = "refunded"  # fully refunded: the enrolment is revoked
    DISPUTED = "disputed"  # a dispute was lost: the enrolment is revoked


class Purchase(db.Model):
    """One Checkout Session for one course, and what Stripe later reported about its payment."""

    __tablename__ = "purchases"
    __table_args__ = (
        sa.Index("ix_purchases_user_id_created_at", "user_id", "created_at"),
        # The studio's revenue by course and month.
        sa.Index("ix_purchases_course_id_paid_at", "course_id", "paid_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="RESTRICT"))
    checkout_session_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    payment_intent_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=PurchaseStatus.PENDING)
    # Our price when Checkout started; what was paid is Stripe's figure (promotion codes, tax,
    # a price changed in between), recorded from the webhook.
    price_cents: Mapped[int]
    amount_paid_cents: Mapped[int | None]
    amount_refunded_cents: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(sa.String(3))
    receipt_url: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]  # refunded in full or dispute lost

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()


class StripeEvent(db.Model):
    """Each webhook event id once: a redelivered event finds its id here and changes nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(100))
    # The payment the event is about, so a completion can find a refund that arrived before it.
    payment_intent_id: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What the handler made of it: "fulfilled", "ignored: unknown session", ...
    outcome: Mapped[str] = mapped_column(sa.String(200))


class SeatCode(db.Model):
    """Seats a school district (or any organisation) paid for: one code, a number of learners."""

    __tablename__ = "seat_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)  # XXXX-XXXX-XXXX
    organisation: Mapped[str] = mapped_column(sa.String(200))
    seats: Mapped[int]
    # Taken with one guarded UPDATE (seats_used < seats), so concurrent redemptions never overfill.
    seats_used: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship()

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_used)

    def is_open(self, now: datetime) -> bool:
        return self.cancelled_at is None and (self.expires_at is None or self.expires_at > now)


class SeatRedemption(db.Model):
    """Who took a seat of a code, and when."""

    __tablename__ = "seat_redemptions"
    __table_args__ = (sa.UniqueConstraint("seat_code_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_code_id: Mapped[int] = mapped_column(sa.ForeignKey("seat_codes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"))
    redeemed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
