"""The analytics page and its downloads: each chart's data, its SVG picture and its CSV table.

`course_report` runs every chart's statement once; `chart_table(name, ...)` runs only the one a
CSV download needs. The tables here are what the page shows beside each chart, so the picture,
the table and the CSV can never disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from courseware.content.models import Course
from courseware.studio import analytics, analytics_feedback, analytics_revenue, charts
from courseware.studio.analytics_period import Period
from courseware.templating import money

CHART_NAMES = ("enrolments", "funnel", "lessons", "video-stops", "items", "evaluation", "revenue")


@dataclass(frozen=True)
class CourseReport:
    course: Course
    period: Period
    months: list[analytics.MonthRow]
    funnel: list[analytics.FunnelStep]
    activity: analytics.LessonActivity
    items: list[analytics_feedback.ItemRow]
    evaluation: analytics_feedback.Evaluation
    revenue: list[analytics_revenue.RevenueRow]

    @property
    def lessons(self) -> list[analytics.LessonRow]:
        return self.activity.lessons

    @property
    def videos(self) -> list[analytics.VideoStops]:
        return self.activity.videos

    @property
    def charts(self) -> dict[str, Markup]:
        return _charts(self)


def course_report(course: Course, period: Period, now: datetime) -> CourseReport:
    return CourseReport(
        course=course,
        period=period,
        months=analytics.enrolments_by_month(course, period),
        funnel=analytics.funnel(course, period),
        activity=analytics.lesson_activity(course, period, now),
        items=analytics_feedback.item_analysis(course, period),
        evaluation=analytics_feedback.evaluation_summary(course, period),
        revenue=analytics_revenue.revenue(period, course),
    )


def chart_table(name: str, course: Course, period: Period, now: datetime) -> tuple[list[str], list[list]]:
    """(header, rows) of one chart, for its CSV download. KeyError for a name that is not a chart."""
    return _TABLES[name](course, period, now)


def revenue_table(rows: list[analytics_revenue.RevenueRow]) -> tuple[list[str], list[list]]:
    header = ["Course", "Month", "Currency", "Purchases", "Paid", "Refunded or disputed", "Net"]
    return header, [
        [
            row.course_title,
            row.month,
            row.currency,
            row.purchases,
            _amount(row.paid_cents),
            _amount(row.returned_cents),
            _amount(row.net_cents),
        ]
        for row in rows
    ]


def revenue_charts(rows: list[analytics_revenue.RevenueRow], period: Period) -> dict[str, Markup]:
    """The all-courses page: net revenue per month (per currency) and per course."""
    pictures = {}
    for currency, values in analytics_revenue.monthly_totals(rows, period).items():
        pictures[f"Net revenue per month ({currency})"] = charts.bar_chart(
            f"chart-revenue-{currency.lower()}",
            f"Net revenue per month, {currency}",
            _range_text(period),
            period.months(),
            values,
            _money(currency),
        )
    totals = analytics_revenue.course_totals(rows)
    if totals:
        labels = [f"{title} ({currency})" for title, currency, _cents in totals]
        values = [cents for *_label, cents in totals]
        pictures["Net revenue per course"] = charts.hbar_chart(
            "chart-revenue-courses",
            "Net revenue per course",
            _range_text(period),
            labels,
            [charts.Series("Net revenue", values)],
            _money("USD"),
        )
    return pictures


def _charts(report: CourseReport) -> dict[str, Markup]:
    """Every chart of the page by name; a chart with nothing to draw is left out (its table says so)."""
    pictures = {
        "enrolments": _enrolments_chart(report),
        "funnel": charts.funnel_chart(
            "chart-funnel",
            "From enrolment to certificate",
            _funnel_text(report.funnel),
            [(step.label, step.learners, step.percent) for step in report.funnel],
        ),
        "lessons": charts.hbar_chart(
            "chart-lessons",
            "Learners who opened and completed each lesson",
            _range_text(report.period),
            [f"{row.position}. {row.title}" for row in report.lessons],
            [
                charts.Series("Opened", [r.opened for r in report.lessons]),
                charts.Series("Completed", [r.completed for r in report.lessons]),
            ],
        ),
    }
    for number, video in enumerate(report.videos, 1):
        pictures[f"video-{number}"] = _video_chart(number, video)
    return {**pictures, **_answer_charts(report), **_revenue_chart(report)}


def _enrolments_chart(report: CourseReport) -> Markup:
    return charts.line_chart(
        "chart-enrolments",
        f"Enrolments and completions per month: {report.course.title}",
        _range_text(report.period),
        [row.month for row in report.months],
        [
            charts.Series("Enrolments", [r.enrolments for r in report.months]),
            charts.Series("Completions", [r.completions for r in report.months]),
        ],
    )


def _video_chart(number: int, video: analytics.VideoStops) -> Markup:
    return charts.bar_chart(
        f"chart-video-{number}",
        f"Where viewers stop: {video.title}",
        f"Learners by the tenth of the video holding the last second they watched: {video.viewers}.",
        [f"{tenth * 10}%" for tenth in range(analytics.BUCKETS)],
        video.counts,
        gap=0,
    )


def _answer_charts(report: CourseReport) -> dict[str, Markup]:
    pictures, span = {}, _range_text(report.period)
    if report.items:
        pictures["items"] = charts.hbar_chart(
            "chart-items",
            "Percent correct per post-test question",
            span,
            [item.prompt for item in report.items],
            [charts.Series("Percent correct", [item.percent_correct for item in report.items])],
            lambda value: f"{value} %",
            maximum=100,
        )
    rated = [row for row in report.evaluation.ratings if row.average is not None]
    if rated:
        pictures["evaluation"] = charts.hbar_chart(
            "chart-evaluation",
            "Average rating per evaluation question (1 to 5)",
            span,
            [row.prompt for row in rated],
            [charts.Series("Average", [row.average for row in rated])],
            lambda value: f"{value:.2f}",
            maximum=5,
        )
    return pictures


def _revenue_chart(report: CourseReport) -> dict[str, Markup]:
    # One currency in practice (USD); the table lists any other.
    for currency, values in analytics_revenue.monthly_totals(report.revenue, report.period).items():
        return {
            "revenue": charts.bar_chart(
                f"chart-revenue-{currency.lower()}",
                f"Net revenue per month, {currency}: {report.course.title}",
                _range_text(report.period),
                report.period.months(),
                values,
                _money(currency),
            )
        }
    return {}


def _enrolments_table(course, period, now):
    rows = analytics.enrolments_by_month(course, period)
    return ["Month", "Enrolments", "Completions"], [[r.month, r.enrolments, r.completions] for r in rows]


def _funnel_table(course, period, now):
    steps = analytics.funnel(course, period)
    return ["Step", "Learners", "Percent of enrolled"], [[s.label, s.learners, s.percent] for s in steps]


def _lessons_table(course, period, now):
    rows = analytics.lesson_activity(course, period, now).lessons
    return ["Lesson", "Title", "Opened", "Completed"], [
        [r.position, r.title, r.opened, r.completed] for r in rows
    ]


def _videos_table(course, period, now):
    header = ["Lesson", "Duration (s)", *[f"{t * 10}-{(t + 1) * 10}%" for t in range(analytics.BUCKETS)]]
    videos = analytics.lesson_activity(course, period, now).videos
    return header, [[video.title, video.duration_seconds, *video.counts] for video in videos]


def _items_table(course, period, now):
    header = [
        "Question",
        "Prompt",
        "Answered",
        "Correct",
        "Percent correct",
        "Most chosen wrong answer",
        "Chosen by",
    ]
    rows = []
    for item in analytics_feedback.item_analysis(course, period):
        wrong, chosen_by = item.top_wrong or ("", 0)
        rows.append(
            [
                item.question + 1,
                item.prompt,
                item.answered,
                item.correct,
                item.percent_correct,
                wrong,
                chosen_by,
            ]
        )
    return header, rows


def _evaluation_table(course, period, now):
    summary = analytics_feedback.evaluation_summary(course, period)
    rows = [
        ["Rating", row.prompt, row.responses, "" if row.average is None else f"{row.average:.2f}"]
        for row in summary.ratings
    ]
    rows += [["Comment", c.prompt, c.submitted_at.date().isoformat(), c.text] for c in summary.comments]
    return ["Kind", "Question", "Responses or date", "Average or comment"], rows


def _revenue_table(course, period, now):
    return revenue_table(analytics_revenue.revenue(period, course))


_TABLES: dict[str, Callable] = dict(
    zip(
        CHART_NAMES,
        (
            _enrolments_table,
            _funnel_table,
            _lessons_table,
            _videos_table,
            _items_table,
            _evaluation_table,
            _revenue_table,
        ),
        strict=True,
    )
)


def _range_text(period: Period) -> str:
    return f"From {period.start} to {period.end}. The table beside the chart has the numbers."


def _funnel_text(steps: list[analytics.FunnelStep]) -> str:
    return "; ".join(f"{step.label}: {step.learners} ({step.percent} %)" for step in steps) + "."


def _money(currency: str) -> Callable:
    return lambda cents: money(int(cents), currency)


def _amount(cents: int) -> str:
    """Dollars (or the currency's units) with two decimals, as a spreadsheet reads them."""
    return f"{cents / 100:.2f}"
