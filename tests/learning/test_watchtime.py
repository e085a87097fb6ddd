"""Watch time as pure functions: examples and properties (hypothesis)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.learning import watchtime
from courseware.learning.watchtime import HeartbeatError

DURATION = 600.0
seconds = st.floats(min_value=0, max_value=DURATION, allow_nan=False)
intervals = st.lists(st.tuples(seconds, seconds).map(lambda pair: tuple(sorted(pair))), max_size=30)


def test_merge_joins_overlapping_and_touching_intervals_and_drops_empty_ones():
    assert watchtime.merge([(10, 20), (0, 5), (5, 8), (15, 30), (40, 40)]) == [(0, 8), (10, 30)]


def test_replaying_the_same_seconds_adds_nothing():
    first = watchtime.apply_heartbeat([], [(0, 30)], DURATION)
    again = watchtime.apply_heartbeat(first.intervals, [(0, 30), (10, 20)], DURATION)
    assert again.watched_seconds == first.watched_seconds == 30


def test_percent_is_of_the_lesson_duration():
    state = watchtime.apply_heartbeat([(0, 60)], [(100, 160)], 200)
    assert state.watched_seconds == 120
    assert state.percent == 60


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ([], "must be a JSON object"),
        ({"position": 0}, "'intervals' must be a list"),
        ({"intervals": "0-10", "position": 0}, "'intervals' must be a list"),
        ({"intervals": [[0, 10, 20]], "position": 0}, "intervals[0] must be a [start, end] pair"),
        ({"intervals": [["0", 10]], "position": 0}, "'intervals[0] start' must be a number"),
        ({"intervals": [[True, 10]], "position": 0}, "'intervals[0] start' must be a number"),
        ({"intervals": [[0, math.nan]], "position": 0}, "must be a finite number"),
        ({"intervals": [[0, math.inf]], "position": 0}, "must be a finite number"),
        ({"intervals": [[0, 10**400]], "position": 0}, "must be a finite number"),
        ({"intervals": [[-1, 10]], "position": 0}, "must lie between 0 and 600 s"),
        ({"intervals": [[0, 601]], "position": 0}, "must lie between 0 and 600 s"),
        ({"intervals": [[20, 10]], "position": 0}, "ends before it starts"),
        ({"intervals": []}, "'position' must be a number"),
        ({"intervals": [], "position": 700}, "'position' must be between 0"),
        ({"intervals": [], "position": 0, "rate": 100}, "'rate' must be between"),
        ({"intervals": [[0, 1]] * 201, "position": 0}, "At most 200 intervals"),
    ],
)
def test_malformed_heartbeats_are_refused_with_a_reason(payload, reason):
    with pytest.raises(HeartbeatError) as raised:
        watchtime.parse_heartbeat(payload, DURATION, max_intervals=200)
    assert reason in raised.value.reason
    assert raised.value.code == "invalid"


def test_an_empty_interval_list_is_a_valid_paused_heartbeat():
    heartbeat = watchtime.parse_heartbeat({"intervals": [], "position": 42.5}, DURATION, 200)
    assert heartbeat.intervals == [] and heartbeat.position == 42.5 and heartbeat.rate is None


def test_claims_beyond_the_budget_are_refused():
    budget = watchtime.budget_seconds(elapsed_seconds=10, top_rate=2, allowance_seconds=5)
    assert budget == 25
    watchtime.check_budget([(0, 25)], budget)
    with pytest.raises(HeartbeatError) as raised:
        watchtime.check_budget([(0, 26)], budget)
    assert raised.value.code == "over_budget"


def test_overlapping_claims_count_once_against_the_budget():
    watchtime.check_budget([(0, 20), (5, 25), (10, 15)], budget=25)


@given(intervals)
def test_merge_is_sorted_disjoint_and_covers_the_same_seconds(raw):
    merged = watchtime.merge(raw)
    assert all(start < end for start, end in merged)
    assert all(a[1] < b[0] for a, b in zip(merged, merged[1:], strict=False))
    assert watchtime.merge(merged) == merged
    for start, end in raw:
        if end > start:
            assert any(s <= start and end <= e for s, e in merged)


@given(intervals, intervals)
def test_union_never_exceeds_the_duration_or_the_sum_of_its_parts(a, b):
    union = watchtime.apply_heartbeat(watchtime.merge(a), b, DURATION)
    assert union.watched_seconds <= DURATION + 1e-9
    assert (
        union.watched_seconds
        <= watchtime.total(watchtime.merge(a)) + watchtime.total(watchtime.merge(b)) + 1e-6
    )
    assert union.watched_seconds >= watchtime.total(watchtime.merge(a)) - 1e-6
    assert 0 <= union.percent <= 100


@given(st.lists(st.tuples(st.floats(min_value=0, max_value=120), intervals), max_size=15))
def test_no_sequence_of_heartbeats_gains_more_than_wall_clock_time_allows(heartbeats):
    """Whatever a client claims, accepted watch time <= sum of budgets, and never goes down."""
    watched: list = []
    allowed = 0.0
    previous = 0.0
    for elapsed, claimed in heartbeats:
        budget = watchtime.budget_seconds(elapsed, top_rate=2, allowance_seconds=5)
        try:
            watchtime.parse_heartbeat({"intervals": [list(i) for i in claimed], "position": 0}, DURATION, 200)
            watchtime.check_budget(claimed, budget)
        except HeartbeatError:
            continue
        allowed += budget
        state = watchtime.apply_heartbeat(watched, claimed, DURATION)
        watched = state.intervals
        assert state.watched_seconds >= previous - 1e-9
        previous = state.watched_seconds
    assert previous <= min(DURATION, allowed) + 1e-6


@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.text(),
        st.integers(),
        st.lists(st.integers()),
        st.dictionaries(st.text(), st.one_of(st.none(), st.floats(), st.text(), st.lists(st.floats()))),
    )
)
def test_any_json_value_is_either_parsed_or_refused_never_crashes(payload):
    try:
        heartbeat = watchtime.parse_heartbeat(payload, DURATION, 200)
    except HeartbeatError:
        return
    assert all(0 <= s <= e <= DURATION for s, e in heartbeat.intervals)
