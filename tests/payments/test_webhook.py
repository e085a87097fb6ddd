"""The webhook: verified, each event once, fulfilment idempotent and order-proof, refunds revoke."""

import hashlib
import hmac
import time

import pytest
import sqlalchemy as sa

from courseware.accounts.models import User
from courseware.certificates.models import Certificate
from courseware.content.models import Course
from courseware.db import utcnow
from courseware.extensions import db
from courseware.payments.models import StripeEvent
from tests.certificates.helpers import certificates_of, complete_lessons
from tests.payments.conftest import (
    WEBHOOK_SECRET,
    charge,
    completed_session,
    enrolments,
    event,
    post_event,
    purchases,
)


@pytest.fixture
def checkout_started(make, login, paid_course, stripe_checkout):
    """A verified member has been sent to Checkout for "Own Your Role" ($20)."""
    user = make.user()
    client = login(user)
    client.post("/courses/own-your-role/buy")
    return client, user


def test_a_paid_completion_enrols_and_records_what_stripe_reports(app, checkout_started):
    client, user = checkout_started

    # A promotion code (or a price change since checkout began): Stripe's amount is what counts.
    response = post_event(client, event("checkout.session.completed", completed_session(amount_total=1500)))

    assert response.status_code == 200 and response.get_json()["outcome"] == "fulfilled: enrolled"
    [purchase] = purchases(app)
    assert (purchase.status, purchase.price_cents, purchase.amount_paid_cents) == ("paid", 2000, 1500)
    assert purchase.payment_intent_id == "pi_test_123" and purchase.paid_at is not None
    [enrolment] = enrolments(app)
    assert (enrolment.user_id, enrolment.source, enrolment.revoked_at) == (user.id, "purchase", None)
    assert client.get("/learn/own-your-role/").status_code == 200


def test_the_same_event_ten_times_enrols_once(app, checkout_started):
    client, _user = checkout_started
    payload = event("checkout.session.completed", completed_session())

    outcomes = [post_event(client, payload).get_json()["outcome"] for _ in range(10)]

    assert outcomes[0] == "fulfilled: enrolled" and set(outcomes[1:]) == {"duplicate: already handled"}
    assert len(enrolments(app)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 1


def test_a_second_event_for_the_same_payment_changes_nothing(app, checkout_started):
    client, _user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session(), event_id="evt_1"))

    again = post_event(
        client, event("checkout.session.async_payment_succeeded", completed_session(), "evt_2")
    )

    assert again.get_json()["outcome"] == "already fulfilled" and len(enrolments(app)) == 1


@pytest.mark.parametrize(
    "signing, reason",
    [
        ({"secret": "whsec_someone_else"}, "No signatures found matching the expected signature"),
        ({"timestamp": int(time.time()) - 3600}, "Timestamp outside the tolerance zone"),
    ],
)
def test_a_bad_or_stale_signature_is_refused(app, checkout_started, signing, reason):
    client, _user = checkout_started

    response = post_event(client, event("checkout.session.completed", completed_session()), **signing)

    assert response.status_code == 400 and reason in response.get_json()["message"]
    assert enrolments(app) == [] and purchases(app)[0].status == "pending"


def test_a_missing_signature_or_a_body_that_is_not_json_is_refused(app, client):
    missing = client.post(
        "/stripe/webhook", data="{}", headers={"Content-Type": "application/json"}, csrf=False
    )
    body = "not json"
    stamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    garbled = client.post(
        "/stripe/webhook", data=body, headers={"Stripe-Signature": f"t={stamp},v1={signature}"}, csrf=False
    )

    assert missing.status_code == 400 and garbled.status_code == 400
    assert "could not be verified" in garbled.get_json()["message"]


def test_an_event_for_an_unknown_session_is_acknowledged_and_enrols_nobody(app, checkout_started):
    client, _user = checkout_started

    response = post_event(
        client, event("checkout.session.completed", completed_session(session_id="cs_other"))
    )

    assert (
        response.status_code == 200 and response.get_json()["outcome"] == "ignored: unknown checkout session"
    )
    assert enrolments(app) == []


def test_an_unknown_event_type_is_acknowledged_and_ignored(app, client):
    response = post_event(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.get_json()["outcome"] == "ignored: not an event we act on"


def test_an_asynchronous_payment_enrols_only_when_it_succeeds(app, checkout_started):
    client, _user = checkout_started

    waiting = post_event(
        client, event("checkout.session.completed", completed_session(payment_status="unpaid"))
    )
    assert waiting.get_json()["outcome"] == "awaiting an asynchronous payment" and enrolments(app) == []

    post_event(client, event("checkout.session.async_payment_succeeded", completed_session()))
    assert len(enrolments(app)) == 1 and purchases(app)[0].status == "paid"


def test_a_failed_asynchronous_payment_enrols_nobody(app, checkout_started):
    client, _user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session(payment_status="unpaid")))

    post_event(
        client, event("checkout.session.async_payment_failed", completed_session(payment_status="unpaid"))
    )

    assert enrolments(app) == [] and purchases(app)[0].status == "failed"


def test_a_partial_refund_keeps_the_enrolment(app, checkout_started):
    client, _user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session()))

    response = post_event(client, event("charge.refunded", charge(amount_refunded=500)))

    assert response.get_json()["outcome"] == "partial refund: access kept"
    assert enrolments(app)[0].revoked_at is None
    assert (purchases(app)[0].status, purchases(app)[0].amount_refunded_cents) == ("paid", 500)


def test_a_full_refund_revokes_the_enrolment_and_the_certificate(app, make, checkout_started):
    client, user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session()))
    [enrolment] = enrolments(app)
    _earn_certificate(app, make, client, user, enrolment)

    response = post_event(client, event("charge.refunded", charge()))

    assert response.get_json()["outcome"] == "refunded: enrolment and certificate revoked"
    [enrolment] = enrolments(app)
    assert enrolment.revoked_at is not None and enrolment.revoked_reason == "refunded"
    with app.app_context():
        certificate = db.session.scalar(sa.select(Certificate))
        assert certificate.revoked_at is not None and certificate.revoked_reason == "refunded"
    home = client.get("/learn/own-your-role/")
    assert home.status_code == 302 and home.location.endswith("/courses/own-your-role")
    assert "Own Your Role" not in client.get("/me/").get_data(as_text=True)


def test_a_refund_that_arrives_before_the_completion_means_no_enrolment(app, checkout_started):
    client, _user = checkout_started

    early = post_event(client, event("charge.refunded", charge()))
    late = post_event(client, event("checkout.session.completed", completed_session()))

    assert early.get_json()["outcome"] == "full refund before its payment was matched"
    assert late.get_json()["outcome"] == "paid, but already reversed: not enrolled"
    assert enrolments(app) == [] and purchases(app)[0].status == "refunded"


def test_a_lost_dispute_revokes_and_a_won_one_does_not(app, checkout_started):
    client, _user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session()))
    dispute = {"id": "dp_1", "object": "dispute", "payment_intent": "pi_test_123", "charge": "ch_test_1"}

    won = post_event(client, event("charge.dispute.closed", {**dispute, "status": "won"}, "evt_won"))
    assert won.get_json()["outcome"] == "dispute closed (won): access kept"
    assert enrolments(app)[0].revoked_at is None

    lost = post_event(client, event("charge.dispute.closed", {**dispute, "status": "lost"}, "evt_lost"))
    assert lost.get_json()["outcome"] == "dispute lost: enrolment and certificate revoked"
    assert enrolments(app)[0].revoked_reason == "payment disputed"


def test_buying_again_after_a_refund_reinstates_the_enrolment_with_its_progress(
    app, checkout_started, httpserver
):
    client, _user = checkout_started
    post_event(client, event("checkout.session.completed", completed_session()))
    post_event(client, event("charge.refunded", charge()))
    httpserver.clear()
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {
            "id": "cs_second",
            "object": "checkout.session",
            "url": "https://checkout.stripe.com/c/pay/cs_second",
        }
    )

    client.post("/courses/own-your-role/buy")
    second = {**completed_session(session_id="cs_second"), "payment_intent": "pi_second"}
    post_event(client, event("checkout.session.completed", second))

    [enrolment] = enrolments(app)
    assert enrolment.revoked_at is None and enrolment.source == "purchase"
    assert [p.status for p in purchases(app)] == ["refunded", "paid"]


def _earn_certificate(app, make, client, user, enrolment) -> None:
    """Every lesson done and the legal name confirmed: the certificate page issues it."""
    with app.app_context():
        db.session.execute(
            sa.update(User)
            .where(User.id == user.id)
            .values(legal_name="Maya Learner", legal_name_confirmed_at=utcnow())
        )
        db.session.commit()
    complete_lessons(app, enrolment, make.lessons(make.get(Course, enrolment.course_id)))
    client.get("/learn/own-your-role/certificate")
    assert len(certificates_of(app, enrolment)) == 1


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b"[]",
        b'{"id": "evt_1", "type": "charge.refunded"}',
        b'{"id": "evt_1", "type": "x", "data": {"object": 1}}',
        b"\xff\xfe not utf-8",
    ],
)
def test_a_signed_body_that_is_not_an_event_gets_a_400(app, client, body):
    stamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()

    response = client.post(
        "/stripe/webhook", data=body, headers={"Stripe-Signature": f"t={stamp},v1={signature}"}, csrf=False
    )

    assert response.status_code == 400 and "could not be verified" in response.get_json()["message"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 0
