"""Every call to Stripe's API goes through here, and nothing here touches the database.

Tests point `STRIPE_API_BASE` at a local stub server, so the real SDK (request building, retries,
error classes) runs against it; webhook payloads are verified with the SDK's own `construct_event`.
"""

import json
from dataclasses import dataclass

import stripe
from flask import current_app


class PaymentServiceError(RuntimeError):
    """Stripe could not be reached or refused the request; nothing was charged."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


def is_configured() -> bool:
    config = current_app.config
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def create_checkout_session(
    *,
    course_title: str,
    price_cents: int,
    currency: str,
    customer_email: str,
    metadata: dict[str, str],
    success_url: str,
    cancel_url: str,
) -> CheckoutSession:
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency.lower(),
                    "unit_amount": price_cents,
                    "product_data": {"name": course_title},
                },
            }
        ],
        "customer_email": customer_email,
        "client_reference_id": metadata["user_id"],
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata},
        "allow_promotion_codes": True,
        "automatic_tax": {"enabled": bool(current_app.config["STRIPE_AUTOMATIC_TAX"])},
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    try:
        session = _client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        raise PaymentServiceError(str(error)) from error
    return CheckoutSession(session.id, session.url)


def receipt_url(payment_intent_id: str) -> str | None:
    """The receipt of the payment's charge (Stripe hosts it)."""
    try:
        intent = _client().v1.payment_intents.retrieve(
            payment_intent_id, params={"expand": ["latest_charge"]}
        )
    except stripe.StripeError as error:
        raise PaymentServiceError(str(error)) from error
    charge = intent.latest_charge
    return getattr(charge, "receipt_url", None) if charge and not isinstance(charge, str) else None


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    object: dict  # data.object: the session, charge or dispute the event is about


def verify_event(payload: bytes, signature: str | None) -> WebhookEvent:
    """The event, if Stripe signed this exact body recently and it has an event's shape.

    Raises ValueError (not JSON, not an event) or stripe.SignatureVerificationError (a missing,
    wrong or stale signature). The SDK's construct_event checks the signature.
    """
    body = json.loads(payload)
    if not isinstance(body, dict):
        raise ValueError("the body is not a Stripe event (a JSON object)")
    data = body.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    if not (isinstance(body.get("id"), str) and isinstance(body.get("type"), str) and isinstance(obj, dict)):
        raise ValueError("the body is not a Stripe event (id, type and data.object)")
    config = current_app.config
    stripe.Webhook.construct_event(
        payload,
        signature,
        config["STRIPE_WEBHOOK_SECRET"],
        tolerance=config["STRIPE_WEBHOOK_TOLERANCE_SECONDS"],
    )
    return WebhookEvent(body["id"], body["type"], obj)


def _client() -> stripe.StripeClient:
    config = current_app.config
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"],
        base_addresses={"api": base} if base else {},
        max_network_retries=2,
    )
