"""Charts as server-rendered SVG: no script, readable by screen readers, styled by static/css/charts.css.

Every chart is an `<svg role="img">` named by its <title> and summarised by its <desc>; the page
shows the same numbers as a table beside it, so nothing is only in the picture. Text passed in is
escaped here (markupsafe), numbers are formatted by the caller's `fmt`. Drawing units are those of
the viewBox: the SVG scales to its container's width (CSS), keeping its proportions.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 640
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 36, 44  # room for the axis labels and the legend
_LABEL_CHARS = 26  # longer category names are cut in the picture; the table has them in full


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def line_chart(
    chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series], fmt: Callable = str
) -> Markup:
    """One line (with its area shaded) per series over evenly spaced labels, e.g. months."""
    height = 280
    top, bottom = _scale_bounds([v for s in series for v in s.values])
    plot = _Plot(_LEFT, WIDTH - _RIGHT, _TOP, height - _BOTTOM, top, bottom)
    step = plot.width / max(len(labels) - 1, 1)
    parts = [*plot.grid(fmt), *_x_labels(plot, labels, lambda i: plot.left + i * step)]
    for number, serie in enumerate(series, 1):
        points = [(plot.left + i * step, plot.y(v)) for i, v in enumerate(serie.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        if len(points) > 1:
            area = f"{points[0][0]:.1f},{plot.y(0):.1f} {path} {points[-1][0]:.1f},{plot.y(0):.1f}"
            parts.append(Markup('<polygon class="chart-area chart-s{}" points="{}"/>').format(number, area))
            parts.append(Markup('<polyline class="chart-line chart-s{}" points="{}"/>').format(number, path))
        parts += [
            Markup('<circle class="chart-dot chart-s{}" cx="{:.1f}" cy="{:.1f}" r="3"/>').format(number, x, y)
            for x, y in points
        ]
    parts += _legend(series)
    return _svg(chart_id, title, desc, height, parts)


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    fmt: Callable = str,
    gap: float = 0.25,
) -> Markup:
    """Vertical bars, one per label; negative values hang below the zero line. gap=0 for a histogram."""
    height = 280
    top, bottom = _scale_bounds(values)
    plot = _Plot(_LEFT, WIDTH - _RIGHT, _TOP, height - _BOTTOM, top, bottom)
    slot = plot.width / max(len(values), 1)
    parts = list(plot.grid(fmt))
    for i, value in enumerate(values):
        y0, y1 = sorted((plot.y(0), plot.y(value)))
        x = plot.left + i * slot + slot * gap / 2
        parts.append(
            Markup(
                '<rect class="chart-bar chart-s1" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                "<title>{}: {}</title></rect>"
            ).format(x, y0, slot * (1 - gap), max(y1 - y0, 0.5), labels[i], fmt(value))
        )
    parts += _x_labels(plot, labels, lambda i: plot.left + (i + 0.5) * slot)
    return _svg(chart_id, title, desc, height, parts)


def hbar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    fmt: Callable = str,
    maximum: float | None = None,
) -> Markup:
    """Horizontal bars, one group per label (a lesson, a question), one bar per series, values printed."""
    left, bar = 210, 14
    group = bar * len(series) + 10
    height = _TOP + group * max(len(labels), 1) + 8
    highest = maximum or max([v for s in series for v in s.values] + [1])
    span = WIDTH - left - 70
    parts = [
        Markup('<line class="chart-axis" x1="{0}" y1="{1}" x2="{0}" y2="{2}"/>').format(
            left, _TOP, height - 8
        )
    ]
    for i, label in enumerate(labels):
        y = _TOP + i * group
        parts.append(
            Markup('<text class="chart-label" x="{}" y="{:.1f}" text-anchor="end">{}</text>').format(
                left - 6, y + group / 2, _short(label)
            )
        )
        for n, serie in enumerate(series):
            value = serie.values[i]
            width = span * max(value, 0) / highest
            top = y + n * bar + 2
            parts.append(
                Markup(
                    '<rect class="chart-bar chart-s{}" x="{}" y="{:.1f}" width="{:.1f}" height="{}"/>'
                    '<text class="chart-value" x="{:.1f}" y="{:.1f}">{}</text>'
                ).format(n + 1, left, top, width, bar - 2, left + width + 4, top + bar - 4, fmt(value))
            )
    parts += _legend(series)
    return _svg(chart_id, title, desc, height, parts)


def funnel_chart(chart_id: str, title: str, desc: str, steps: Sequence[tuple[str, int, int]]) -> Markup:
    """Each step (label, learners, percent of the first) as a centred bar as wide as its share.

    The words sit above the bar, not inside it: a step of a few learners is too narrow to hold them.
    """
    row = 52
    height = 8 + row * len(steps)
    first = max(steps[0][1], 1) if steps else 1
    parts = []
    for i, (label, count, percent) in enumerate(steps):
        width = max((WIDTH - 20) * count / first, 2)
        y = 8 + i * row
        parts.append(
            Markup(
                '<text class="chart-funnel-label" x="{}" y="{}" text-anchor="middle">{}: {} ({} %)</text>'
                '<rect class="chart-bar chart-s1" x="{:.1f}" y="{}" width="{:.1f}" height="22"/>'
            ).format(WIDTH / 2, y + 14, label, count, percent, (WIDTH - width) / 2, y + 20, width)
        )
    return _svg(chart_id, title, desc, height, parts)


@dataclass(frozen=True)
class _Plot:
    left: float
    right: float
    top: float
    bottom: float
    high: float
    low: float

    @property
    def width(self) -> float:
        return self.right - self.left

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) * (self.bottom - self.top) / ((self.high - self.low) or 1)

    def grid(self, fmt: Callable) -> list[Markup]:
        lines = []
        for tick in range(5):
            value = self.low + (self.high - self.low) * tick / 4
            y = self.y(value)
            lines.append(
                Markup(
                    '<line class="chart-grid" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"/>'
                    '<text class="chart-label" x="{}" y="{:.1f}" text-anchor="end">{}</text>'
                ).format(self.left, y, self.right, y, self.left - 6, y + 4, fmt(_tidy(value)))
            )
        return lines


def _svg(chart_id: str, title: str, desc: str, height: float, parts: list[Markup]) -> Markup:
    return Markup(
        '<svg class="chart" id="{0}" role="img" viewBox="0 0 {1} {2:.0f}"'
        ' aria-labelledby="{0}-title" aria-describedby="{0}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>'
        "{5}</svg>"
    ).format(chart_id, WIDTH, height, title, desc, Markup("").join(parts))


def _x_labels(plot: _Plot, labels: Sequence[str], x_of: Callable[[int], float]) -> list[Markup]:
    every = max(1, -(-len(labels) // 8))  # at most eight labels under the axis, so they never overlap
    return [
        Markup('<text class="chart-label" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>').format(
            x_of(i), plot.bottom + 18, label
        )
        for i, label in enumerate(labels)
        if i % every == 0
    ]


def _legend(series: Sequence[Series]) -> list[Markup]:
    if len(series) < 2:
        return []
    parts = []
    for n, serie in enumerate(series):
        x = _LEFT + n * 170
        parts.append(
            Markup(
                '<rect class="chart-bar chart-s{}" x="{}" y="8" width="14" height="14"/>'
                '<text class="chart-label" x="{}" y="20">{}</text>'
            ).format(n + 1, x, x + 20, serie.name)
        )
    return parts


def _scale_bounds(values: Sequence[float]) -> tuple[float, float]:
    """A round top (and bottom, if any value is negative) for the value axis."""
    whole = all(float(value).is_integer() for value in values)
    high, low = max([*values, 0]), min([*values, 0])
    top = _nice(high, whole) if high > 0 else (0 if low < 0 else 4)
    return top, -_nice(-low, whole) if low < 0 else 0


def _nice(value: float, whole: bool) -> float:
    """The smallest top whose four grid steps are 1, 2, 2.5 or 5 × 10^k (whole steps for counts)."""
    step = value / 4
    magnitude = 10.0 ** math.floor(math.log10(step))
    for multiple in (1, 2, 2.5, 5, 10):
        candidate = multiple * magnitude
        if candidate >= step and (not whole or candidate.is_integer()):
            return 4 * candidate
    return 4 * max(10 * magnitude, 1)


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1].rstrip() + "…"
