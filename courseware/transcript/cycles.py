"""Renewal-cycle arithmetic: dates and hours in, numbers out. No database, no clock, no Flask.

A licence's cycle is the half-open period (renewal date - cycle years, renewal date]: an activity
completed on the renewal date counts, one completed on the same day of the month `cycle years`
earlier belongs to the cycle before.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


@dataclass(frozen=True)
class RenewalCycle:
    starts_after: date  # not part of the cycle
    ends_on: date  # the renewal date, part of the cycle

    @property
    def first_day(self) -> date:
        return self.starts_after + timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.starts_after < day <= self.ends_on


class CycleState(StrEnum):
    CURRENT = "current"
    ENDED = "ended"  # the renewal date has passed: the learner should enter the new one
    NOT_STARTED = "not_started"  # the renewal date is more than a cycle away


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; February 29 falls back to February 28."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def renewal_cycle(renewal_date: date, cycle_years: int) -> RenewalCycle:
    return RenewalCycle(starts_after=years_before(renewal_date, cycle_years), ends_on=renewal_date)


def cycle_state(cycle: RenewalCycle, today: date) -> CycleState:
    if today > cycle.ends_on:
        return CycleState.ENDED
    if today <= cycle.starts_after:
        return CycleState.NOT_STARTED
    return CycleState.CURRENT


@dataclass(frozen=True)
class Credit:
    """One completed activity, as the arithmetic sees it."""

    completed_on: date
    hours: Decimal
    self_study: bool
    pdus: Decimal = ZERO


@dataclass(frozen=True)
class CycleHours:
    required: Decimal
    earned: Decimal  # every hour completed inside the cycle
    self_study_earned: Decimal
    self_study_counted: Decimal  # self-study hours up to the state's limit
    counted: Decimal  # what counts toward the requirement
    needed: Decimal
    pdus: Decimal  # NBCOT PDUs earned inside the cycle, shown alongside
    activities: int

    @property
    def self_study_over_limit(self) -> Decimal:
        return self.self_study_earned - self.self_study_counted

    @property
    def met(self) -> bool:
        return self.needed == ZERO


def count_cycle_hours(
    credits: Iterable[Credit], cycle: RenewalCycle, required: Decimal, self_study_max: Decimal | None
) -> CycleHours:
    """Hours earned in the cycle, with self-study counted only up to the limit (None: no limit)."""
    inside = [credit for credit in credits if cycle.contains(credit.completed_on)]
    live = sum((credit.hours for credit in inside if not credit.self_study), ZERO)
    self_study = sum((credit.hours for credit in inside if credit.self_study), ZERO)
    self_study_counted = self_study if self_study_max is None else min(self_study, self_study_max)
    counted = live + self_study_counted
    return CycleHours(
        required=required,
        earned=live + self_study,
        self_study_earned=self_study,
        self_study_counted=self_study_counted,
        counted=counted,
        needed=max(ZERO, required - counted),
        pdus=sum((credit.pdus for credit in inside), ZERO),
        activities=len(inside),
    )
