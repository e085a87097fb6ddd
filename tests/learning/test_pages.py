"""Enrolling, the course home, the lesson player, reading lessons and the dashboard."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from courseware.content.models import Lesson
from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning import pages, services
from courseware.learning.models import Enrolment, LessonProgress
from tests.learning.helpers import enrolment_row, progress_row, wind_back_clock


def test_one_click_enrol_in_a_free_course_lands_on_the_course_home(app, client, make, login):
    make.course(slug="tips", title="Tips for Successful Collaboration with Teachers")
    login(make.user())

    response = client.post("/courses/tips/enroll", follow_redirects=True)
    again = client.post("/courses/tips/enroll")

    page = response.get_data(as_text=True)
    assert response.request.path == "/learn/tips/"
    assert "You are enrolled in Tips for Successful Collaboration with Teachers" in page
    assert "Start the first lesson" in page and "0 of 3 lessons complete" in page
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 1


def test_a_paid_course_cannot_be_enrolled_for_free(app, client, make, login):
    make.course(slug="own-your-role", price_cents=2000)
    login(make.user())

    response = client.post("/courses/own-your-role/enroll", follow_redirects=True)

    assert "This course is paid" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0


def test_enrol_needs_a_login_and_a_live_course(client, make, login):
    make.course(slug="tips")
    assert client.post("/courses/tips/enroll").status_code == 302
    login(make.user())
    assert client.post("/courses/nope/enroll").status_code == 404


def test_learn_pages_need_an_enrolment(client, make, login):
    make.course(slug="tips")
    anonymous = client.get("/learn/tips/")
    assert anonymous.status_code == 302 and "/auth/login?next=/learn/tips/" in anonymous.location

    login(make.user())
    not_enrolled = client.get("/learn/tips/")
    lesson = client.get("/learn/tips/lesson-1")
    assert not_enrolled.status_code == 302 and not_enrolled.location.endswith("/courses/tips")
    assert lesson.status_code == 302 and lesson.location.endswith("/courses/tips")


def test_player_shows_video_captions_transcript_speed_and_outline(make, login):
    user = make.user()
    course = make.course(slug="integration", lessons=2)
    make.enrolment(user, course)
    client = login(user)

    page = client.get("/learn/integration/lesson-1").get_data(as_text=True)

    assert '<video id="lesson-video"' in page
    assert 'src="/learn/integration/media/media/lesson-1.mp4"' in page
    assert 'kind="captions"' not in page  # the factory lesson has no captions file
    assert "Welcome to lesson 1." in page and 'data-start="0.0"' in page
    assert '<option value="2">2×</option>' in page and '<option value="0.75">0.75×</option>' in page
    assert "Course outline" in page and 'aria-current="page"' in page
    assert 'rel="next" href="/learn/integration/lesson-2"' in page
    assert 'data-progress-url="/learn/integration/lesson-1/progress"' in page


def test_player_resumes_at_the_last_position(app, make, login):
    user = make.user()
    course = make.course(slug="integration", lessons=2)
    make.enrolment(user, course)
    client = login(user)
    lesson = make.lessons(course)[0]
    client.get("/learn/integration/lesson-1")
    wind_back_clock(app, user, lesson, 20)
    client.post("/learn/integration/lesson-1/progress", json={"intervals": [[0, 33]], "position": 33.5})

    page = client.get("/learn/integration/lesson-1").get_data(as_text=True)
    home = client.get("/learn/integration/").get_data(as_text=True)

    assert 'data-start="33.5"' in page
    assert "Continue where you left off" in home and 'href="/learn/integration/lesson-1"' in home


def test_sequential_course_locks_a_lesson_until_the_one_before_is_complete(app, make, login):
    user = make.user()
    course = make.course(slug="integration", lessons=2, sequential=True)
    make.enrolment(user, course)
    client = login(user)
    first, second = make.lessons(course)

    locked = client.get("/learn/integration/lesson-2").get_data(as_text=True)
    assert "This lesson is locked" in locked and "Complete" in locked and "<video" not in locked
    assert progress_row(app, user, second) is None  # no clock started for a locked lesson

    client.get("/learn/integration/lesson-1")
    wind_back_clock(app, user, first, 60)
    assert client.post(
        "/learn/integration/lesson-1/progress", json={"intervals": [[0, 60]], "position": 60}
    ).json["complete"]
    unlocked = client.get("/learn/integration/lesson-2").get_data(as_text=True)
    assert "This lesson is locked" not in unlocked and "<video" in unlocked


def test_reading_lesson_is_completed_with_mark_as_done(app, make, login):
    user = make.user()
    course = make.course(slug="reading", lessons=2, video=False, contact_hours=Decimal("0.50"))
    make.enrolment(user, course)
    client = login(user)

    before = client.post("/learn/reading/lesson-1/done", follow_redirects=True).get_data(as_text=True)
    assert "Open the lesson before marking it as done" in before or "is complete" in before
    page = client.get("/learn/reading/lesson-2").get_data(as_text=True)
    assert "Mark as done" in page

    response = client.post("/learn/reading/lesson-2/done", follow_redirects=True)

    assert "“Lesson 2” is complete." in response.get_data(as_text=True)
    enrolment = enrolment_row(app, user, course)
    assert enrolment.credit_minutes_completed == 15


def test_marking_a_video_lesson_done_is_refused(app, make, login):
    user = make.user()
    course = make.course(slug="video", lessons=1)
    make.enrolment(user, course)
    client = login(user)
    client.get("/learn/video/lesson-1")

    page = client.post("/learn/video/lesson-1/done", follow_redirects=True).get_data(as_text=True)

    assert "completes when you have watched enough of the video" in page
    assert enrolment_row(app, user, course).lessons_completed == 0


def test_preview_lessons_are_open_to_visitors_without_tracking(app, make, client):
    make.course(slug="integration", lessons=2)
    with app.app_context():
        db.session.execute(sa.update(Lesson).where(Lesson.slug == "lesson-1").values(preview=True))
        db.session.commit()

    preview = client.get("/learn/integration/lesson-1").get_data(as_text=True)
    closed = client.get("/learn/integration/lesson-2")

    assert "This is a free preview" in preview and 'data-progress-url=""' in preview
    assert closed.status_code == 302 and "/auth/login" in closed.location


def test_dashboard_lists_courses_with_progress_and_next_step(app, make, login):
    user = make.user()
    started = make.course(
        slug="integration", title="From Isolation to Integration", lessons=2, contact_hours=Decimal("6.75")
    )
    fresh = make.course(slug="tips", title="Tips for Collaboration", lessons=2)
    make.enrolment(user, started)
    make.enrolment(user, fresh)
    client = login(user)
    first = make.lessons(started)[0]
    client.get("/learn/integration/lesson-1")
    wind_back_clock(app, user, first, 60)
    client.post("/learn/integration/lesson-1/progress", json={"intervals": [[0, 60]], "position": 60})

    page = client.get("/me/").get_data(as_text=True)

    assert "From Isolation to Integration" in page and "Tips for Collaboration" in page
    assert "1 of 2 lessons" in page and "3.38 of 6.75 hours completed" in page
    assert "Last opened: Lesson 1" in page and "Start the course" in page
    assert page.index("From Isolation to Integration") < page.index("Tips for Collaboration")


def test_empty_dashboard_says_what_to_do(make, login):
    page = login(make.user()).get("/me/").get_data(as_text=True)
    assert "You are not enrolled in any course yet" in page and "Browse courses" in page


def test_media_is_served_only_to_enrolled_learners(app, make, login, client, tmp_path):
    course = make.course(slug="integration", lessons=1)
    media = tmp_path / "courses" / "integration" / "media"
    media.mkdir(parents=True)
    (media / "lesson-1.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"0" * 100)
    (tmp_path / "courses" / "integration" / "course.md").write_text("secret")

    assert client.get("/learn/integration/media/media/lesson-1.mp4").status_code == 404
    user = make.user()
    make.enrolment(user, course)
    login(user)
    with client.get("/learn/integration/media/media/lesson-1.mp4", headers={"Range": "bytes=0-9"}) as video:
        assert video.status_code == 206 and video.mimetype == "video/mp4" and len(video.data) == 10
    assert client.get("/learn/integration/media/course.md").status_code == 404
    assert client.get("/learn/integration/media/../course.md").status_code == 404


@pytest.mark.parametrize("size", [3, 300])
def test_learning_pages_run_a_constant_number_of_statements(app, make, login, queries, size):
    user = make.user()
    course = make.course(slug="big", lessons=size)
    make.enrolment(user, course)
    for n in range(min(size, 30)):
        make.enrolment(user, make.course(slug=f"other-{n}", lessons=1))
    client = login(user)
    client.get("/learn/big/lesson-2")

    for url in ("/me/", "/learn/big/", "/learn/big/lesson-2", "/learn/big/lesson-3"):
        with queries() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= 8, (url, "\n".join(s[:60] + " .. " + s[-100:] for s in statements))


def test_opening_a_lesson_twice_at_once_keeps_one_progress_row(app, make):
    """Two tabs racing to open a lesson: the loser's INSERT is ignored, not a 500."""
    user = make.user()
    course = make.course(slug="integration", lessons=1)
    make.enrolment(user, course)
    lesson = make.lessons(course)[0]
    with app.app_context():
        enrolment = db.session.scalar(sa.select(Enrolment))
        services.open_lesson(enrolment, lesson, None, utcnow())
        services.open_lesson(enrolment, lesson, None, utcnow())  # saw no row when it loaded the page
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(LessonProgress)) == 1


def test_a_double_click_on_mark_as_done_counts_the_lesson_once(app, make, login, monkeypatch):
    user = make.user()
    course = make.course(slug="reading", lessons=2, video=False)
    make.enrolment(user, course)
    client = login(user)
    client.get("/learn/reading/lesson-1")
    load_page = pages.player_state

    def load_then_lose_the_race(*args):
        page = load_page(*args)
        # The first click's request completes the lesson between this one's read and its write.
        with db.engine.begin() as other_request:
            other_request.execute(
                sa.update(LessonProgress).values(completed_at=utcnow(), version=LessonProgress.version + 1)
            )
            other_request.execute(
                sa.update(Enrolment).values(lessons_completed=1, credit_minutes_completed=30)
            )
        return page

    monkeypatch.setattr(pages, "player_state", load_then_lose_the_race)
    response = client.post("/learn/reading/lesson-1/done", follow_redirects=True)

    assert response.status_code == 200 and "“Lesson 1” is complete." in response.get_data(as_text=True)
    assert enrolment_row(app, user, course).lessons_completed == 1


def test_the_dashboard_pages_through_many_enrolments(make, login):
    user = make.user()
    for n in range(14):
        make.enrolment(user, make.course(slug=f"course-{n:02d}", title=f"Course {n:02d}"))
    client = login(user)

    first = client.get("/me/").get_data(as_text=True)
    second = client.get("/me/?page=2").get_data(as_text=True)

    assert first.count('class="card"') == 12 and "Page 1 of 2" in first
    assert second.count('class="card"') == 2 and "Page 2 of 2" in second
    assert "There is no page 5" in client.get("/me/?page=5").get_data(as_text=True)
