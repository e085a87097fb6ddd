"""Studio analytics: a course's charts with their tables and CSVs, and revenue for every course."""

from flask import Blueprint, abort, render_template, request

from courseware.accounts.permissions import author_required
from courseware.content.models import Course
from courseware.csvexport import csv_response
from courseware.db import utcnow
from courseware.extensions import db
from courseware.studio import analytics_revenue
from courseware.studio.analytics_forms import PeriodForm
from courseware.studio.analytics_period import Period
from courseware.studio.analytics_report import (
    CHART_NAMES,
    chart_table,
    course_report,
    revenue_charts,
    revenue_table,
)

bp = Blueprint("studio_analytics", __name__, url_prefix="/studio")


@bp.get("/courses/<slug>/analytics")
@author_required
def course(slug: str):
    course = _course_or_404(slug)
    form, period = _period_form()
    if period is None:
        return render_template("studio/analytics.html", course=course, form=form, report=None), 400
    report = course_report(course, period, utcnow())
    return render_template("studio/analytics.html", course=course, form=form, report=report)


@bp.get("/courses/<slug>/analytics/<chart>.csv")
@author_required
def chart_csv(slug: str, chart: str):
    if chart not in CHART_NAMES:
        abort(404)
    course = _course_or_404(slug)
    period = _period_or_400()
    header, rows = chart_table(chart, course, period, utcnow())
    return csv_response(f"{course.slug}_{chart}_{period.start}_to_{period.end}.csv", header, rows)


@bp.get("/analytics/revenue")
@author_required
def revenue():
    form, period = _period_form()
    if period is None:
        return render_template("studio/analytics_revenue.html", form=form, period=None), 400
    rows = analytics_revenue.revenue(period)
    return render_template(
        "studio/analytics_revenue.html",
        form=form,
        period=period,
        rows=rows,
        charts=revenue_charts(rows, period),
    )


@bp.get("/analytics/revenue.csv")
@author_required
def revenue_csv():
    period = _period_or_400()
    header, rows = revenue_table(analytics_revenue.revenue(period))
    return csv_response(f"revenue_{period.start}_to_{period.end}.csv", header, rows)


def _course_or_404(slug: str) -> Course:
    return db.first_or_404(db.select(Course).where(Course.slug == slug))


def _period_form() -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.args)
    period = form.period(utcnow().date())
    if period is not None:
        form.fill(period)
    return form, period


def _period_or_400() -> Period:
    form = PeriodForm(request.args)
    period = form.period(utcnow().date())
    if period is None:
        abort(400, " ".join(error for field in (form.start, form.end) for error in field.errors))
    return period
