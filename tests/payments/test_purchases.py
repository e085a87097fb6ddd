"""/me/purchases: what the learner bought, when, for how much, with Stripe's receipt."""

from tests.payments.conftest import PAYMENT_INTENT, charge, completed_session, event, post_event, purchases

RECEIPT = "https://pay.stripe.com/receipts/payment/abc123"


def _bought(make, login, stripe_checkout, amount_total=2000):
    client = login(make.user())
    client.post("/courses/own-your-role/buy")
    post_event(client, event("checkout.session.completed", completed_session(amount_total=amount_total)))
    return client


def test_purchases_list_the_course_the_amount_paid_and_a_receipt_link(
    app, make, login, paid_course, stripe_checkout
):
    client = _bought(make, login, stripe_checkout, amount_total=1500)

    page = client.get("/me/purchases").get_data(as_text=True)

    assert "Own Your Role" in page and "$15" in page and "Paid" in page
    assert f"/me/purchases/{purchases(app)[0].id}/receipt" in page


def test_a_refund_shows_on_the_purchase(make, login, paid_course, stripe_checkout):
    client = _bought(make, login, stripe_checkout)
    post_event(client, event("charge.refunded", charge()))

    page = client.get("/me/purchases").get_data(as_text=True)

    assert "Refunded" in page and "($20 refunded)" in page


def test_the_receipt_link_opens_stripes_receipt(app, make, login, paid_course, stripe_checkout):
    client = _bought(make, login, stripe_checkout)
    stripe_checkout.expect_request(f"/v1/payment_intents/{PAYMENT_INTENT}", method="GET").respond_with_json(
        {
            "id": PAYMENT_INTENT,
            "object": "payment_intent",
            "latest_charge": {"id": "ch_1", "object": "charge", "receipt_url": RECEIPT},
        }
    )

    receipt = f"/me/purchases/{purchases(app)[0].id}/receipt"
    first = client.get(receipt)
    again = client.get(receipt)  # kept on the row: Stripe is asked once

    assert first.status_code == 302 and first.location == RECEIPT and again.location == RECEIPT
    receipt_requests = [r for r, _ in stripe_checkout.log if r.path.startswith("/v1/payment_intents/")]
    assert len(receipt_requests) == 1 and receipt_requests[0].args.get("expand[0]") == "latest_charge"


def test_another_members_receipt_is_404(app, make, login, paid_course, stripe_checkout):
    _bought(make, login, stripe_checkout)
    other = login(make.user())

    assert other.get(f"/me/purchases/{purchases(app)[0].id}/receipt").status_code == 404
    assert "Own Your Role" not in other.get("/me/purchases").get_data(as_text=True)


def test_no_purchases_says_so_and_an_abandoned_checkout_is_not_a_purchase(
    app, make, login, paid_course, stripe_checkout
):
    client = login(make.user())
    client.post("/courses/own-your-role/buy")  # sent to Stripe, never paid

    page = client.get("/me/purchases").get_data(as_text=True)

    assert "No purchases yet" in page and "Browse courses" in page
    assert client.get(f"/me/purchases/{purchases(app)[0].id}/receipt").status_code == 404
