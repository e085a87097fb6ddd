"""Stripe at its HTTP boundary: the SDK talks to a local stub server (pytest-httpserver), and
webhook bodies are signed with a test secret exactly as Stripe signs them, so the SDK's own
`construct_event` verifies every event the tests send."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
import sqlalchemy as sa

from courseware.extensions import db
from courseware.learning.models import Enrolment
from courseware.payments.models import Purchase

WEBHOOK_SECRET = "whsec_test_secret"
SESSION_ID = "cs_test_a1b2c3"
PAYMENT_INTENT = "pi_test_123"
CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_a1b2c3"


@pytest.fixture
def app_config(app_config, httpserver):
    return {
        **app_config,
        "STRIPE_SECRET_KEY": "sk_test_123",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": httpserver.url_for("").rstrip("/"),
    }


@pytest.fixture
def paid_course(make):
    return make.course(
        slug="own-your-role", title="Own Your Role", price_cents=2000, contact_hours=Decimal("1")
    )


@pytest.fixture
def stripe_checkout(httpserver):
    """Stripe answers the Checkout Session request; the test reads what we sent from the log."""
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"id": SESSION_ID, "object": "checkout.session", "url": CHECKOUT_URL}
    )
    return httpserver


def signed(payload: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[str, str]:
    """(body, Stripe-Signature header) as Stripe makes them: HMAC-SHA256 of "t.body"."""
    body = json.dumps(payload)
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return body, f"t={timestamp},v1={signature}"


def event(event_type: str, obj: dict, event_id: str | None = None) -> dict:
    return {
        "id": event_id or f"evt_{event_type.replace('.', '_')}_{obj.get('id', 'x')}",
        "object": "event",
        "type": event_type,
        "api_version": "2025-01-01",
        "created": int(time.time()),
        "data": {"object": obj},
    }


def completed_session(amount_total: int = 2000, payment_status: str = "paid", session_id: str = SESSION_ID):
    return {
        "id": session_id,
        "object": "checkout.session",
        "payment_status": payment_status,
        "payment_intent": PAYMENT_INTENT,
        "amount_total": amount_total,
        "currency": "usd",
    }


def charge(amount: int = 2000, amount_refunded: int = 2000):
    return {
        "id": "ch_test_1",
        "object": "charge",
        "payment_intent": PAYMENT_INTENT,
        "amount": amount,
        "amount_refunded": amount_refunded,
        "refunded": amount_refunded >= amount,
    }


def post_event(client, payload: dict, **signing):
    body, header = signed(payload, **signing)
    return client.post(
        "/stripe/webhook",
        data=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        csrf=False,
    )


def purchases(app) -> list[Purchase]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Purchase).order_by(Purchase.id)).all()
        db.session.expunge_all()
        return list(rows)


def enrolments(app) -> list[Enrolment]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Enrolment).order_by(Enrolment.id)).all()
        db.session.expunge_all()
        return list(rows)
