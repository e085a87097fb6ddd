"""The SVG charts: accessible names, escaped text, and shapes that match the numbers."""

import re
import xml.etree.ElementTree as ET

import pytest

from courseware.studio.charts import Series, bar_chart, funnel_chart, hbar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_chart_is_an_image_named_by_its_title_and_described():
    svg = parse(bar_chart("c1", "Enrolments", "Three months.", ["Jan", "Feb", "Mar"], [1, 2, 3]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title"
    assert svg.get("aria-describedby") == "c1-desc"
    assert svg.find(f"{SVG}title").text == "Enrolments"
    assert svg.find(f"{SVG}desc").text == "Three months."
    assert svg.get("viewBox").startswith("0 0 640 ")


def test_text_is_escaped_everywhere():
    evil = '<script>alert(1)</script>"'
    pictures = [
        bar_chart("c", evil, evil, [evil], [1]),
        hbar_chart("c", evil, evil, [evil], [Series(evil, [1]), Series("two", [2])]),
        line_chart("c", evil, evil, [evil, "b"], [Series(evil, [1, 2]), Series("x", [0, 1])]),
        funnel_chart("c", evil, evil, [(evil, 3, 100)]),
    ]
    for picture in pictures:
        assert "<script>" not in str(picture)
        parse(picture)  # still well-formed XML


def test_bar_heights_follow_the_values_and_negative_bars_hang_below_zero():
    svg = parse(bar_chart("c", "t", "d", ["a", "b", "c"], [10, 20, -5]))
    bars = [rect for rect in svg.iter(f"{SVG}rect")]
    heights = [float(rect.get("height")) for rect in bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(heights[0] / 2, abs=0.2)
    zero = float(bars[0].get("y")) + heights[0]
    assert float(bars[2].get("y")) == pytest.approx(zero, abs=0.2)  # the negative bar starts at the zero line
    assert [rect.find(f"{SVG}title").text for rect in bars] == ["a: 10", "b: 20", "c: -5"]


def test_axis_ticks_are_round_numbers():
    svg = str(bar_chart("c", "t", "d", ["a"], [17]))
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert ticks == ["0", "5", "10", "15", "20"]


def test_horizontal_bars_are_scaled_to_the_given_maximum_and_print_their_values():
    svg = parse(
        hbar_chart("c", "t", "d", ["q1", "q2"], [Series("Correct", [50, 100])], lambda v: f"{v} %", 100)
    )
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(2 * widths[0], abs=0.2)
    assert "50 %" in [text.text for text in svg.iter(f"{SVG}text")]


def test_long_labels_are_shortened_in_the_picture():
    label = "Which of these supports is the least restrictive for a second grader?"
    texts = [t.text for t in parse(hbar_chart("c", "t", "d", [label], [Series("s", [1])])).iter(f"{SVG}text")]
    assert any(text.endswith("…") and len(text) <= 26 for text in texts)


def test_funnel_steps_are_as_wide_as_their_share_of_the_first():
    svg = parse(funnel_chart("c", "t", "d", [("Enrolled", 40, 100), ("Started", 10, 25)]))
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(widths[0] / 4, abs=0.2)
    assert "Started: 10 (25 %)" in [text.text for text in svg.iter(f"{SVG}text")]


def test_a_line_per_series_with_a_legend():
    svg = parse(
        line_chart(
            "c",
            "t",
            "d",
            ["Jan", "Feb", "Mar"],
            [Series("Enrolments", [1, 3, 2]), Series("Completions", [0, 1, 1])],
        )
    )
    assert len(list(svg.iter(f"{SVG}polyline"))) == 2
    assert {"Enrolments", "Completions"} <= {text.text for text in svg.iter(f"{SVG}text")}


def test_empty_and_all_zero_data_draw_without_error():
    for picture in (
        bar_chart("c", "t", "d", [], []),
        bar_chart("c", "t", "d", ["a"], [0]),
        hbar_chart("c", "t", "d", [], [Series("s", [])]),
        line_chart("c", "t", "d", ["Jan"], [Series("s", [0])]),
        funnel_chart("c", "t", "d", [("Enrolled", 0, 0), ("Started", 0, 0)]),
        funnel_chart("c", "t", "d", []),
    ):
        parse(picture)
