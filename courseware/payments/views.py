"""Buying a course with Stripe Checkout, the webhook, and the member's purchases."""

import stripe
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from courseware.db import utcnow
from courseware.extensions import csrf, db, limiter
from courseware.learning.services import find_course_and_enrolment
from courseware.payments import services, stripe_api
from courseware.web import json_error

bp = Blueprint("payments", __name__)
bp.add_app_template_global(stripe_api.is_configured, "payments_configured")

SESSION_ID_MAX = 255


@bp.post("/courses/<slug>/buy")
@login_required
@limiter.limit("10 per minute")
def buy(slug: str):
    course, enrolment = find_course_and_enrolment(slug, current_user.id, utcnow())
    if course is None:
        abort(404)
    if not stripe_api.is_configured():
        flash("Enrolment in this course opens soon.", "info")
        return redirect(url_for("catalog.landing", slug=slug))
    try:
        enrolled = enrolment is not None
        checkout_url = services.start_checkout(current_user, course, enrolled, _urls(slug), utcnow())
    except services.PurchaseRefused as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("catalog.landing", slug=slug))
    except stripe_api.PaymentServiceError:
        current_app.logger.exception("Checkout could not start for %s", slug)
        flash("We could not reach the payment service, and nothing was charged. Please try again.", "error")
        return redirect(url_for("catalog.landing", slug=slug))
    db.session.commit()
    return redirect(checkout_url, 303)


@bp.get("/courses/<slug>/purchased")
@login_required
def purchased(slug: str):
    """Stripe's success redirect. It shows the purchase; only the webhook enrols."""
    purchase = _own_purchase(slug, request.args.get("session_id", ""))
    if purchase is None:
        abort(404)
    return render_template("payments/purchased.html", purchase=purchase)


@bp.get("/courses/<slug>/purchased/status")
@login_required
def purchase_status(slug: str):
    """What the success page's script polls while Stripe confirms the payment."""
    purchase = _own_purchase(slug, request.args.get("session_id", ""))
    if purchase is None:
        return json_error(404, "No purchase of yours matches.")
    return jsonify({"status": purchase.status})


@bp.get("/courses/<slug>/buy/cancelled")
@login_required
def cancelled(slug: str):
    flash("Checkout was cancelled: nothing was charged.", "info")
    return redirect(url_for("catalog.landing", slug=slug))


@bp.get("/me/purchases")
@login_required
def purchases():
    return render_template("payments/purchases.html", purchases=services.purchases_of(current_user.id))


@bp.get("/me/purchases/<int:purchase_id>/receipt")
@login_required
def receipt(purchase_id: int):
    purchase = services.purchase_of(purchase_id, current_user.id)
    if purchase is None or purchase.payment_intent_id is None:
        abort(404)
    if purchase.receipt_url is None:
        try:
            purchase.receipt_url = stripe_api.receipt_url(purchase.payment_intent_id)
        except stripe_api.PaymentServiceError:
            current_app.logger.exception("Receipt of purchase %s not found", purchase_id)
        if purchase.receipt_url is None:
            flash("Stripe has no receipt for this payment yet. Please try again in a few minutes.", "error")
            return redirect(url_for("payments.purchases"))
        db.session.commit()
    return redirect(purchase.receipt_url)


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe signs the raw body instead (DESIGN §8)
@limiter.exempt
def webhook():
    if not stripe_api.is_configured():
        return json_error(503, "Payments are not configured on this server.")
    try:
        event = stripe_api.verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except (ValueError, stripe.SignatureVerificationError) as error:
        return json_error(400, f"The event could not be verified: {error}")
    payload = event.data.object.to_dict()
    outcome = services.record_event(event.id, event.type, payload, utcnow())
    db.session.commit()
    return jsonify({"received": True, "outcome": outcome})


def _own_purchase(slug: str, session_id: str):
    if not session_id or len(session_id) > SESSION_ID_MAX:
        return None
    purchase = services.purchase_for_session(session_id, current_user.id)
    return purchase if purchase is not None and purchase.course.slug == slug else None


def _urls(slug: str) -> services.CheckoutUrls:
    success = url_for("payments.purchased", slug=slug, _external=True) + "?session_id={CHECKOUT_SESSION_ID}"
    return services.CheckoutUrls(success, url_for("payments.cancelled", slug=slug, _external=True))
