"""Server-side watch time (DESIGN §5): pure functions, no database, no Flask.

A heartbeat reports the media intervals the player played since the last one. The server keeps
the union of everything watched, so replays and seeks never count twice, and it refuses a
heartbeat that claims more media seconds than could have been played in the wall-clock time
since the last accepted heartbeat at the top playback rate, plus a small allowance.
"""

import math
from dataclasses import dataclass

Interval = tuple[float, float]
_MIN_RATE, _MAX_RATE = 0.0625, 16.0  # what browsers allow for playbackRate


class HeartbeatError(ValueError):
    """The heartbeat is malformed or impossible; `reason` is shown to the client.

    `code` lets the player tell a claim that came too early ("over_budget": send it again later)
    from one that will never be accepted ("invalid").
    """

    def __init__(self, reason: str, code: str = "invalid"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Heartbeat:
    intervals: list[Interval]
    position: float
    rate: float | None


@dataclass(frozen=True)
class WatchState:
    intervals: list[Interval]
    watched_seconds: float
    percent: float


def parse_heartbeat(payload: object, duration: float, max_intervals: int) -> Heartbeat:
    """Validate a decoded JSON body against the lesson's duration, or raise HeartbeatError."""
    if not isinstance(payload, dict):
        raise HeartbeatError("The body must be a JSON object.")
    raw_intervals = payload.get("intervals")
    if not isinstance(raw_intervals, list):
        raise HeartbeatError("'intervals' must be a list of [start, end] pairs in seconds.")
    if len(raw_intervals) > max_intervals:
        raise HeartbeatError(f"At most {max_intervals} intervals may be sent at once.")
    intervals = [_parse_interval(item, duration, index) for index, item in enumerate(raw_intervals)]
    position = _number(payload.get("position"), "position")
    if not 0 <= position <= duration:
        raise HeartbeatError(f"'position' must be between 0 and the lesson's duration ({duration:g} s).")
    rate = payload.get("rate")
    if rate is not None:
        rate = _number(rate, "rate")
        if not _MIN_RATE <= rate <= _MAX_RATE:
            raise HeartbeatError(f"'rate' must be between {_MIN_RATE:g} and {_MAX_RATE:g}.")
    return Heartbeat(intervals=intervals, position=position, rate=rate)


def budget_seconds(elapsed_seconds: float, top_rate: float, allowance_seconds: float) -> float:
    """Media seconds that can honestly have been played in `elapsed_seconds` of wall-clock time."""
    return max(elapsed_seconds, 0.0) * top_rate + allowance_seconds


def check_budget(claimed: list[Interval], budget: float) -> None:
    claimed_seconds = total(merge(claimed))
    if claimed_seconds > budget:
        raise HeartbeatError(
            f"This heartbeat claims {claimed_seconds:.1f} s of video, but at most {budget:.1f} s "
            "could have been played since the last one.",
            code="over_budget",
        )


def apply_heartbeat(watched: list[Interval], claimed: list[Interval], duration: float) -> WatchState:
    """The new union of watched intervals and what it adds up to."""
    union = merge([*watched, *claimed])
    seconds = total(union)
    percent = 100.0 * seconds / duration if duration > 0 else 0.0
    return WatchState(intervals=union, watched_seconds=seconds, percent=min(percent, 100.0))


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted, disjoint intervals covering exactly the same seconds; empty ones dropped."""
    merged: list[list[float]] = []
    # Stored intervals come back from JSON as lists, new ones arrive as tuples: compare as tuples.
    for start, end in sorted((float(start), float(end)) for start, end in intervals if end > start):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def total(intervals: list[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def _parse_interval(item: object, duration: float, index: int) -> Interval:
    if not isinstance(item, list | tuple) or len(item) != 2:
        raise HeartbeatError(f"intervals[{index}] must be a [start, end] pair.")
    start = _number(item[0], f"intervals[{index}] start")
    end = _number(item[1], f"intervals[{index}] end")
    if start < 0 or end > duration:
        raise HeartbeatError(f"intervals[{index}] must lie between 0 and {duration:g} s.")
    if end < start:
        raise HeartbeatError(f"intervals[{index}] ends before it starts.")
    return (round(start, 3), round(end, 3))


def _number(value: object, name: str) -> float:
    # bool is an int subclass in Python; true/false is not a number of seconds.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise HeartbeatError(f"'{name}' must be a number.")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise HeartbeatError(f"'{name}' must be a finite number.")
    return number
