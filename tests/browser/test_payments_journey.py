"""Buying a course in a real browser: Buy, Stripe's page (stubbed at its HTTP boundary; it sends the
learner back as Stripe does), "Confirming your payment…" until the signed webhook arrives, then
"You're enrolled" without a click, the course, and the purchase with its receipt link."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking
from tests.payments.conftest import WEBHOOK_SECRET, completed_session, event, post_event

COURSE = "own-your-role"
SESSION_ID = "cs_test_browser_journey"

pytestmark = pytest.mark.usefixtures("demo_courses")


@pytest.fixture
def app_config(app_config, httpserver) -> dict:
    return {
        **app_config,
        "STRIPE_SECRET_KEY": "sk_test_123",
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": httpserver.url_for("").rstrip("/"),
    }


@pytest.fixture
def stripe_sends_the_learner_back(httpserver, live_server):
    """Checkout "succeeds" at once: Stripe's URL is our success page, as Stripe redirects to it."""
    back = f"{live_server.url}/courses/{COURSE}/purchased?session_id={SESSION_ID}"
    httpserver.expect_request("/v1/checkout/sessions", method="POST").respond_with_json(
        {"id": SESSION_ID, "object": "checkout.session", "url": back}
    )


def test_a_learner_buys_a_course_and_is_enrolled_when_stripe_confirms(
    app, learner, new_context, sign_in, stripe_sends_the_learner_back
):
    page = axe_page(new_context, sign_in, learner)
    page.goto(f"/courses/{COURSE}")
    found = {"landing-buy": blocking(page)}
    page.get_by_role("button", name="Buy for $20").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirming your payment…")
    found["confirming"] = blocking(page)
    webhook = post_event(
        app.test_client(), event("checkout.session.completed", completed_session(session_id=SESSION_ID))
    )
    assert webhook.get_json()["outcome"] == "fulfilled: enrolled"

    # The page refreshes by itself; nobody clicks.
    expect(page.get_by_role("heading", level=1)).to_have_text("You're enrolled", timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("$20")
    found["enrolled"] = blocking(page)
    page.get_by_role("link", name="Start the course").click()
    expect(page).to_have_url(re.compile(rf"/learn/{COURSE}/$"))

    page.goto("/me/purchases")
    row = page.get_by_role("row").filter(has_text="Own Your Role")
    expect(row).to_contain_text("Paid")
    expect(row.get_by_role("link", name=re.compile("^Receipt"))).to_be_visible()
    found["purchases"] = blocking(page)
    assert_no_violations(found)


def test_cancelling_on_stripes_page_returns_to_the_course(app, learner, new_context, sign_in):
    page = sign_in(new_context(), learner).new_page()
    page.goto(f"/courses/{COURSE}/buy/cancelled")

    expect(page).to_have_url(re.compile(rf"/courses/{COURSE}$"))
    expect(page.get_by_role("status").filter(has_text="nothing was charged")).to_be_visible()
    expect(page.get_by_role("button", name="Buy for $20")).to_be_visible()
