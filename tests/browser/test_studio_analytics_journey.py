"""The author reads her course's analytics: from the studio home to the charts, a table beside each,
a CSV download, and a page that fits a phone."""

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from courseware.accounts.models import Role
from tests.browser.conftest import PHONE, SCREENSHOTS
from tests.browser.test_accessibility import assert_no_violations, axe_page, blocking
from tests.studio.test_analytics import seed_course_history

CHARTS = 9  # enrolments, funnel, lessons, three videos, items, evaluation, revenue


def test_the_author_opens_analytics_for_a_course_and_downloads_a_chart(app, make, new_context, sign_in):
    course = seed_course_history(app, make)
    author = make.user(role=Role.AUTHOR, display_name="Jennifer Huff")
    page = axe_page(new_context, sign_in, author)

    page.goto("/studio/")
    # The course's title is visually hidden in the link ("Analytics" in the course's row).
    page.get_by_role("link", name=re.compile(rf"^Analytics\W*{course.title}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Analytics: {course.title}")

    page.get_by_label("From", exact=True).fill("2026-01-01")
    page.get_by_label("To", exact=True).fill("2026-03-31")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"from=2026-01-01&to=2026-03-31"))

    charts = page.locator("svg.chart[role=img]")
    expect(charts).to_have_count(CHARTS)
    for index in range(CHARTS):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["width"] > 200 and box["height"] > 50
        # Each chart sits in a block with its table.
        block = chart.locator("xpath=ancestor::div[contains(@class, 'chart-block')]")
        expect(block.locator("table")).to_have_count(1)
    expect(page.get_by_role("img", name="From enrolment to certificate")).to_be_visible()

    funnel = page.get_by_role("table", name="From enrolment to certificate")
    expect(funnel.get_by_role("row", name=re.compile("Started a lesson 3 75 %"))).to_be_visible()
    assert_no_violations({"analytics": blocking(page)})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "studio-analytics-desktop.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download funnel (CSV)").click()
    assert download.value.suggested_filename == f"{course.slug}_funnel_2026-01-01_to_2026-03-31.csv"
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[:3] == [
        ["Step", "Learners", "Percent of enrolled"],
        ["Enrolled", "4", "100"],
        ["Started a lesson", "3", "75"],
    ]


def test_the_analytics_page_fits_a_phone(app, make, new_context, sign_in):
    course = seed_course_history(app, make)
    phone = sign_in(new_context(viewport=PHONE), make.user(role=Role.AUTHOR)).new_page()
    phone.goto(f"/studio/courses/{course.slug}/analytics?from=2026-01-01&to=2026-03-31")
    expect(phone.locator("svg.chart")).to_have_count(CHARTS)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"
    first = phone.locator("svg.chart").first.bounding_box()
    assert first["width"] <= PHONE["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=SCREENSHOTS / "studio-analytics-phone.png", full_page=True)


def test_a_reversed_range_is_explained_beside_the_field(app, make, new_context, sign_in):
    course = make.course()
    page = sign_in(new_context(), make.user(role=Role.AUTHOR)).new_page()
    response = page.goto(f"/studio/courses/{course.slug}/analytics?from=2026-03-01&to=2026-01-01")
    assert response.status == 400
    expect(page.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
