"""Paid enrolment through Stripe Checkout: the purchase, the webhook that fulfils it, refunds."""
