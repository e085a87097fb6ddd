"""POST /learn/<slug>/<lesson>/progress: server-verified watch time (DESIGN §5)."""

import pytest

from courseware.accounts.models import User
from courseware.extensions import db
from tests.learning.helpers import enrolment_row, progress_row, wind_back_clock


@pytest.fixture
def learner(make, login):
    user = make.user()
    course = make.course(slug="integration", lessons=3)
    make.enrolment(user, course)
    client = login(user)
    return client, user, course, make.lessons(course)


def beat(client, lesson, intervals, position=0.0, **kwargs):
    url = f"/learn/integration/{lesson.slug}/progress"
    return client.post(url, json={"intervals": intervals, "position": position, "rate": 1}, **kwargs)


def test_played_seconds_within_the_budget_are_recorded(app, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 15)

    response = beat(client, lessons[0], [[0, 30]], position=30)

    assert response.status_code == 200
    assert response.json == {"watched_seconds": 30.0, "duration": 60.0, "percent": 50.0, "complete": False}
    row = progress_row(app, user, lessons[0])
    assert row.watched_intervals == [[0.0, 30.0]] and row.position_seconds == 30 and row.heartbeats == 1


def test_claiming_the_whole_video_at_once_gains_nothing(app, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 3)

    response = beat(client, lessons[0], [[0, 60]])

    assert response.status_code == 400
    assert response.json["code"] == "over_budget"
    assert "claims 60.0 s of video" in response.json["message"]
    assert progress_row(app, user, lessons[0]).watched_seconds == 0


def test_replays_and_overlaps_count_once(app, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 20)
    assert beat(client, lessons[0], [[0, 20]]).json["watched_seconds"] == 20
    wind_back_clock(app, user, lessons[0], 20)

    answer = beat(client, lessons[0], [[0, 20], [5, 15], [10, 25]]).json

    assert answer["watched_seconds"] == 25
    assert progress_row(app, user, lessons[0]).watched_intervals == [[0.0, 25.0]]


def test_the_lesson_completes_at_the_watch_percent_and_counts_once(app, learner):
    client, user, course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 30)

    first = beat(client, lessons[0], [[0, 54]]).json  # 90 % of 60 s
    wind_back_clock(app, user, lessons[0], 30)
    second = beat(client, lessons[0], [[54, 60]]).json

    assert first["complete"] is True and first["percent"] == 90
    assert second["complete"] is True and second["percent"] == 100
    enrolment = enrolment_row(app, user, course)
    assert enrolment.lessons_completed == 1
    assert enrolment.credit_minutes_completed == lessons[0].credit_minutes == 20
    assert progress_row(app, user, lessons[0]).completed_at is not None


def test_a_paused_player_gets_the_current_state(app, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 10)
    beat(client, lessons[0], [[0, 10]])

    answer = beat(client, lessons[0], [], position=10)

    assert answer.status_code == 200
    assert answer.json["watched_seconds"] == 10 and answer.json["complete"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"intervals": [[-5, 10]], "position": 0}, "must lie between 0 and 60 s"),
        ({"intervals": [[0, 1e9]], "position": 0}, "must lie between 0 and 60 s"),
        ({"intervals": [[10, 5]], "position": 0}, "ends before it starts"),
        ({"intervals": [["a", 5]], "position": 0}, "must be a number"),
        ({"intervals": None, "position": 0}, "'intervals' must be a list"),
        ([1, 2, 3], "must be a JSON object"),
    ],
)
def test_malformed_heartbeats_get_400_with_a_reason(app, learner, body, message):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 30)

    response = client.post(f"/learn/integration/{lessons[0].slug}/progress", json=body)

    assert response.status_code == 400
    assert message in response.json["message"]
    assert progress_row(app, user, lessons[0]).heartbeats == 0


def test_nan_and_broken_json_get_400_not_500(learner):
    client, _user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    url = f"/learn/integration/{lessons[0].slug}/progress"
    headers = {"X-CSRFToken": client.csrf_token(), "Content-Type": "application/json"}

    nan = client.post(url, data='{"intervals": [[0, NaN]], "position": 0}', headers=headers)
    broken = client.post(url, data='{"intervals": [[0, 1]', headers=headers)
    not_json = client.post(url, data="intervals=0-10", headers={"X-CSRFToken": client.csrf_token()})

    assert nan.status_code == 400 and "finite number" in nan.json["message"]
    assert broken.status_code == 400 and broken.is_json
    assert not_json.status_code == 400 and "must be JSON" in not_json.json["message"]


def test_a_lesson_not_opened_yet_has_no_clock_and_gets_404(learner):
    client, _user, _course, lessons = learner
    response = beat(client, lessons[1], [])
    assert response.status_code == 404
    assert "Open the lesson page first" in response.json["message"]


def test_another_learners_lesson_and_unenrolled_courses_are_404(app, make, login, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    wind_back_clock(app, user, lessons[0], 60)
    other = make.user()
    make.course(slug="other-course", lessons=1)

    intruder = login(other)
    stolen = beat(intruder, lessons[0], [[0, 10]])
    elsewhere = intruder.post("/learn/other-course/lesson-1/progress", json={"intervals": [], "position": 0})

    assert stolen.status_code == 404 and elsewhere.status_code == 404
    assert progress_row(app, user, lessons[0]).watched_seconds == 0


def test_unknown_lessons_and_reading_lessons(app, make, login):
    user = make.user()
    course = make.course(slug="reading", lessons=1, video=False)
    make.enrolment(user, course)
    client = login(user)
    client.get("/learn/reading/lesson-1")

    reading = client.post("/learn/reading/lesson-1/progress", json={"intervals": [], "position": 0})
    missing = client.post("/learn/reading/nope/progress", json={"intervals": [], "position": 0})

    assert reading.status_code == 400 and "mark it as done" in reading.json["message"]
    assert missing.status_code == 404


def test_heartbeat_needs_the_csrf_header_and_a_session(client, learner):
    signed_in, _user, _course, lessons = learner
    url = f"/learn/integration/{lessons[0].slug}/progress"

    no_token = signed_in.post(url, json={"intervals": [], "position": 0}, csrf=False)
    signed_in.post("/auth/logout")
    anonymous = signed_in.post(url, json={"intervals": [], "position": 0})

    assert no_token.status_code == 400 and no_token.is_json
    assert anonymous.status_code == 401 and "Log in" in anonymous.json["message"]


def test_a_session_ended_elsewhere_gets_401(app, learner):
    client, user, _course, lessons = learner
    client.get(f"/learn/integration/{lessons[0].slug}")
    with app.app_context():
        db.session.get(User, user.id).session_token = "rotated-by-sign-out-everywhere"
        db.session.commit()

    response = beat(client, lessons[0], [])

    assert response.status_code == 401 and "Log in again" in response.json["message"]


@pytest.mark.parametrize("lesson_count", [3, 300])
def test_a_heartbeat_runs_at_most_three_statements(app, make, login, queries, lesson_count):
    user = make.user()
    course = make.course(slug="integration", lessons=lesson_count)
    make.enrolment(user, course)
    for _ in range(5):
        make.enrolment(make.user(), course)
    lesson = make.lessons(course)[-1]
    client = login(user)
    client.get(f"/learn/integration/{lesson.slug}")
    wind_back_clock(app, user, lesson, 30)

    with queries() as ordinary:
        response = beat(client, lesson, [[0, 20]])
    wind_back_clock(app, user, lesson, 30)
    with queries() as completing:
        completed = beat(client, lesson, [[20, 60]])

    assert response.status_code == 200 and completed.json["complete"] is True
    assert len(ordinary) <= 3, "\n".join(s[-150:] for s in ordinary)
    assert len(completing) <= 3, "\n".join(s[-150:] for s in completing)
