"""Jinja filters and globals shared by every page."""

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from courseware.content import ce
from courseware.formatting import clock
from courseware.notifications import inbox


def init_app(app: Flask) -> None:
    app.add_template_filter(hours, "hours")
    app.add_template_filter(hours_number, "hours_number")
    app.add_template_filter(price, "price")
    app.add_template_filter(money, "money")
    app.add_template_filter(clock, "clock")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(timestamp, "timestamp")
    app.add_template_filter(score, "score")
    app.add_template_filter(inbox.headline, "notification_headline")
    app.add_template_global(ce.approval_statement, "approval_statement")
    app.add_template_global(ce.ceus, "ceus")
    app.add_template_global(ce.STATE_RULES_NOTICE, "STATE_RULES_NOTICE")


def hours(value: Decimal | float | int | None) -> str:
    """Contact hours for people: 6.75 -> '6.75 hours', 1 -> '1 hour'."""
    amount = Decimal(str(value or 0))
    text = ce.format_hours(amount)
    return f"{text} hour" if amount == 1 else f"{text} hours"


def hours_number(value: Decimal | float | int | None) -> str:
    """Contact hours without the unit, for "2.5 of 6.75 hours"."""
    return ce.format_hours(Decimal(str(value or 0)))


def price(course) -> str:
    return "Free" if course.is_free else money(course.price_cents, course.currency)


def money(cents: int | None, currency: str) -> str:
    """2000, "USD" -> "$20"; 17950 -> "$179.50"; other currencies by code: "20 EUR"."""
    amount = f"{(cents or 0) / 100:,.2f}".removesuffix(".00")
    return f"${amount}" if currency.upper() == "USD" else f"{amount} {currency.upper()}"


def percent(part: float | int, whole: float | int) -> int:
    if not whole:
        return 0
    return max(0, min(100, int(100 * part / whole)))


def long_date(value: date | datetime | None) -> str:
    """November 23, 2026: the way certificates and boards write dates."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def timestamp(value: datetime | None) -> str:
    """An audit time, to the second, in UTC: 2026-11-23 19:04:05 UTC."""
    return "" if value is None else f"{value:%Y-%m-%d %H:%M:%S} UTC"


def score(value: Decimal | float | None) -> str:
    """A post-test score without trailing zeros: 90.00 -> '90', 83.33 -> '83.33'."""
    return "" if value is None else ce.format_hours(Decimal(str(value)))
