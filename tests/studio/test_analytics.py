"""Studio analytics: each chart's numbers from a small course counted by hand, in few statements.

`seed_course_history` builds one course's records in January to March 2026 (learners, progress with
watched intervals, post-test attempts, evaluations, a certificate, payments); each test reads the
page for that range and checks what the author sees against counts made by hand.
"""

import re
from datetime import UTC, date, datetime

from courseware.accounts.models import Role
from courseware.assessment.models import EvaluationResponse, PostTestAttempt
from courseware.certificates.models import Certificate
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import Enrolment, LessonProgress
from courseware.payments.models import Purchase

RANGE = "from=2026-01-01&to=2026-03-31"

LEAST_RESTRICTIVE = {
    "question": 0,
    "prompt": "Which setting is the least restrictive?",
    "multiple": False,
    "answer": [0],
    "choices": [[2, "Separate school"], [0, "General education classroom"], [1, "Resource room"]],
}
COLLABORATION = {
    "question": 1,
    "prompt": "Select every collaborative practice.",
    "multiple": True,
    "answer": [0, 1],
    "choices": [[1, "Consultation"], [2, "Pull-out only"], [0, "Co-teaching"]],
}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def seed_course_history(app, make, course=None):
    """The course of these tests; returns it. Counted by hand in the comments below."""
    course = course or make.course(title="Natural School Environment", lessons=3, price_cents=17900)
    lessons = [lesson.id for lesson in make.lessons(course)]
    people = {name: make.user(display_name=name) for name in "ABCDEFG"}
    other = make.course(title="Own Your Role", price_cents=2000)
    with app.app_context():
        enrolments = {
            # A: every lesson, passed, certificate. B: lesson 1 done, lesson 2 opened, failed the post-test.
            "A": Enrolment(created_at=at("2026-01-10"), lessons_completed=3, completed_at=at("2026-02-20")),
            "B": Enrolment(created_at=at("2026-01-20"), lessons_completed=1),
            "C": Enrolment(created_at=at("2026-02-05")),  # opened lesson 1, never pressed play
            "D": Enrolment(created_at=at("2026-03-01")),  # enrolled only
            # E enrolled before the range (not in the cohort) but completed in it.
            "E": Enrolment(created_at=at("2025-12-15"), lessons_completed=3, completed_at=at("2026-01-05")),
            # F was refunded: left out everywhere but revenue.
            "F": Enrolment(created_at=at("2026-01-12"), revoked_at=at("2026-01-14"), lessons_completed=1),
        }
        for name, enrolment in enrolments.items():
            enrolment.user_id, enrolment.course_id, enrolment.source = people[name].id, course.id, "free"
        db.session.add_all(enrolments.values())
        db.session.flush()
        ids = {name: enrolment.id for name, enrolment in enrolments.items()}
        progress = [
            ("A", 0, [[0, 60]], True),
            ("A", 1, [[0, 60]], True),
            ("A", 2, [[0, 20], [25, 30]], True),
            ("B", 0, [[0, 30], [40, 55]], True),
            ("B", 1, [[0, 12.5]], False),
            ("C", 0, [], False),
            ("F", 0, [[0, 60]], True),
        ]
        db.session.add_all(
            LessonProgress(
                enrolment_id=ids[name],
                lesson_id=lessons[index],
                watched_intervals=intervals,
                watched_seconds=sum(end - start for start, end in intervals),
                completed_at=at("2026-02-01") if done else None,
            )
            for name, index, intervals, done in progress
        )
        db.session.add_all(
            [
                _attempt(
                    ids["A"],
                    1,
                    [COLLABORATION, LEAST_RESTRICTIVE],
                    {"0": [0], "1": [0, 1]},
                    "2026-02-19",
                    True,
                ),
                _attempt(
                    ids["B"], 1, [LEAST_RESTRICTIVE, COLLABORATION], {"0": [1], "1": [0, 2]}, "2026-02-10"
                ),
                _attempt(
                    ids["B"], 2, [LEAST_RESTRICTIVE, COLLABORATION], None, None
                ),  # started, not submitted
                _attempt(
                    ids["E"], 1, [COLLABORATION, LEAST_RESTRICTIVE], {"0": [1], "1": [0, 1]}, "2026-01-04"
                ),
                _attempt(
                    ids["E"],
                    2,
                    [COLLABORATION, LEAST_RESTRICTIVE],
                    {"0": [0], "1": [0, 1]},
                    "2025-12-30",
                    True,
                ),
            ]
        )
        db.session.add_all(
            [
                _evaluation(ids["A"], [5, 4, 5, 4], "Loved the classroom examples.", "2026-02-21"),
                _evaluation(ids["B"], [3, 3, 3, 3], "<b>Too short</b> for me", "2026-02-11"),
                _evaluation(ids["E"], [3, 2, 4, 5], "", "2026-01-06"),
            ]
        )
        db.session.add(
            Certificate(
                enrolment_id=ids["A"],
                user_id=people["A"].id,
                course_id=course.id,
                course_revision=1,
                completed_on=date(2026, 2, 20),
                snapshot={},
            )
        )
        db.session.add_all(
            [
                _purchase(people["A"], course, "paid", 17900, 0, "2026-01-10"),
                _purchase(people["B"], course, "paid", 17900, 5000, "2026-01-20"),  # partly refunded
                _purchase(people["F"], course, "refunded", 17900, 17900, "2026-01-12"),
                _purchase(people["G"], course, "disputed", 17900, 0, "2026-02-02"),  # a lost dispute
                _purchase(people["C"], course, "pending", None, 0, None),
                _purchase(people["D"], other, "paid", 2000, 0, "2026-02-10"),
            ]
        )
        db.session.commit()
    return course


def _attempt(enrolment_id, number, paper, answers, submitted, passed=False):
    return PostTestAttempt(
        enrolment_id=enrolment_id,
        number=number,
        course_revision=1,
        paper=paper,
        pass_percent=80,
        answers=answers,
        submitted_at=at(submitted) if submitted else None,
        passed=passed if submitted else None,
    )


def _evaluation(enrolment_id, ratings, comment, submitted):
    answers = dict(zip(("objective_1", "relevance", "instructor", "level"), ratings, strict=True))
    return EvaluationResponse(
        enrolment_id=enrolment_id,
        course_revision=1,
        questions=[],
        submitted_at=at(submitted),
        answers={**answers, "hours": "1.5", "comments": comment},
    )


def _purchase(user, course, status, paid, refunded, paid_on):
    return Purchase(
        user_id=user.id,
        course_id=course.id,
        checkout_session_id=f"cs_{user.id}_{course.id}",
        status=status,
        price_cents=course.price_cents,
        amount_paid_cents=paid,
        amount_refunded_cents=refunded,
        currency="USD",
        paid_at=at(paid_on) if paid_on else None,
    )


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}-heading"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


def table_rows(html: str) -> list[list[str]]:
    """The body rows of the first table in `html`, each cell's text without tags."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def author_page(client, make, login, course, query=RANGE):
    login(make.user(role=Role.AUTHOR))
    response = client.get(f"/studio/courses/{course.slug}/analytics?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_enrolments_and_completions_per_month(app, client, make, login):
    course = seed_course_history(app, make)
    page = author_page(client, make, login, course)
    rows = table_rows(section(page, "enrolments"))
    assert rows == [["2026-01", "2", "1"], ["2026-02", "1", "1"], ["2026-03", "1", "0"]]
    assert '<svg class="chart" id="chart-enrolments" role="img"' in page


def test_funnel_counts_the_learners_who_enrolled_in_the_range(app, client, make, login):
    course = seed_course_history(app, make)
    rows = table_rows(section(author_page(client, make, login, course), "funnel"))
    assert rows == [
        ["Enrolled", "4", "100 %"],
        ["Started a lesson", "3", "75 %"],
        ["Completed half the lessons", "1", "25 %"],
        ["Completed every lesson", "1", "25 %"],
        ["Passed the post-test", "1", "25 %"],
        ["Certificate issued", "1", "25 %"],
    ]


def test_drop_off_per_lesson_in_course_order(app, client, make, login):
    course = seed_course_history(app, make)
    rows = table_rows(section(author_page(client, make, login, course), "lessons"))
    assert rows == [["1. Lesson 1", "3", "2"], ["2. Lesson 2", "2", "1"], ["3. Lesson 3", "1", "1"]]


def test_where_viewers_stop_buckets_the_last_watched_second(app, client, make, login):
    course = seed_course_history(app, make)
    html = section(author_page(client, make, login, course), "video-stops")
    tables = html.split("<table>")[1:]
    counts = [[int(row[1]) for row in table_rows(table)] for table in tables]
    # Lesson 1: A at 60 s and B at 55 s in the last tenth; C never played. Lesson 2: A at the end,
    # B at 12.5 s (20-30 %). Lesson 3: A's last second is 30 s of 60, exactly the start of 50-60 %.
    assert counts == [
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        [0, 0, 1, 0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
    ]
    assert "50–60 % (0:30–0:36)" in html


def test_item_analysis_groups_questions_by_their_id_not_their_shuffled_position(app, client, make, login):
    course = seed_course_history(app, make)
    rows = table_rows(section(author_page(client, make, login, course), "items"))
    # Three submitted attempts in the range (A, B, E's first); B's second is unsubmitted, E's second is
    # from December.
    assert rows == [
        ["Which setting is the least restrictive?", "3", "33 %", "Resource room (2)"],
        ["Select every collaborative practice.", "3", "67 %", "Pull-out only (1)"],
    ]


def test_evaluation_averages_and_latest_comments(app, client, make, login):
    course = seed_course_history(app, make)
    page = author_page(client, make, login, course)
    rows = table_rows(section(page, "evaluation"))
    assert [row[1:] for row in rows] == [["3", "3.67"], ["3", "3.00"], ["3", "4.00"], ["3", "4.00"]]
    assert "Evaluations submitted in the range: 3." in page
    comments = page[page.index("Latest comments") :]
    assert comments.index("Loved the classroom examples.") < comments.index(
        "&lt;b&gt;Too short&lt;/b&gt; for me"
    )
    assert "<b>Too short" not in page


def test_revenue_is_paid_less_refunds_and_lost_disputes(app, client, make, login):
    course = seed_course_history(app, make)
    rows = table_rows(section(author_page(client, make, login, course), "revenue"))
    assert rows == [
        ["Natural School Environment", "2026-01", "3", "$537", "$229", "$308"],
        ["Natural School Environment", "2026-02", "1", "$179", "$179", "$0"],
    ]


def test_revenue_for_every_course(app, client, make, login):
    seed_course_history(app, make)
    login(make.user(role=Role.AUTHOR))
    page = client.get(f"/studio/analytics/revenue?{RANGE}").get_data(as_text=True)
    rows = table_rows(page[page.index("By course and month") :])
    assert [row[:2] + row[-1:] for row in rows] == [
        ["Natural School Environment", "2026-01", "$308"],
        ["Natural School Environment", "2026-02", "$0"],
        ["Own Your Role", "2026-02", "$20"],
    ]
    assert 'id="chart-revenue-usd"' in page and 'id="chart-revenue-courses"' in page


def test_every_chart_has_a_title_a_description_and_a_table(app, client, make, login):
    course = seed_course_history(app, make)
    page = author_page(client, make, login, course)
    named = r'<svg class="chart" id="([\w-]+)" role="img"[^>]*aria-labelledby="\1-title"'
    charts = re.findall(named + r' aria-describedby="\1-desc"', page)
    assert charts == [
        "chart-enrolments",
        "chart-funnel",
        "chart-lessons",
        "chart-video-1",
        "chart-video-2",
        "chart-video-3",
        "chart-items",
        "chart-evaluation",
        "chart-revenue-usd",
    ]
    for chart in charts:
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    assert page.count("<table>") == page.count("<caption>") == len(charts)  # a table beside each chart


def test_the_page_runs_the_same_few_statements_whatever_the_data(app, client, make, login, queries):
    course = seed_course_history(app, make)
    login(make.user(role=Role.AUTHOR))
    url = f"/studio/courses/{course.slug}/analytics?{RANGE}"
    client.get(url)  # the course structure is now cached, as on any busy server
    with queries() as small:
        assert client.get(url).status_code == 200
    _more_learners(app, make, course, 40)
    with queries() as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large) <= 12


def test_a_cold_structure_cache_still_stays_within_twelve_statements(app, client, make, login, queries):
    course = seed_course_history(app, make)
    login(make.user(role=Role.AUTHOR))
    with queries() as statements:
        assert client.get(f"/studio/courses/{course.slug}/analytics?{RANGE}").status_code == 200
    assert len(statements) <= 12


def _more_learners(app, make, course, count):
    lessons = [lesson.id for lesson in make.lessons(course)]
    users = [make.user() for _ in range(count)]
    with app.app_context():
        for number, user in enumerate(users):
            enrolment = Enrolment(
                user_id=user.id, course_id=course.id, source="free", created_at=at("2026-02-14")
            )
            db.session.add(enrolment)
            db.session.flush()
            db.session.add_all(
                LessonProgress(
                    enrolment_id=enrolment.id, lesson_id=lesson, watched_intervals=[[0, 5 + number]]
                )
                for lesson in lessons
            )
            db.session.add(_attempt(enrolment.id, 1, [LEAST_RESTRICTIVE], {"0": [number % 3]}, "2026-02-15"))
        db.session.commit()


def test_default_range_is_this_month_and_the_eleven_before(app, client, make, login):
    course = make.course()
    page = author_page(client, make, login, course, query="")
    months = [row[0] for row in table_rows(section(page, "enrolments"))]
    assert len(months) == 12
    today = utcnow().date()  # the analytics page dates by UTC
    assert months[-1] == f"{today:%Y-%m}"
    assert f'value="{today.isoformat()}"' in page


def test_an_empty_course_says_so_instead_of_drawing_nothing(app, client, make, login):
    course = make.course(lessons=0, video=False)
    page = author_page(client, make, login, course)
    assert "This course has no published lessons yet." in page
    assert "This course has no published video lessons." in page
    assert "No post-test attempts were submitted in this range." in page
    assert "No evaluations were submitted in this range." in page
    assert "No payments for this course in this range." in page
    assert "built-in method" not in page  # a missing chart is left out, not printed as a method


def test_a_malformed_or_reversed_range_is_a_400_with_the_reason_beside_the_field(app, client, make, login):
    course = make.course()
    login(make.user(role=Role.AUTHOR))
    url = f"/studio/courses/{course.slug}/analytics"
    cases = {
        "from=2026-13-01": "From must be a date written YYYY-MM-DD",
        "from=yesterday&to=2026-01-01": "From must be a date written YYYY-MM-DD",
        "to=2026-02-30": "To must be a date written YYYY-MM-DD",
        "from=2026-03-01&to=2026-02-01": "The end date is before the start date.",
        "from=1900-01-01&to=2026-01-01": "Choose a range of at most 10 years.",
        "to=0001-01-01": "To must be a date between 1900-01-01 and 2999-12-31.",
        "from=9999-12-01": "From must be a date between 1900-01-01 and 2999-12-31.",
    }
    for query, message in cases.items():
        response = client.get(f"{url}?{query}")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert message in page, query
        assert 'aria-invalid="true"' in page
    assert 'value="yesterday"' in client.get(f"{url}?from=yesterday").get_data(as_text=True)


def test_unknown_course_is_404(app, client, make, login):
    login(make.user(role=Role.AUTHOR))
    assert client.get("/studio/courses/no-such-course/analytics").status_code == 404


def test_the_studio_home_links_each_course_to_its_analytics(app, client, make, login):
    course = make.course(title="Own Your Role")
    login(make.user(role=Role.AUTHOR))
    assert f'href="/studio/courses/{course.slug}/analytics"' in client.get("/studio/").get_data(as_text=True)
