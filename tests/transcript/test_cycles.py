"""Renewal-cycle arithmetic: the boundaries a board auditor would check, and the self-study cap."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courseware.transcript.cycles import (
    Credit,
    CycleState,
    count_cycle_hours,
    cycle_state,
    renewal_cycle,
    years_before,
)
from courseware.transcript.services import learner_today

D = Decimal


def hours_in(cycle, *credits, required="24", cap=None):
    return count_cycle_hours(credits, cycle, D(required), None if cap is None else D(cap))


def self_study(day: date, hours: str = "1") -> Credit:
    return Credit(day, D(hours), self_study=True)


def live(day: date, hours: str = "1") -> Credit:
    return Credit(day, D(hours), self_study=False)


# The cycle (renewal date - years, renewal date]


def test_the_cycle_ends_on_the_renewal_date_and_starts_the_day_after_the_same_date_years_before():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    assert cycle.starts_after == date(2025, 6, 30)
    assert cycle.first_day == date(2025, 7, 1)
    assert cycle.ends_on == date(2027, 6, 30)


def test_a_completion_on_the_first_day_of_the_cycle_counts():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    assert hours_in(cycle, self_study(date(2025, 7, 1), "2")).counted == D(2)


def test_a_completion_on_the_renewal_date_counts():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    assert hours_in(cycle, self_study(date(2027, 6, 30), "3")).counted == D(3)


def test_a_completion_the_day_before_the_cycle_starts_belongs_to_the_cycle_before():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    summary = hours_in(cycle, self_study(date(2025, 6, 30), "5"))

    assert summary.counted == summary.earned == D(0)
    assert summary.activities == 0
    assert summary.needed == D(24)


def test_a_completion_the_day_after_the_renewal_date_belongs_to_the_next_cycle():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    assert hours_in(cycle, self_study(date(2027, 7, 1), "5")).counted == D(0)


def test_a_february_29_renewal_date_two_years_back_starts_the_cycle_on_march_1():
    cycle = renewal_cycle(date(2028, 2, 29), 2)

    assert years_before(date(2028, 2, 29), 2) == date(2026, 2, 28)
    assert cycle.first_day == date(2026, 3, 1)
    assert hours_in(cycle, self_study(date(2026, 2, 28))).counted == D(0)
    assert hours_in(cycle, self_study(date(2026, 3, 1))).counted == D(1)
    assert hours_in(cycle, self_study(date(2028, 2, 29))).counted == D(1)


def test_a_february_29_renewal_date_four_years_back_lands_on_february_29():
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)
    assert renewal_cycle(date(2028, 2, 29), 4).first_day == date(2024, 3, 1)


def test_a_cycle_ending_february_28_that_starts_in_a_leap_year_includes_february_29():
    cycle = renewal_cycle(date(2027, 2, 28), 3)

    assert cycle.first_day == date(2024, 2, 29)
    assert cycle.contains(date(2024, 2, 28)) is False
    assert cycle.contains(date(2024, 2, 29)) is True


# Self-study cap


def test_self_study_counts_only_up_to_the_states_limit_and_live_hours_count_in_full():
    cycle = renewal_cycle(date(2027, 6, 30), 2)
    credits = [
        self_study(date(2026, 1, 1), "10"),
        self_study(date(2026, 2, 1), "10"),
        live(date(2026, 3, 1), "5"),
    ]

    summary = hours_in(cycle, *credits, required="26", cap="12")

    assert summary.earned == D(25)
    assert summary.self_study_earned == D(20)
    assert summary.self_study_counted == D(12)
    assert summary.self_study_over_limit == D(8)
    assert summary.counted == D(17)
    assert summary.needed == D(9)
    assert not summary.met


def test_self_study_exactly_at_the_limit_counts_in_full():
    cycle = renewal_cycle(date(2027, 6, 30), 3)

    summary = hours_in(cycle, self_study(date(2026, 1, 1), "24"), required="36", cap="24")

    assert summary.counted == D(24)
    assert summary.self_study_over_limit == D(0)
    assert summary.needed == D(12)


def test_without_a_limit_every_self_study_hour_counts():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    summary = hours_in(cycle, self_study(date(2026, 1, 1), "30"))

    assert summary.counted == D(30)
    assert summary.needed == D(0)
    assert summary.met


def test_hours_still_needed_never_go_below_zero_and_keep_fractions():
    cycle = renewal_cycle(date(2027, 6, 30), 2)

    assert hours_in(cycle, live(date(2026, 1, 1), "23.25")).needed == D("0.75")
    assert hours_in(cycle, live(date(2026, 1, 1), "40")).needed == D(0)


def test_pdus_are_summed_for_the_activities_inside_the_cycle_only():
    cycle = renewal_cycle(date(2027, 6, 30), 2)
    inside = Credit(date(2026, 1, 1), D("6.75"), True, D("8.44"))
    before = Credit(date(2025, 1, 1), D("1"), True, D("1.25"))

    assert hours_in(cycle, inside, before).pdus == D("8.44")


# Where today is


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2025, 6, 30), CycleState.NOT_STARTED),  # the day before the first day
        (date(2025, 7, 1), CycleState.CURRENT),
        (date(2027, 6, 30), CycleState.CURRENT),  # the renewal date itself
        (date(2027, 7, 1), CycleState.ENDED),
    ],
)
def test_the_cycle_is_current_from_its_first_day_through_the_renewal_date(today, state):
    assert cycle_state(renewal_cycle(date(2027, 6, 30), 2), today) == state


@pytest.mark.parametrize(
    ("time_zone", "today"),
    [
        ("Pacific/Auckland", date(2027, 7, 1)),  # already tomorrow there
        ("America/Los_Angeles", date(2027, 6, 30)),
        (None, date(2027, 6, 30)),  # the default zone, America/Chicago
        ("Not/A_Zone", date(2027, 6, 30)),
        ("../../etc/passwd", date(2027, 6, 30)),
    ],
)
def test_today_is_the_date_where_the_learner_lives(time_zone, today):
    now = datetime(2027, 6, 30, 18, 0, tzinfo=UTC)

    assert learner_today(now, time_zone, "America/Chicago") == today


# Properties over any dates and hours

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
amounts = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
credits = st.lists(st.builds(Credit, days, amounts, st.booleans()), max_size=12)


@given(credits, days, st.integers(1, 5), st.one_of(st.none(), amounts), amounts)
def test_counted_hours_respect_the_cap_and_the_requirement(credits, renewal, years, cap, required):
    cycle = renewal_cycle(renewal, years)

    summary = count_cycle_hours(credits, cycle, required, cap)

    assert summary.counted <= summary.earned
    assert cap is None or summary.self_study_counted <= cap
    assert summary.needed == max(Decimal(0), required - summary.counted)
    assert summary.earned == sum((c.hours for c in credits if cycle.contains(c.completed_on)), Decimal(0))
    assert cycle.first_day - cycle.starts_after == timedelta(days=1)
