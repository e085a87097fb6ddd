"""Buying a course with Stripe Checkout, the webhook, and the member's purchases."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import stripe
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from courseware.accounts.permissions import author_required
from courseware.db import utcnow
from courseware.extensions import csrf, db, limiter
from courseware.learning.services import find_course_and_enrolment
from courseware.payments import grants, seats, services, stripe_api
from courseware.payments.forms import CompGrantForm, RedeemForm, SeatCodeForm
from courseware.web import json_error, page_number

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
    outcome = services.record_event(event.id, event.type, event.object, utcnow())
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


# District seats and comp grants


@bp.route("/redeem", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], key_func=lambda: f"redeem:{current_user.id}")
def redeem():
    form = RedeemForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            course = seats.redeem(form.code.data, current_user, utcnow())
        except seats.AlreadyEnrolled as enrolled:
            flash(str(enrolled), "info")
            return redirect(url_for("learning.course_home", slug=enrolled.course.slug))
        except seats.SeatRefused as refusal:
            form.code.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(f"Your seat is confirmed: you are enrolled in {course.title}.", "success")
            return redirect(url_for("learning.course_home", slug=course.slug))
    return render_template("payments/redeem.html", form=form)


@bp.route("/studio/seats", methods=["GET", "POST"])
@author_required
def studio_seats():
    seat_form, grant_form = _seat_forms()
    if seat_form.validate_on_submit():
        course = _course_by_slug(seat_form.course.data)
        expires_at = _end_of_day(seat_form.expires_on.data)
        code = seats.create_code(
            course, seat_form.organisation.data, seat_form.seats.data, expires_at, current_user.id, utcnow()
        )
        db.session.commit()
        flash(f"Seat code {code.code} made: {code.seats} seats in {course.title}.", "success")
        return redirect(url_for("payments.studio_seat", code_id=code.id))
    return _render_seats(seat_form, grant_form)


@bp.post("/studio/grants")
@author_required
def studio_grant():
    seat_form, grant_form = _seat_forms()
    if not grant_form.validate_on_submit():
        return _render_seats(seat_form, grant_form, status=400)
    try:
        course, created = grants.comp(
            grant_form.email.data, _course_by_slug(grant_form.course.data), utcnow()
        )
    except grants.NoSuchLearner as missing:
        grant_form.email.errors.append(str(missing))
        return _render_seats(seat_form, grant_form, status=400)
    db.session.commit()
    verb = "is now enrolled" if created else "was already enrolled"
    flash(f"{grant_form.email.data} {verb} in {course.title}.", "success")
    return redirect(url_for("payments.studio_seats"))


@bp.get("/studio/seats/<int:code_id>")
@author_required
def studio_seat(code_id: int):
    found = seats.code_with_redemptions(code_id) or abort(404)
    code, redemptions = found
    return render_template("payments/studio_seat.html", code=code, redemptions=redemptions, now=utcnow())


@bp.post("/studio/seats/<int:code_id>/withdraw")
@author_required
def withdraw_seat(code_id: int):
    code, _redemptions = seats.code_with_redemptions(code_id) or abort(404)
    if seats.withdraw_unused_seat(code):
        db.session.commit()
        flash("One unused seat withdrawn.", "success")
    else:
        flash("Every seat on this code is taken: there is no unused seat to withdraw.", "error")
    return redirect(url_for("payments.studio_seat", code_id=code_id))


@bp.post("/studio/seats/<int:code_id>/cancel")
@author_required
def cancel_seat_code(code_id: int):
    code, _redemptions = seats.code_with_redemptions(code_id) or abort(404)
    seats.cancel(code, utcnow())
    db.session.commit()
    flash("The code takes no more redemptions. Learners who took a seat keep it.", "success")
    return redirect(url_for("payments.studio_seat", code_id=code_id))


def _seat_forms() -> tuple[SeatCodeForm, CompGrantForm]:
    choices = grants.course_choices()
    seat_form, grant_form = SeatCodeForm(prefix="seats"), CompGrantForm(prefix="grant")
    seat_form.course.choices = grant_form.course.choices = choices
    return seat_form, grant_form


def _render_seats(seat_form: SeatCodeForm, grant_form: CompGrantForm, status: int = 200):
    page = seats.codes(page_number())
    return render_template(
        "payments/studio_seats.html", codes=page, seat_form=seat_form, grant_form=grant_form, now=utcnow()
    ), status


def _course_by_slug(slug: str):
    return grants.course_by_slug(slug) or abort(400)


def _end_of_day(day: date | None) -> datetime | None:
    """A code "expires on" a date: it works until that day ends where the author is."""
    if day is None:
        return None
    zone = ZoneInfo(current_app.config["DEFAULT_TIME_ZONE"])
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
