"""Property: whatever a client sends to the real endpoint, recorded watch time stays within the rules.

Hypothesis drives the Flask test client against the real database: random bodies (valid, forged,
malformed) after random waits. The server must answer each with 200 or a 4xx, never a 500, and the
stored watch time must never exceed the wall-clock budget nor the video's duration, nor go down.
"""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.learning.helpers import progress_row, wind_back_clock

DURATION = 60  # the factory's lessons are 60 s videos
numbers = st.one_of(
    st.floats(min_value=-100, max_value=200),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.integers(min_value=-100, max_value=10**6),
    st.text(max_size=3),
    st.none(),
    st.booleans(),
)
interval = st.one_of(
    st.tuples(st.floats(0, DURATION), st.floats(0, DURATION)).map(sorted),
    st.lists(numbers, max_size=3),
)
bodies = st.one_of(
    st.fixed_dictionaries(
        {"intervals": st.lists(interval, max_size=6), "position": st.floats(0, DURATION), "rate": st.just(2)}
    ),
    st.dictionaries(
        st.sampled_from(["intervals", "position", "rate"]), st.one_of(numbers, st.lists(interval))
    ),
    st.lists(numbers, max_size=3),
)
heartbeats = st.lists(st.tuples(st.floats(min_value=0, max_value=40), bodies), min_size=1, max_size=8)


@pytest.fixture
def learner(make, login):
    user = make.user()
    course = make.course(slug="integration", lessons=1)
    make.enrolment(user, course)
    return login(user), user, make.lessons(course)[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=heartbeats)
def test_no_sequence_of_requests_gains_more_than_the_rules_allow(app, learner, sequence):
    client, user, lesson = learner
    client.get(f"/learn/integration/{lesson.slug}")  # restarts the clock; progress may remain
    before = progress_row(app, user, lesson).watched_seconds
    allowed = 0.0
    since_last_accepted = 0.0  # refused heartbeats leave the server's clock where it was
    for wait, body in sequence:
        wind_back_clock(app, user, lesson, wait)
        since_last_accepted += wait
        response = client.post(f"/learn/integration/{lesson.slug}/progress", json=body)
        assert response.status_code in (200, 400), response.get_data(as_text=True)
        assert response.is_json
        if response.status_code == 200:
            allowed += 2 * (since_last_accepted + 1) + 5  # + 1 s for the test's own running time
            since_last_accepted = 0.0
    after = progress_row(app, user, lesson).watched_seconds
    assert not math.isnan(after)
    assert before - 1e-6 <= after <= DURATION + 1e-6
    assert after - before <= allowed + 1e-6
