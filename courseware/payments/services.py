"""Buying a course: the Checkout Session, the webhook events that fulfil or reverse a purchase.

Enrolment after payment happens only here, from a verified webhook event, never from the success
redirect. Each event id is stored once (a redelivery changes nothing), and every handler is
idempotent and safe in any order: a refund or a lost dispute that arrives before the payment's own
completion is remembered, so the late completion never enrols.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.certificates import services as certificates
from courseware.certificates.models import Certificate
from courseware.content.models import Course
from courseware.db import insert_ignoring_duplicates
from courseware.extensions import db
from courseware.learning import services as learning
from courseware.learning.models import Enrolment, EnrolmentSource
from courseware.payments import stripe_api
from courseware.payments.models import Purchase, PurchaseStatus, StripeEvent

REFUNDED_REASON = "refunded"
DISPUTED_REASON = "payment disputed"
# Outcomes of a reversal whose payment we have not matched yet; a later completion looks for them.
UNMATCHED_REFUND = "full refund before its payment was matched"
UNMATCHED_DISPUTE = "lost dispute before its payment was matched"


class PurchaseRefused(Exception):
    """This member cannot buy this course now; the message says why."""


@dataclass(frozen=True)
class CheckoutUrls:
    success: str  # with Stripe's {CHECKOUT_SESSION_ID} placeholder
    cancel: str


def start_checkout(user: User, course: Course, enrolled: bool, urls: CheckoutUrls, now: datetime) -> str:
    """A Checkout Session at our price for this course, recorded as a pending purchase; its URL.

    Raises PurchaseRefused, or stripe_api.PaymentServiceError when Stripe cannot be reached (then
    nothing is recorded and nothing was charged).
    """
    _check_may_buy(user, course, enrolled)
    session = stripe_api.create_checkout_session(
        course_title=course.title,
        price_cents=course.price_cents,
        currency=course.currency,
        customer_email=user.email,
        metadata={"user_id": str(user.id), "course_id": str(course.id)},
        success_url=urls.success,
        cancel_url=urls.cancel,
    )
    db.session.add(
        Purchase(
            user_id=user.id,
            course_id=course.id,
            checkout_session_id=session.id,
            price_cents=course.price_cents,
            currency=course.currency,
            created_at=now,
        )
    )
    return session.url


def _check_may_buy(user: User, course: Course, enrolled: bool) -> None:
    if course.is_free:
        raise PurchaseRefused("This course is free: enrol with one click.")
    if enrolled:
        raise PurchaseRefused("You are already enrolled in this course.")
    if not user.is_verified:
        raise PurchaseRefused(
            "Please verify your email address before you buy: open the link we emailed you."
        )


def record_event(event_id: str, event_type: str, payload: dict, now: datetime) -> str:
    """Handle one verified webhook event once; returns what was done (stored with the event id)."""
    payment_intent = payload.get("payment_intent")
    if not insert_ignoring_duplicates(
        db.session,
        StripeEvent,
        {
            "id": event_id,
            "type": event_type,
            "received_at": now,
            "outcome": "received",
            "payment_intent_id": payment_intent if isinstance(payment_intent, str) else None,
        },
    ):
        return "duplicate: already handled"
    handler = _HANDLERS.get(event_type)
    outcome = handler(payload, now) if handler else "ignored: not an event we act on"
    db.session.execute(sa.update(StripeEvent).where(StripeEvent.id == event_id).values(outcome=outcome))
    return outcome


def purchase_for_session(session_id: str, user_id: int) -> Purchase | None:
    return db.session.scalar(
        sa.select(Purchase).where(Purchase.checkout_session_id == session_id, Purchase.user_id == user_id)
    )


def purchase_of(purchase_id: int, user_id: int) -> Purchase | None:
    """One of the member's own purchases; None for anyone else's."""
    mine = sa.and_(Purchase.id == purchase_id, Purchase.user_id == user_id)
    return db.session.scalar(sa.select(Purchase).where(mine))


def purchases_of(user_id: int) -> list[Purchase]:
    """What the member bought (and payments on their way), newest first, with the courses.

    Checkouts that were left without paying are not purchases and are not listed.
    """
    return list(
        db.session.scalars(
            sa.select(Purchase)
            .options(sa.orm.joinedload(Purchase.course).load_only(Course.slug, Course.title))
            .where(Purchase.user_id == user_id)
            .where(sa.or_(Purchase.status != PurchaseStatus.PENDING, Purchase.payment_intent_id.is_not(None)))
            .order_by(Purchase.created_at.desc(), Purchase.id.desc())
        )
    )


def _session_completed(session: dict, now: datetime) -> str:
    purchase = _purchase(Purchase.checkout_session_id == session.get("id"))
    if purchase is None:
        return "ignored: unknown checkout session"
    purchase.payment_intent_id = session.get("payment_intent") or purchase.payment_intent_id
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return "awaiting an asynchronous payment"
    return _fulfil(purchase, session, now)


def _async_payment_succeeded(session: dict, now: datetime) -> str:
    purchase = _purchase(Purchase.checkout_session_id == session.get("id"))
    if purchase is None:
        return "ignored: unknown checkout session"
    purchase.payment_intent_id = session.get("payment_intent") or purchase.payment_intent_id
    return _fulfil(purchase, session, now)


def _async_payment_failed(session: dict, now: datetime) -> str:
    purchase = _purchase(Purchase.checkout_session_id == session.get("id"))
    if purchase is None:
        return "ignored: unknown checkout session"
    if purchase.status == PurchaseStatus.PENDING:
        purchase.status = PurchaseStatus.FAILED
    return "payment failed: not enrolled"


def _fulfil(purchase: Purchase, session: dict, now: datetime) -> str:
    if purchase.status == PurchaseStatus.PAID:
        return "already fulfilled"
    if purchase.status in (PurchaseStatus.REFUNDED, PurchaseStatus.DISPUTED):
        return "ignored: the payment was already reversed"
    purchase.status = PurchaseStatus.PAID
    purchase.paid_at = now
    purchase.amount_paid_cents = session.get("amount_total")
    purchase.currency = (session.get("currency") or purchase.currency).upper()
    reversal = _earlier_reversal(purchase.payment_intent_id)
    if reversal is not None:
        _end(purchase, *reversal, now)
        return "paid, but already reversed: not enrolled"
    course = db.session.get(Course, purchase.course_id)
    learning.enrol(purchase.user_id, course, EnrolmentSource.PURCHASE, now)
    return "fulfilled: enrolled"


def _charge_refunded(charge: dict, now: datetime) -> str:
    purchase = _purchase(Purchase.payment_intent_id == charge.get("payment_intent"))
    full = bool(charge.get("refunded"))
    if purchase is None:
        return UNMATCHED_REFUND if full else "ignored: unknown payment"
    purchase.amount_refunded_cents = int(charge.get("amount_refunded") or 0)
    if not full:
        return "partial refund: access kept"
    _end(purchase, PurchaseStatus.REFUNDED, REFUNDED_REASON, now)
    return "refunded: enrolment and certificate revoked"


def _dispute_closed(dispute: dict, now: datetime) -> str:
    if dispute.get("status") != "lost":
        return f"dispute closed ({dispute.get('status')}): access kept"
    purchase = _purchase(Purchase.payment_intent_id == dispute.get("payment_intent"))
    if purchase is None:
        return UNMATCHED_DISPUTE
    _end(purchase, PurchaseStatus.DISPUTED, DISPUTED_REASON, now)
    return "dispute lost: enrolment and certificate revoked"


def _end(purchase: Purchase, status: str, reason: str, now: datetime) -> None:
    """The money went back: the enrolment ends, and a certificate already issued is revoked."""
    purchase.status = status
    purchase.ended_at = now
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.user_id == purchase.user_id, Enrolment.course_id == purchase.course_id
        )
    )
    if enrolment is None or enrolment.source != EnrolmentSource.PURCHASE:
        return  # a seat or a grant opened the course too: the refund does not take it away
    learning.revoke_enrolment(enrolment, reason, now)
    certificate = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.enrolment_id == enrolment.id, Certificate.revoked_at.is_(None)
        )
    )
    if certificate is not None:
        certificates.revoke(certificate, reason, None, now)


def _earlier_reversal(payment_intent_id: str | None) -> tuple[str, str] | None:
    if payment_intent_id is None:
        return None
    outcome = db.session.scalar(
        sa.select(StripeEvent.outcome)
        .where(StripeEvent.payment_intent_id == payment_intent_id)
        .where(StripeEvent.outcome.in_((UNMATCHED_REFUND, UNMATCHED_DISPUTE)))
        .limit(1)
    )
    if outcome is None:
        return None
    return (
        (PurchaseStatus.REFUNDED, REFUNDED_REASON)
        if outcome == UNMATCHED_REFUND
        else (PurchaseStatus.DISPUTED, DISPUTED_REASON)
    )


def _purchase(condition) -> Purchase | None:
    return db.session.scalar(sa.select(Purchase).where(condition).with_for_update())


_HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _async_payment_succeeded,
    "checkout.session.async_payment_failed": _async_payment_failed,
    "charge.refunded": _charge_refunded,
    "charge.dispute.closed": _dispute_closed,
}
