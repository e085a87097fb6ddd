"""Revenue by course and month: what Stripe paid us, less what went back.

A purchase counts in the month it was paid. What went back is the refunded amount, or the whole
payment when a dispute was lost (Stripe takes the money back; our row records no refund then).
Amounts stay in cents, by currency, until a template formats them.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from courseware.content.models import Course
from courseware.extensions import db
from courseware.payments.models import Purchase, PurchaseStatus
from courseware.studio.analytics_period import Period
from courseware.studio.analytics_sql import month_of

_SETTLED = (PurchaseStatus.PAID, PurchaseStatus.REFUNDED, PurchaseStatus.DISPUTED)


@dataclass(frozen=True)
class RevenueRow:
    course_title: str
    course_slug: str
    month: str  # "2026-03"
    currency: str
    purchases: int
    paid_cents: int
    returned_cents: int

    @property
    def net_cents(self) -> int:
        return self.paid_cents - self.returned_cents


def revenue(period: Period, course: Course | None = None) -> list[RevenueRow]:
    """Net revenue per course, month and currency in the range; one course, or every course."""
    month = month_of(db.session, Purchase.paid_at).label("month")
    paid = sa.func.coalesce(Purchase.amount_paid_cents, 0)
    returned = sa.case(
        (Purchase.status == PurchaseStatus.DISPUTED, paid), else_=Purchase.amount_refunded_cents
    )
    statement = (
        sa.select(
            Course.title,
            Course.slug,
            month,
            Purchase.currency,
            sa.func.count(),
            sa.func.sum(paid),
            sa.func.sum(returned),
        )
        .join(Course, Purchase.course_id == Course.id)
        .where(Purchase.status.in_(_SETTLED), Purchase.paid_at >= period.starts_at)
        .where(Purchase.paid_at < period.ends_before)
        .group_by(Course.id, Course.title, Course.slug, sa.literal_column("month"), Purchase.currency)
        .order_by(Course.title, sa.literal_column("month"), Purchase.currency)
    )
    if course is not None:
        statement = statement.where(Purchase.course_id == course.id)
    return [
        RevenueRow(*row[:4], int(row[4]), int(row[5] or 0), int(row[6] or 0))
        for row in db.session.execute(statement)
    ]


def monthly_totals(rows: list[RevenueRow], period: Period) -> dict[str, list[int]]:
    """Net cents per month of the range, per currency (one series each; usually just USD)."""
    months = period.months()
    series: dict[str, list[int]] = {}
    for row in rows:
        values = series.setdefault(row.currency, [0] * len(months))
        values[months.index(row.month)] += row.net_cents
    return series


def course_totals(rows: list[RevenueRow]) -> list[tuple[str, str, int]]:
    """(course title, currency, net cents) over the whole range, in title order."""
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        totals[(row.course_title, row.currency)] = (
            totals.get((row.course_title, row.currency), 0) + row.net_cents
        )
    return [(title, currency, cents) for (title, currency), cents in totals.items()]
