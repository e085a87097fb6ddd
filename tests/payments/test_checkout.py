"""Buying a course: Checkout at our price, the success and cancel pages, and no keys at all."""

from urllib.parse import parse_qs

from courseware.accounts.models import Role
from tests.payments.conftest import (
    CHECKOUT_URL,
    SESSION_ID,
    completed_session,
    enrolments,
    event,
    post_event,
    purchases,
)


def _form_sent(httpserver) -> dict[str, list[str]]:
    [(request, _response)] = httpserver.log
    return parse_qs(request.get_data(as_text=True))


def test_buy_starts_checkout_at_our_price_and_records_a_pending_purchase(
    app, make, login, paid_course, stripe_checkout
):
    user = make.user(email="maya@example.com")
    client = login(user)

    response = client.post("/courses/own-your-role/buy")

    assert response.status_code == 303 and response.location == CHECKOUT_URL
    sent = _form_sent(stripe_checkout)
    assert sent["line_items[0][price_data][unit_amount]"] == ["2000"]
    assert sent["line_items[0][price_data][currency]"] == ["usd"]
    assert sent["line_items[0][price_data][product_data][name]"] == ["Own Your Role"]
    assert sent["customer_email"] == ["maya@example.com"]
    assert sent["metadata[user_id]"] == [str(user.id)] and sent["metadata[course_id]"] == [
        str(paid_course.id)
    ]
    assert sent["allow_promotion_codes"] == ["true"] and sent["automatic_tax[enabled]"] == ["false"]
    assert sent["success_url"] == [
        "http://localhost/courses/own-your-role/purchased?session_id={CHECKOUT_SESSION_ID}"
    ]
    [purchase] = purchases(app)
    assert (purchase.checkout_session_id, purchase.status, purchase.price_cents) == (
        SESSION_ID,
        "pending",
        2000,
    )
    assert enrolments(app) == []  # only the webhook enrols


def test_the_landing_page_offers_the_purchase(make, login, paid_course):
    page = login(make.user()).get("/courses/own-your-role").get_data(as_text=True)
    assert "Buy for $20" in page and "/courses/own-your-role/buy" in page


def test_an_unverified_member_is_asked_to_verify_before_buying(app, make, login, paid_course, httpserver):
    client = login(make.user(verified=False))

    page = client.get("/courses/own-your-role").get_data(as_text=True)
    response = client.post("/courses/own-your-role/buy", follow_redirects=True)

    assert "Please verify your email address to buy this course" in page
    assert "Please verify your email address before you buy" in response.get_data(as_text=True)
    assert httpserver.log == [] and purchases(app) == []


def test_an_enrolled_learner_or_a_free_course_is_not_sent_to_checkout(
    app, make, login, paid_course, httpserver
):
    user = make.user()
    make.enrolment(user, paid_course, source="grant")
    make.course(slug="tips")
    client = login(user)

    enrolled = client.post("/courses/own-your-role/buy", follow_redirects=True).get_data(as_text=True)
    free = client.post("/courses/tips/buy", follow_redirects=True).get_data(as_text=True)

    assert "You are already enrolled in this course." in enrolled
    assert "This course is free: enrol with one click." in free
    assert httpserver.log == [] and purchases(app) == []


def test_stripe_unreachable_charges_nothing_and_says_so(app, make, login, paid_course, httpserver):
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"error": {"type": "api_error", "message": "Something went wrong"}}, status=500
    )
    response = login(make.user()).post("/courses/own-your-role/buy", follow_redirects=True)

    assert response.request.path == "/courses/own-your-role"
    assert "We could not reach the payment service, and nothing was charged." in response.get_data(
        as_text=True
    )
    assert purchases(app) == []


def test_the_success_page_confirms_only_after_the_webhook(app, make, login, paid_course, stripe_checkout):
    client = login(make.user())
    client.post("/courses/own-your-role/buy")
    success = f"/courses/own-your-role/purchased?session_id={SESSION_ID}"

    status = f"/courses/own-your-role/purchased/status?session_id={SESSION_ID}"
    waiting = client.get(success).get_data(as_text=True)
    polled_before = client.get(status).get_json()
    post_event(client, event("checkout.session.completed", completed_session()))
    done = client.get(success).get_data(as_text=True)
    polled_after = client.get(status).get_json()

    assert "Confirming your payment…" in waiting and "js/purchase.js" in waiting
    assert "You're enrolled" in done and "/learn/own-your-role/" in done
    assert (polled_before, polled_after) == ({"status": "pending"}, {"status": "paid"})
    assert len(enrolments(app)) == 1


def test_the_success_page_is_404_for_anyone_else_or_a_made_up_session(
    make, login, paid_course, stripe_checkout
):
    login(make.user()).post("/courses/own-your-role/buy")
    other = login(make.user())

    assert other.get(f"/courses/own-your-role/purchased?session_id={SESSION_ID}").status_code == 404
    assert other.get("/courses/own-your-role/purchased?session_id=cs_made_up").status_code == 404
    assert other.get("/courses/own-your-role/purchased").status_code == 404
    assert other.get(f"/courses/own-your-role/purchased/status?session_id={SESSION_ID}").status_code == 404


def test_cancelling_returns_to_the_course_with_nothing_charged(make, login, paid_course):
    response = login(make.user()).get("/courses/own-your-role/buy/cancelled", follow_redirects=True)
    assert response.request.path == "/courses/own-your-role"
    assert "Checkout was cancelled: nothing was charged." in response.get_data(as_text=True)


def test_without_stripe_keys_the_app_runs_and_says_enrolment_opens_soon(
    app, make, login, client, paid_course
):
    app.config.update(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None)
    learner_page = login(make.user()).get("/courses/own-your-role").get_data(as_text=True)
    bought = client.post("/courses/own-your-role/buy", follow_redirects=True).get_data(as_text=True)
    author_page = login(make.user(role=Role.AUTHOR)).get("/courses/own-your-role").get_data(as_text=True)
    webhook = post_event(client, event("checkout.session.completed", completed_session()))

    assert "Enrolment opens soon" in learner_page and "Buy for" not in learner_page
    assert "Enrolment in this course opens soon." in bought
    assert "Payments are not configured" in author_page
    assert webhook.status_code == 503 and "not configured" in webhook.get_json()["message"]
    assert purchases(app) == []
