"""lesson_progress.furthest_seconds: the end of the last watched interval, kept by every writer.

The studio's where-viewers-stop chart reads it instead of the intervals' JSON, so it must say the
same as the intervals after every heartbeat, accepted or refused, and after any ORM write.
"""

import pytest

from courseware.db import utcnow
from courseware.extensions import db
from courseware.learning.models import LessonProgress
from tests.learning.helpers import progress_row, wind_back_clock


@pytest.fixture
def player(app, make, login):
    """(client, user, first lesson) with the lesson page opened: a 60 s video."""
    user = make.user()
    course = make.course(slug="furthest", lessons=1)
    make.enrolment(user, course)
    client = login(user)
    (lesson,) = make.lessons(course)
    assert client.get(f"/learn/furthest/{lesson.slug}").status_code == 200
    return client, user, lesson


def send(app, player, intervals, waited=30.0):
    """One heartbeat `waited` seconds after the last; returns the response."""
    wind_back_clock(app, player[1], player[2], waited)
    return post(player, intervals)


def post(player, intervals):
    client, _user, lesson = player
    payload = {"intervals": intervals, "position": intervals[-1][1], "rate": 1}
    return client.post(f"/learn/furthest/{lesson.slug}/progress", json=payload)


def furthest(app, player) -> float | None:
    _client, user, lesson = player
    return progress_row(app, user, lesson).furthest_seconds


def test_an_opened_lesson_has_no_furthest_second_yet(app, player):
    assert furthest(app, player) is None


def test_the_heartbeat_keeps_the_end_of_the_last_interval_in_its_one_update(app, player, queries):
    assert send(app, player, [[0, 20]]).status_code == 200
    assert furthest(app, player) == 20

    wind_back_clock(app, player[1], player[2], 15)
    with queries() as statements:
        assert post(player, [[40, 50]]).status_code == 200  # sought forward
    assert furthest(app, player) == 50
    assert len(statements) <= 3  # still the one SELECT and the one UPDATE


def test_seeking_back_never_moves_the_furthest_second_back(app, player):
    send(app, player, [[0, 45]], waited=45)
    assert send(app, player, [[5, 15]], waited=15).status_code == 200

    row = progress_row(app, *player[1:])
    assert row.position_seconds == 15
    assert row.watched_intervals == [[0.0, 45.0]] and row.furthest_seconds == 45


def test_a_replayed_heartbeat_changes_nothing_it_already_said(app, player):
    send(app, player, [[0, 30]])
    assert send(app, player, [[0, 30]]).status_code == 200

    row = progress_row(app, *player[1:])
    assert row.heartbeats == 2 and row.watched_seconds == 30 and row.furthest_seconds == 30


@pytest.mark.parametrize(
    ("intervals", "waited", "code"),
    [
        ([[0, 60]], 3, "over_budget"),  # the whole video claimed three seconds after opening
        ([[0, 20], [30, 600]], 600, None),  # past the end of a 60 s video
    ],
)
def test_a_forged_heartbeat_is_refused_and_leaves_the_furthest_second(app, player, intervals, waited, code):
    send(app, player, [[0, 10]], waited=10)

    response = send(app, player, intervals, waited=waited)

    assert response.status_code == 400
    if code:
        assert response.json["code"] == code
    assert furthest(app, player) == 10


def test_any_orm_write_of_the_intervals_keeps_the_column_in_step(app, make):
    user = make.user()
    course = make.course(lessons=1)
    enrolment = make.enrolment(user, course)
    (lesson,) = make.lessons(course)
    with app.app_context():
        row = LessonProgress(
            enrolment_id=enrolment.id, lesson_id=lesson.id, watched_intervals=[[0, 5], [10, 42.5]]
        )
        db.session.add(row)
        db.session.commit()
        assert row.furthest_seconds == 42.5
        row.watched_intervals = [[0, 5], [10, 42.5], [50, 58]]
        row.clock_at = utcnow()
        db.session.commit()
        assert db.session.get(LessonProgress, row.id).furthest_seconds == 58
        row.watched_intervals = []
        db.session.commit()
        assert row.furthest_seconds is None
