"""Benchmark: the studio analytics page for a course with 10,000 enrolments and 1,000,000 watched intervals.

    .venv/bin/python bench/analytics.py                       # SQLite file in a temporary directory
    .venv/bin/python bench/analytics.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Seeds one course with bulk Core inserts (10 video lessons of 10 minutes; 10,000 enrolments spread
over the last 12 months; a progress row per learner and lesson, each with 10 watched intervals;
post-test attempts with 10-question papers and their answer rows; evaluations; certificates;
purchases), then requests `GET /studio/courses/<slug>/analytics` as the author through the Flask
test client, `--runs` times after two warm-up requests, and prints the median and p95, the
statement count, and each chart's own median. On PostgreSQL everything lives in its own schema
(`analytics_bench`), dropped at the end, so the shared `bench` database is left as it was. See
bench/README.md for the latest figures.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import create_app  # noqa: E402
from courseware.accounts.models import Role, User  # noqa: E402
from courseware.assessment.item_answers import answer_rows  # noqa: E402
from courseware.assessment.models import EvaluationResponse, PostTestAnswer, PostTestAttempt  # noqa: E402
from courseware.certificates.models import Certificate  # noqa: E402
from courseware.content.models import Course, Lesson, Module, Status  # noqa: E402
from courseware.db import count_queries, utcnow  # noqa: E402
from courseware.extensions import db  # noqa: E402
from courseware.learning.models import Enrolment, LessonProgress, furthest_second  # noqa: E402
from courseware.payments.models import Purchase  # noqa: E402
from courseware.studio import analytics, analytics_feedback, analytics_revenue  # noqa: E402
from courseware.studio.analytics_period import default_period  # noqa: E402

SLUG = "bench-analytics"
LEARNERS = 10_000
LESSONS = 10
INTERVALS = 10  # per progress row: 10 lessons x 10,000 rows x 10 = 1,000,000 intervals
VIDEO_SECONDS = 600
ATTEMPTS = 3_000
QUESTIONS = 10
EVALUATIONS = 2_500
CERTIFICATES = 2_000
PG_SCHEMA = "analytics_bench"
BATCH = 5_000


def main() -> int:
    args = _arguments()
    scratch = None if args.database_url else tempfile.mkdtemp(prefix="analytics-bench-")
    url = args.database_url or f"sqlite:///{scratch}/bench.db"
    postgres = url.startswith("postgresql")
    if postgres:
        _create_pg_schema(url)
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{PG_SCHEMA}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SERVER_NAME": "localhost"})
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            started = time.perf_counter()
            author_token = seed()
            seconds = time.perf_counter() - started
            _analyze(postgres)
            db.session.commit()
            print(f"{db.engine.dialect.name}: seeded in {seconds:.1f} s; {_sizes()}")
            if args.keep:
                print(f"kept: {url}")
        report(app, author_token, args.runs)
    finally:
        with app.app_context():
            db.session.remove()
            if postgres and not args.keep:
                with db.engine.begin() as connection:
                    connection.execute(sa.text(f"DROP SCHEMA {PG_SCHEMA} CASCADE"))
            db.engine.dispose()
        if scratch and not args.keep:
            shutil.rmtree(scratch)
    return 0


def report(app, author_token: str, runs: int) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = author_token, True
    url = f"/studio/courses/{SLUG}/analytics"
    for _ in range(2):
        assert client.get(url).status_code == 200
    with app.app_context():
        engine = db.engine
    with count_queries(engine) as statements:
        page = client.get(url)
    assert page.status_code == 200 and b"chart-video-10" in page.data, "the page did not render every chart"
    times, cpu = _timed(lambda: client.get(url), runs, with_cpu=True)
    print(
        f"GET {url}: median {_ms(statistics.median(times))}, p95 {_ms(_p95(times))}, "
        f"{len(statements)} statements, {len(page.data) // 1024} kB; "
        f"this process's CPU per request: median {_ms(statistics.median(cpu))}"
    )
    print(f"load average during the runs (2 cores shared with other work): {os.getloadavg()[0]:.1f}")
    home = _timed(lambda: client.get("/studio/"), runs)
    print(f"GET /studio/ (for scale: a small studio page): median {_ms(statistics.median(home))}")
    _chart_medians(app, runs)


def _chart_medians(app, runs: int) -> None:
    with app.test_request_context():
        course = db.session.scalar(sa.select(Course).where(Course.slug == SLUG))
        now = utcnow()
        period = default_period(now.date())
        calls = {
            "enrolments": lambda: analytics.enrolments_by_month(course, period),
            "funnel": lambda: analytics.funnel(course, period),
            "lessons + video stops": lambda: analytics.lesson_activity(course, period, now),
            "items": lambda: analytics_feedback.item_analysis(course, period),
            "evaluation": lambda: analytics_feedback.evaluation_summary(course, period),
            "revenue": lambda: analytics_revenue.revenue(period, course),
        }
        for name, call in calls.items():
            times, cpu = _timed(call, runs, with_cpu=True)
            print(f"  {name:28} median {_ms(statistics.median(times))} (CPU {_ms(statistics.median(cpu))})")


# Seeding: Core inserts in batches; ids are assigned here so rows can point at each other.


def seed() -> str:
    rng = random.Random(8)
    now = utcnow()
    author_token = "bench-author-token"
    _insert(
        User,
        [_user(0, Role.AUTHOR, author_token, now)]
        + [_user(n, Role.MEMBER, None, now) for n in range(1, LEARNERS + 1)],
    )
    _insert(Course, [_course(now)])
    _insert(Module, [dict(id=1, course_id=1, slug="m1", position=1, title="Integrated services")])
    _insert(Lesson, [_lesson(n) for n in range(1, LESSONS + 1)])
    enrolled = [now - timedelta(days=rng.uniform(0, 330)) for _ in range(LEARNERS)]
    done = [rng.choice(range(LESSONS + 1)) for _ in range(LEARNERS)]
    _insert(Enrolment, [_enrolment(n, enrolled[n - 1], done[n - 1], now) for n in range(1, LEARNERS + 1)])
    _insert(LessonProgress, _progress_rows(rng, done, now))
    attempts = [_attempt(rng, n, now) for n in range(1, ATTEMPTS + 1)]
    _insert(PostTestAttempt, attempts)
    _insert(PostTestAnswer, _answer_rows(attempts))
    _insert(EvaluationResponse, [_evaluation(rng, n, now) for n in range(1, EVALUATIONS + 1)])
    _insert(Certificate, [_certificate(n, now) for n in range(1, CERTIFICATES + 1)])
    _insert(Purchase, [_purchase(rng, n, enrolled[n - 1]) for n in range(1, LEARNERS + 1)])
    db.session.commit()
    return author_token


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[start : start + BATCH])
    if db.engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        table = model.__tablename__
        db.session.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )


def _user(n: int, role: str, token: str | None, now) -> dict:
    return dict(
        id=n + 1,
        email=f"bench{n}@example.com",
        password_hash="-",
        display_name=f"Learner {n}",
        role=role,
        session_token=token or f"token-{n}",
        email_verified_at=now,
        created_at=now,
        password_changed_at=now,
    )


def _course(now) -> dict:
    return dict(
        id=1,
        slug=SLUG,
        title="Bench: Integrated Services",
        summary="Bench",
        instructor="Bench",
        price_cents=17900,
        currency="USD",
        contact_hours=Decimal("6.75"),
        level="Intermediate",
        category="Bench",
        objectives=["Embed strategies", "Collaborate", "Measure progress"],
        approval=None,
        watch_percent=90,
        completion={},
        certificate={},
        community=False,
        sequential=False,
        status=Status.PUBLISHED,
        lesson_count=LESSONS,
        video_seconds=LESSONS * VIDEO_SECONDS,
        created_at=now,
        updated_at=now,
    )


def _lesson(n: int) -> dict:
    return dict(
        id=n,
        course_id=1,
        module_id=1,
        slug=f"lesson-{n}",
        position=n,
        title=f"Lesson {n}",
        video_path=f"media/lesson-{n}.mp4",
        duration_seconds=VIDEO_SECONDS,
        credit_minutes=40,
        downloads=[],
        preview=False,
        status=Status.PUBLISHED,
        transcript=[],
    )


def _enrolment(n: int, created, done: int, now) -> dict:
    complete = done == LESSONS
    return dict(
        id=n,
        user_id=n + 1,
        course_id=1,
        source="purchase",
        created_at=created,
        lessons_completed=done,
        completed_at=created + timedelta(days=20)
        if complete and created < now - timedelta(days=20)
        else None,
    )


def _progress_rows(rng: random.Random, done: list[int], now) -> list[dict]:
    rows = []
    for enrolment in range(1, LEARNERS + 1):
        for lesson in range(1, LESSONS + 1):
            intervals = _intervals(rng)
            rows.append(
                dict(
                    id=len(rows) + 1,
                    enrolment_id=enrolment,
                    lesson_id=lesson,
                    opened_at=now,
                    clock_at=now,
                    completed_at=now if lesson <= done[enrolment - 1] else None,
                    watched_intervals=intervals,
                    furthest_seconds=furthest_second(intervals),
                    watched_seconds=0.0,
                    position_seconds=0.0,
                    heartbeats=0,
                    version=1,
                )
            )
    return rows


def _intervals(rng: random.Random) -> list[list[float]]:
    """10 sorted, disjoint intervals ending anywhere in the video (where this viewer stopped)."""
    stop = rng.uniform(30, VIDEO_SECONDS)
    edges = sorted(round(rng.uniform(0, stop), 1) for _ in range(2 * INTERVALS - 1)) + [round(stop, 1)]
    return [[edges[2 * i], edges[2 * i + 1]] for i in range(INTERVALS)]


def _attempt(rng: random.Random, n: int, now) -> dict:
    paper = []
    for question in rng.sample(range(QUESTIONS), QUESTIONS):
        choices = [[c, f"Choice {c} of question {question}"] for c in rng.sample(range(4), 4)]
        paper.append(
            dict(
                question=question,
                prompt=f"Question {question}: which support fits best?",
                choices=choices,
                multiple=False,
                answer=[0],
                explanation="",
            )
        )
    answers = {str(q): [0 if rng.random() < 0.7 else rng.randrange(1, 4)] for q in range(QUESTIONS)}
    return dict(
        id=n,
        enrolment_id=n,
        number=1,
        course_revision=1,
        paper=paper,
        pass_percent=80,
        started_at=now,
        submitted_at=now - timedelta(days=rng.uniform(0, 300)),
        answers=answers,
        passed=True,
    )


def _answer_rows(attempts: list[dict]) -> list[dict]:
    """What submitting each attempt stores (Core inserts skip the ORM's hook that would)."""
    rows = []
    for attempt in attempts:
        facts = dict(attempt_id=attempt["id"], course_id=1, submitted_at=attempt["submitted_at"])
        rows += [dict(facts, **row) for row in answer_rows(attempt["paper"], attempt["answers"])]
    return rows


def _evaluation(rng: random.Random, n: int, now) -> dict:
    keys = ["objective_1", "objective_2", "objective_3", "relevance", "instructor", "level"]
    answers = {key: rng.randint(3, 5) for key in keys}
    answers.update(hours="6.5", comments=f"Useful course, thank you ({n}).")
    return dict(
        id=n,
        enrolment_id=n,
        course_revision=1,
        questions=[],
        answers=answers,
        submitted_at=now - timedelta(days=rng.uniform(0, 300)),
    )


def _certificate(n: int, now) -> dict:
    return dict(
        id=n,
        public_id=f"{n:032x}",
        enrolment_id=n,
        user_id=n + 1,
        course_id=1,
        course_revision=1,
        completed_on=now.date(),
        issued_at=now,
        snapshot={},
    )


def _purchase(rng: random.Random, n: int, paid_at) -> dict:
    refunded = 17900 if rng.random() < 0.03 else 0
    return dict(
        id=n,
        user_id=n + 1,
        course_id=1,
        checkout_session_id=f"cs_{n}",
        payment_intent_id=f"pi_{n}",
        status="refunded" if refunded else "paid",
        price_cents=17900,
        amount_paid_cents=17900,
        amount_refunded_cents=refunded,
        currency="USD",
        created_at=paid_at,
        paid_at=paid_at,
    )


# Plumbing.


def _create_pg_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {PG_SCHEMA}"))
    engine.dispose()


def _analyze(postgres: bool) -> None:
    # What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) does on a live database.
    db.session.commit()
    if postgres:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))


def _sizes() -> str:
    intervals = LEARNERS * LESSONS * INTERVALS
    return (
        f"{LEARNERS:,} enrolments, {LEARNERS * LESSONS:,} progress rows, {intervals:,} intervals, "
        f"{ATTEMPTS:,} attempts, {EVALUATIONS:,} evaluations, {LEARNERS:,} purchases"
    )


def _timed(call, runs: int, with_cpu: bool = False):
    """Wall-clock seconds of each run (and, with_cpu, this process's CPU seconds of each run).

    On a shared machine the wall clock includes waiting for a core; the CPU time does not (on
    PostgreSQL it leaves out the server's own work, which runs in another process).
    """
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (times, cpu) if with_cpu else times


def _p95(times: list[float]) -> float:
    return sorted(times)[max(0, round(0.95 * len(times)) - 1)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="PostgreSQL URL; a temporary SQLite file without it")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--keep", action="store_true", help="keep the seeded data (PostgreSQL schema or SQLite file)"
    )
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
